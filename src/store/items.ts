import type { Item } from '../news/types.ts';
import { byCodeUnits, type Collections } from './collections.ts';
import { decodeItem, encodeItem, itemRecord } from './item-records.ts';
import { keys } from './keys.ts';
import type { StoredItem } from './types.ts';

/**
 * A topic index entry keeps the item's publication time beside its key, so a brief over the last
 * week reads only that week's items instead of every item the topic ever had.
 */
interface IndexEntry {
  k: string;
  p: string;
}

/**
 * What one poll adds to one topic's index: its entries, newest first, as one list value filed
 * under the hour of the newest. One value per topic and poll, not per item and topic: a feed's
 * first poll brings items from weeks back, and entries filed one by one under each item's own
 * hour were most of a first poll cycle's store writes (about four per item, each on its own
 * index page). A read from some hour on reads the packs filed from that hour on, which hold every
 * entry published since then (a pack's hour is its newest entry's), and drops older entries by
 * their time.
 */
interface IndexPack {
  topic: string;
  hour: string;
  entries: IndexEntry[];
}

export interface ItemRepository {
  /**
   * Stores the items not seen before (by feed URL + item id) and returns just those. `alongside`
   * makes writes that belong with the items' (the feed's state after a poll): it is called once,
   * when the items are stored or queued, so on SQLite its writes join the items' commit instead
   * of waiting for it, and on a network store they still follow the items. `plainTexts`: the
   * caller vouches that no text holds a NUL or a lone surrogate (items of a ParsedFeed), which
   * spares two scans of every text (about a twentieth of the store's time in a first poll cycle).
   */
  addNew(
    items: Item[],
    topicsOf: (item: Item) => string[],
    now: Date,
    options?: { alongside?: () => Promise<void>; plainTexts?: boolean },
  ): Promise<StoredItem[]>;
  /** Items indexed under a topic, newest first; with `since` (ISO), only those published from then on. */
  listByTopic(topic: string, options?: { since?: string | null }): Promise<StoredItem[]>;
  count(): Promise<number>;
  /** Records which story each item (by key) belongs to. */
  setStories(assignments: ReadonlyMap<string, string>): Promise<void>;
  /**
   * Items whose story was recorded from the hour `sinceHour` ("2015-11-20T13") on, by any
   * process, except those `known` already; and the hour to ask from next time.
   */
  groupedSince(sinceHour: string, known: (key: string) => boolean): Promise<{ items: StoredItem[]; nextHour: string }>;
}

/** The hour an item's publication falls in, "2015-11-20T13": topic indexes are kept per hour. */
function hourOf(iso: string): string {
  return iso.slice(0, 13);
}

const HOUR_MS = 3_600_000;
/** Story log hours kept: a day for any tracker that fell behind, then they are dropped. */
const STORY_LOG_HOURS = 24;
/** At most this many hours of story log are read at once (a tracker further behind warms up instead). */
const STORY_LOG_READ_HOURS = 48;

function hoursFrom(sinceHour: string, until: Date): string[] {
  const start = Date.parse(`${sinceHour}:00:00Z`);
  const end = Date.parse(`${hourOf(until.toISOString())}:00:00Z`);
  if (Number.isNaN(start)) return [hourOf(until.toISOString())];
  const hours: string[] = [];
  for (let at = Math.max(start, end - (STORY_LOG_READ_HOURS - 1) * HOUR_MS); at <= end; at += HOUR_MS) hours.push(hourOf(new Date(at).toISOString()));
  return hours;
}

const ITEM_COUNT = { key: keys.meta('counts'), field: 'items' };
/** Days an item record is kept after it was stored (config `retention.itemDays`). */
export const DEFAULT_ITEM_DAYS = 30;

/**
 * What is stored of an item. One that matched no topic is kept only so it is not new again at the
 * next poll: no topic index lists it and no story groups it, so its text would never be read, and
 * on general news feeds such items are most of what arrives.
 */
