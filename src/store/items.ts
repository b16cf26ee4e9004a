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

/** The hour an item's publication falls in, "2015-11-20T13": topic indexes are kept per hour. */
function hourOf(iso: string): string {
  return iso.slice(0, 13);
}

/** [hour, items in that hour's bucket], oldest first. */
type HourCount = [string, number];

export function createItemRepository(keyv: Keyv, exclusive: Exclusive, itemsPerTopic: number): ItemRepository {
  /**
   * A topic's hour list records how many items each hour bucket holds. Appending to one small
   * bucket replaces rewriting the topic's whole list for every feed; when the topic holds more
   * than `itemsPerTopic` items its oldest hours are dropped whole.
   */
  const addHours = async (touched: ReadonlyMap<string, ReadonlyMap<string, number>>): Promise<void> => {
    const topics = [...touched.keys()];
    if (topics.length === 0) return;
    const lists = await keyv.getMany<HourCount[]>(topics.map((topic) => keys.topicHours(topic)));
    const dropped: string[] = [];
    const writes = topics.map((topic, index) => {
      const counts = new Map(lists[index] ?? []);
      for (const [hour, count] of touched.get(topic) ?? []) counts.set(hour, (counts.get(hour) ?? 0) + count);
      const ordered = [...counts].sort((a, b) => a[0].localeCompare(b[0]));
      let total = ordered.reduce((sum, [, count]) => sum + count, 0);
      while (total > itemsPerTopic && ordered.length > 1) {
        const [hour, count] = ordered.shift() as HourCount;
        total -= count;
        dropped.push(keys.topicHour(topic, hour));
      }
      return { key: keys.topicHours(topic), value: ordered };
    });
    if (dropped.length > 0) await keyv.deleteMany(dropped);
    await keyv.setMany(writes);
  };
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
        const byBucket = new Map<string, { topic: string; hour: string; entries: IndexEntry[] }>();
        for (const item of fresh) {
          const hour = hourOf(item.published);
          for (const topic of item.topics) {
            const id = `${topic}\n${hour}`;
            const bucket = byBucket.get(id) ?? { topic, hour, entries: [] };
            bucket.entries.push({ k: item.key, p: item.published });
            byBucket.set(id, bucket);
          }
        }
        const touched = new Map<string, Map<string, number>>();
        const buckets = [...byBucket.values()];
        // A feed's items touch many hour buckets: read and write them in one go each.
        const current = buckets.length > 0 ? await keyv.getMany<IndexEntry[]>(buckets.map((b) => keys.topicHour(b.topic, b.hour))) : [];
        await keyv.setMany(
          buckets.map((bucket, index) => ({
            key: keys.topicHour(bucket.topic, bucket.hour),
            value: [...(current[index] ?? []), ...bucket.entries],
          })),
        );
        for (const { topic, hour, entries } of buckets) {
          const counts = touched.get(topic) ?? new Map<string, number>();
          counts.set(hour, entries.length);
          touched.set(topic, counts);
        }
        await addHours(touched);
        if (fresh.length > 0) {
          const count = (await keyv.get<number>(keys.meta('item-count'))) ?? 0;
          await keyv.set(keys.meta('item-count'), count + fresh.length);
        }
        return fresh;
      }),
    listByTopic: async (topic, options = {}) => {
      const since = options.since ?? null;
      const sinceHour = since === null ? null : hourOf(since);
      const hours = ((await keyv.get<HourCount[]>(keys.topicHours(topic))) ?? []).filter(
        ([hour]) => sinceHour === null || hour >= sinceHour,
      );
      const buckets = await keyv.getMany<IndexEntry[]>([
        keys.topicIndex(topic),
        ...hours.map(([hour]) => keys.topicHour(topic, hour)),
      ]);
      const index = buckets
        .flatMap((bucket) => bucket ?? [])
        .filter((entry) => since === null || typeof entry === 'string' || entry.p >= since);
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
