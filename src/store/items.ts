import type Keyv from 'keyv';
import type { Item } from '../news/types.ts';
import { keys } from './keys.ts';
import type { Exclusive } from './serial.ts';
import type { StoredItem } from './types.ts';

export interface ItemRepository {
  /** Stores the items not seen before (by feed URL + item id) and returns just those. */
  addNew(items: Item[], topicsOf: (item: Item) => string[], now: Date): Promise<StoredItem[]>;
  /** Items indexed under a topic, newest first. */
  listByTopic(topic: string): Promise<StoredItem[]>;
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
        for (const item of incoming) {
          const key = keys.item(item.feedUrl, item.id);
          if (seenNow.has(key)) continue;
          seenNow.add(key);
          if (await keyv.has(key)) continue;
          const stored: StoredItem = { ...item, key, topics: topicsOf(item), firstSeen: now.toISOString() };
          await keyv.set(key, stored);
          fresh.push(stored);
        }
        const byTopic = new Map<string, string[]>();
        for (const item of fresh) {
          for (const topic of item.topics) byTopic.set(topic, [...(byTopic.get(topic) ?? []), item.key]);
        }
        for (const [topic, added] of byTopic) {
          const indexKey = keys.topicIndex(topic);
          const current = (await keyv.get<string[]>(indexKey)) ?? [];
          await keyv.set(indexKey, [...current, ...added].slice(-itemsPerTopic));
        }
        if (fresh.length > 0) {
          const count = (await keyv.get<number>(keys.meta('item-count'))) ?? 0;
          await keyv.set(keys.meta('item-count'), count + fresh.length);
        }
        return fresh;
      }),
    listByTopic: async (topic) => {
      const index = (await keyv.get<string[]>(keys.topicIndex(topic))) ?? [];
      if (index.length === 0) return [];
      const found = await keyv.getMany<StoredItem>(index);
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