function remembered(item: StoredItem): StoredItem {
  return item.topics.length > 0 ? item : { ...item, text: '' };
}

function isEntry(value: unknown): value is IndexEntry {
  const entry = value as Partial<IndexEntry> | null;
  return typeof entry?.k === 'string' && typeof entry.p === 'string';
}

/** The entries of a list value: a pack (an array), or one entry as stores before packs wrote them. */
function parseEntries(raw: string): IndexEntry[] {
  try {
    const parsed = JSON.parse(raw) as unknown;
    const values = Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
    return values.filter(isEntry).map((entry) => ({ k: entry.k, p: entry.p }));
  } catch {
    return [];
  }
}

/**
 * A poll's new items as one pack per topic. A poll that alone brings a topic more entries than
 * the topic keeps (`cap`) files only the newest `cap` of them: a trim could not cut inside the pack.
 */
function packsOf(fresh: readonly StoredItem[], cap: number): IndexPack[] {
  const byTopic = new Map<string, IndexEntry[]>();
  for (const item of fresh)
    for (const topic of item.topics) {
      let entries = byTopic.get(topic);
      if (!entries) byTopic.set(topic, (entries = []));
      entries.push({ k: item.key, p: item.published });
    }
  return [...byTopic].map(([topic, entries]) => {
    const newestFirst = entries.sort((a, b) => byCodeUnits(b.p, a.p)).slice(0, cap);
    return { topic, hour: hourOf(newestFirst[0]?.p ?? ''), entries: newestFirst };
  });
}

