import type Keyv from 'keyv';
import type { Item } from '../news/types.ts';
import { keys } from './keys.ts';
import type { Exclusive } from './serial.ts';
import type { StoredItem } from './types.ts';

/**
 * A topic index entry keeps the item's publication time beside its key, so a brief over the last
 * week reads only that week's items instead of every item the topic ever had. (Plain string
 * entries are from stores written before the time was kept; they always pass the filter.)
 */
type IndexEntry = { k: string; p: string } | string;

const entryKey = (entry: IndexEntry): string => (typeof entry === 'string' ? entry : entry.k);

export interface ItemRepository {
  /** Stores the items not seen before (by feed URL + item id) and returns just those. */
  addNew(items: Item[], topicsOf: (item: Item) => string[], now: Date): Promise<StoredItem[]>;
  /** Items indexed under a topic, newest first; with `since` (ISO), only those published from then on. */
  listByTopic(topic: string, options?: { since?: string | null }): Promise<StoredItem[]>;
  count(): Promise<number>;
  /** Records which story each item (by key) belongs to. */
  setStories(assignments: ReadonlyMap<string, string>): Promise<void>;
}

export function createItemRepository(keyv: Keyv, exclusive: Exclusive, itemsPerTopic: number): ItemRepository {
  return {
    addNew: (incoming, topicsOf, now) =>
      exclusive(async () => {
        const fresh: StoredItem[] = [];
        const seenNow = new Set<string>();
        const candidates: Array<{ key: string; item: Item }> = [];
        for (const item of incoming) {
          const key = keys.item(item.feedUrl, item.id);
          if (seenNow.has(key)) continue;
          seenNow.add(key);
          candidates.push({ key, item });
        }
        // One read and one write for the whole feed instead of two round trips per item.
        const existing = candidates.length > 0 ? await keyv.getMany<StoredItem>(candidates.map((c) => c.key)) : [];
        candidates.forEach(({ key, item }, index) => {
          if (existing[index] !== undefined && existing[index] !== null) return;
          fresh.push({ ...item, key, topics: topicsOf(item), firstSeen: now.toISOString() });
        });
        if (fresh.length > 0) await keyv.setMany(fresh.map((stored) => ({ key: stored.key, value: stored })));
        const byTopic = new Map<string, IndexEntry[]>();
        for (const item of fresh) {
          for (const topic of item.topics) {
            byTopic.set(topic, [...(byTopic.get(topic) ?? []), { k: item.key, p: item.published }]);
          }
        }
        for (const [topic, added] of byTopic) {
          const indexKey = keys.topicIndex(topic);
          const current = (await keyv.get<IndexEntry[]>(indexKey)) ?? [];
          await keyv.set(indexKey, [...current, ...added].slice(-itemsPerTopic));
        }
        if (fresh.length > 0) {
          const count = (await keyv.get<number>(keys.meta('item-count'))) ?? 0;
          await keyv.set(keys.meta('item-count'), count + fresh.length);
        }
        return fresh;
      }),
    listByTopic: async (topic, options = {}) => {
      const since = options.since ?? null;
      const index = ((await keyv.get<IndexEntry[]>(keys.topicIndex(topic))) ?? []).filter(
        (entry) => since === null || typeof entry === 'string' || entry.p >= since,
      );
      if (index.length === 0) return [];
      const found = await keyv.getMany<StoredItem>(index.map(entryKey));
      return found
        .filter((item): item is StoredItem => item !== undefined && item !== null)
        .sort((a, b) => b.published.localeCompare(a.published));
    },
    count: async () => (await keyv.get<number>(keys.meta('item-count'))) ?? 0,
    setStories: (assignments) =>
      exclusive(async () => {
        const itemKeys = [...assignments.keys()];
        const found = await keyv.getMany<StoredItem>(itemKeys);
        for (const item of found) {
          const story = item ? assignments.get(item.key) : undefined;
          if (item && story && item.story !== story) await keyv.set(item.key, { ...item, story });
        }
      }),
  };
}