/** The UTC day of a time, "2015-11-20": item records are listed, and expire, by the day they were stored. */
function dayOf(time: Date): string {
  return time.toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;
/** Item records dropped per store call. */
const KEYS_PER_REMOVE = 2_000;

/**
 * Items are documents stored only if absent, so an item offered twice (two processes, or a lease
 * that changed hands mid-poll) is new once. Topic indexes are shared by every feed: each topic has
 * one list per hour, of the packs (see IndexPack) whose newest entry falls in it, and a counter map
 * of how many entries each hour holds, changed only by appends and increments, so concurrent polls
 * (in one process or many) never lock each other out.
 */
export function createItemRepository(collections: Collections, itemsPerTopic: number, itemDays = DEFAULT_ITEM_DAYS): ItemRepository {
  /**
   * What this process believes each topic holds. Only a total past `itemsPerTopic` triggers a
   * read of the real counts and a trim, so most polls skip that read. Other processes' appends
   * are not seen here, so with N processes a topic may grow to about N times the cap before one
   * of them trims it back.
   */
  const believed = new Map<string, number>();
  /**
   * Topics being trimmed now: the polls that pass the cap meanwhile (many, with 32 feeds polled
   * at once) leave it to that trim instead of each reading every hour's count again.
   */
  const trimming = new Set<string>();

  const readItems = async (itemKeys: readonly string[]): Promise<Array<StoredItem | undefined>> =>
    (await collections.docs(itemKeys)).map((raw) => (raw === undefined ? undefined : decodeItem(raw)));

  /**
   * Drops a topic's oldest hours, whole, until it holds at most `itemsPerTopic` entries, and a
   * tenth more room beyond that, so a busy topic is trimmed every few polls rather than at each.
   */
  const trim = async (topics: readonly string[]): Promise<void> => {
    if (topics.length === 0) return;
    const counts = await collections.counts(topics.map((topic) => keys.topicHours(topic)));
    await Promise.all(
      topics.map(async (topic, index) => {
        const ordered = [...(counts[index] ?? new Map<string, number>())].sort((a, b) => byCodeUnits(a[0], b[0]));
        let total = ordered.reduce((sum, [, count]) => sum + count, 0);
        const dropped: string[] = [];
        const target = itemsPerTopic - Math.floor(itemsPerTopic / 10);
        while (total > target && ordered.length > 1) {
          const [hour, count] = ordered.shift() as [string, number];
          total -= count;
          dropped.push(hour);
        }
        believed.set(topic, total);
        if (dropped.length === 0) return;
        await collections.remove(dropped.map((hour) => keys.topicHour(topic, hour)));
        await collections.removeFields(keys.topicHours(topic), dropped);
      }),
    );
  };

  /**
   * Item records are kept `itemDays` days after they were stored, then dropped a day at a time. A
   * dropped item that is still in its feed is not new again: the feed's content hashes (every
   * item the feed still shows) keep it out. The first poll of each day drops what has expired.
   */
  let expiredBefore: string | null = null;
  const expireOnce = async (now: Date): Promise<void> => {
    const horizon = dayOf(new Date(now.getTime() - itemDays * DAY_MS));
    if (expiredBefore !== null && expiredBefore >= horizon) return;
    const previous = expiredBefore;
    expiredBefore = horizon;
    try {
      const [days] = await collections.counts([keys.itemsDays()]);
      const old = [...(days ?? new Map<string, number>())].filter(([day]) => day < horizon).sort((a, b) => byCodeUnits(a[0], b[0]));
      for (const [day, count] of old) {
        const [entries = []] = await collections.lists([keys.itemsDay(day)]);
        const itemKeys = entries.flatMap((entry) => entry.split('\n')).filter(Boolean);
        // In slices, so a busy day's tens of thousands of keys are not one huge command.
        for (let at = 0; at < itemKeys.length; at += KEYS_PER_REMOVE) await collections.remove(itemKeys.slice(at, at + KEYS_PER_REMOVE));
        await collections.remove([keys.itemsDay(day)]);
        await collections.removeFields(keys.itemsDays(), [day]);
        await collections.add([{ ...ITEM_COUNT, by: -count }]);
      }
    } catch {
      // The poll's own writes are done; expiry is tried again at the next poll.
      expiredBefore = previous;
    }
  };

  return {
    addNew: async (incoming, topicsOf, now, options = {}) => {
      const alongside = options.alongside ?? (() => Promise.resolve());
      const plainTexts = options.plainTexts === true;
      const seenNow = new Set<string>();
      const candidates: Array<{ key: string; item: Item }> = [];
      for (const item of incoming) {
        const key = keys.item(item.feedUrl, item.id);
        if (seenNow.has(key)) continue;
        seenNow.add(key);
        candidates.push({ key, item });
      }
      if (candidates.length === 0) {
        await alongside();
        return [];
      }
      // Only the items found absent are made into records (a known one is never encoded), and
      // which of them are new is decided atomically (two processes offering one item store it
      // once). Their commit is awaited with the index writes below: on SQLite they are one commit.
      const firstSeen = now.toISOString();
      const made: Array<StoredItem | undefined> = [];
      const { inserted, stored } = await collections.claimNew(
        candidates.map((candidate) => candidate.key),
        (index) => {
          const { key, item } = candidates[index] as { key: string; item: Item };
          // Object.assign, not a spread followed by more properties: V8 builds that object by a slow
          // path (about 3 us against 0.3, 40,000 times in a first poll cycle).
          const record: StoredItem = Object.assign({}, item, { key, topics: topicsOf(item), firstSeen });
          made[index] = record;
          return itemRecord(remembered(record), plainTexts);
        },
      );
      const fresh = made.filter((record, index): record is StoredItem => record !== undefined && inserted[index] === true);
      if (fresh.length === 0) {
        await Promise.all([stored, alongside()]);
        return [];
      }

      const packs = packsOf(fresh, itemsPerTopic);
      const day = dayOf(now);
      await Promise.all([
        stored,
        collections.append([
          ...packs.map((pack) => ({ key: keys.topicHour(pack.topic, pack.hour), values: [JSON.stringify(pack.entries)] })),
          // One entry per poll, its keys joined: a row per item would cost the store as much again.
          { key: keys.itemsDay(day), values: [fresh.map((item) => item.key).join('\n')] },
        ]),
        collections.add([
          ...packs.map((pack) => ({ key: keys.topicHours(pack.topic), field: pack.hour, by: pack.entries.length })),
          { ...ITEM_COUNT, by: fresh.length },
          { key: keys.itemsDays(), field: day, by: fresh.length },
        ]),
        alongside(),
      ]);
      await expireOnce(now);

      const added = new Map<string, number>();
      for (const pack of packs) added.set(pack.topic, (added.get(pack.topic) ?? 0) + pack.entries.length);
      const overCap: string[] = [];
      for (const [topic, count] of added) {
        const total = believed.get(topic);
        // A trim already under way settles this topic; what it misses, the next one catches.
        if (trimming.has(topic)) believed.set(topic, (total ?? 0) + count);
        else if (total === undefined || total + count > itemsPerTopic) overCap.push(topic);
        else believed.set(topic, total + count);
      }
      for (const topic of overCap) trimming.add(topic);
      try {
        await trim(overCap);
      } finally {
        for (const topic of overCap) trimming.delete(topic);
      }
      return fresh;
    },
    listByTopic: async (topic, options = {}) => {
      const since = options.since ?? null;
      const sinceHour = since === null ? null : hourOf(since);
      const [hours] = await collections.counts([keys.topicHours(topic)]);
      const wanted = [...(hours ?? new Map<string, number>()).keys()].filter((hour) => sinceHour === null || hour >= sinceHour);
      if (wanted.length === 0) return [];
      const lists = await collections.lists(wanted.map((hour) => keys.topicHour(topic, hour)));
      const index = lists
        .flat()
        .flatMap(parseEntries)
        .filter((entry) => since === null || entry.p >= since);
      if (index.length === 0) return [];
      return (await readItems([...new Set(index.map((entry) => entry.k))]))
        .filter((item): item is StoredItem => item !== undefined)
        .sort((a, b) => byCodeUnits(b.published, a.published));
    },
    count: async () => {
      const [counts] = await collections.counts([ITEM_COUNT.key]);
      return counts?.get(ITEM_COUNT.field) ?? 0;
    },
    setStories: async (assignments) => {
      const itemKeys = [...assignments.keys()];
      if (itemKeys.length === 0) return;
      const found = await readItems(itemKeys);
      const changed = found.flatMap((item) => {
        const story = item ? assignments.get(item.key) : undefined;
        return item && story && item.story !== story ? [{ key: item.key, value: encodeItem({ ...item, story }) }] : [];
      });
      if (changed.length === 0) return;
      await collections.putDocs(changed);
      // Processing time, not publication time: the log says what changed when, for other trackers.
      const now = Date.now();
      await collections.append([{ key: keys.storyLog(hourOf(new Date(now).toISOString())), values: changed.map((entry) => entry.key) }]);
      const expired = Array.from({ length: STORY_LOG_HOURS }, (_, n) =>
        keys.storyLog(hourOf(new Date(now - (STORY_LOG_HOURS + 1 + n) * HOUR_MS).toISOString())),
      );
      await collections.remove(expired);
    },
    groupedSince: async (sinceHour, known) => {
      const now = new Date();
      const hours = hoursFrom(sinceHour, now);
      const logged = (await collections.lists(hours.map((hour) => keys.storyLog(hour)))).flat();
      const wanted = [...new Set(logged)].filter((key) => !known(key));
      const items = wanted.length === 0 ? [] : await readItems(wanted);
      return {
        items: items.filter((item): item is StoredItem => item !== undefined && item.story !== undefined),
        // From a few minutes back, so what another process logged just before the hour turned is read.
        nextHour: hourOf(new Date(now.getTime() - 5 * 60_000).toISOString()),
      };
    },
  };
}
