import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import type { Item } from '../news/types.ts';
import { StoreOpenError, StoreUrlError } from './errors.ts';
import { keys } from './keys.ts';
import { serial } from './serial.ts';
import type { FeedState, GuildSettings, StoredItem } from './types.ts';

export const DEFAULT_STORE_URL = 'sqlite://data/sitrep.sqlite';

export interface ItemRepository {
  /** Stores the items not seen before (by feed URL + item id) and returns just those. */
  addNew(items: Item[], topicsOf: (item: Item) => string[], now: Date): Promise<StoredItem[]>;
  /** Items indexed under a topic, newest first. */
  listByTopic(topic: string): Promise<StoredItem[]>;
  count(): Promise<number>;
}

export interface FeedStateRepository {
  get(url: string): Promise<FeedState>;
  put(state: FeedState): Promise<void>;
  list(): Promise<FeedState[]>;
}

export interface GuildRepository {
  get(guildId: string): Promise<GuildSettings>;
  update(guildId: string, change: (current: GuildSettings) => GuildSettings, now: Date): Promise<GuildSettings>;
}

export interface MetaRepository {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
}

export interface Store {
  readonly url: string;
  items: ItemRepository;
  feeds: FeedStateRepository;
  guilds: GuildRepository;
  meta: MetaRepository;
  close(): Promise<void>;
}

export function emptyFeedState(url: string): FeedState {
  return {
    url,
    title: null,
    etag: null,
    lastModified: null,
    bodyHash: null,
    lastAttempt: null,
    lastSuccess: null,
    lastStatus: null,
    consecutiveFailures: 0,
    lastError: null,
    itemCount: 0,
  };
}

function sqlitePath(url: string, cwd: string): string {
  const rest = url.slice('sqlite://'.length);
  if (!rest) throw new StoreUrlError(url, 'no file path after sqlite://');
  return resolve(cwd, rest);
}

async function openKeyv(url: string, cwd: string): Promise<Keyv> {
  if (url.startsWith('sqlite://')) {
    const path = sqlitePath(url, cwd);
    try {
      await mkdir(dirname(path), { recursive: true });
      const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: 5_000 });
      const keyv = new Keyv({ store: adapter, namespace: 'sitrep' });
      // Touch the database now so a bad path fails at start-up, not at the first poll.
      await keyv.get('meta:open');
      return keyv;
    } catch (error) {
      throw new StoreOpenError(url, { cause: error });
    }
  }
  if (/^(redis|rediss|postgres|postgresql):\/\//.test(url)) {
    throw new StoreUrlError(url, 'Redis and PostgreSQL backends are not built in yet; use sqlite://<file>');
  }
  throw new StoreUrlError(url, 'unknown scheme; use sqlite://<file>');
}

/** Opens the store named by a URL (`sqlite://data/sitrep.sqlite` by default). */
export interface StoreOptions {
  /** Working directory for relative sqlite paths. */
  cwd?: string;
  /** The topic index keeps this many newest entries per topic. */
  itemsPerTopic?: number;
}

export async function openStore(url: string = DEFAULT_STORE_URL, options: StoreOptions = {}): Promise<Store> {
  const keyv = await openKeyv(url, options.cwd ?? process.cwd());
  const itemsPerTopic = options.itemsPerTopic ?? 2_000;
  const exclusive = serial();

  const items: ItemRepository = {
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
  };

  const feeds: FeedStateRepository = {
    get: async (url) => (await keyv.get<FeedState>(keys.feed(url))) ?? emptyFeedState(url),
    put: (state) =>
      exclusive(async () => {
        await keyv.set(keys.feed(state.url), state);
        const list = (await keyv.get<string[]>(keys.feedList())) ?? [];
        if (!list.includes(state.url)) await keyv.set(keys.feedList(), [...list, state.url]);
      }),
    list: async () => {
      const list = (await keyv.get<string[]>(keys.feedList())) ?? [];
      const states = await keyv.getMany<FeedState>(list.map((url) => keys.feed(url)));
      return states.filter((state): state is FeedState => state !== undefined && state !== null);
    },
  };

  const guilds: GuildRepository = {
    get: async (guildId) =>
      (await keyv.get<GuildSettings>(keys.guild(guildId))) ?? { guildId, keywords: {}, updatedAt: null },
    update: (guildId, change, now) =>
      exclusive(async () => {
        const current = (await keyv.get<GuildSettings>(keys.guild(guildId))) ?? {
          guildId,
          keywords: {},
          updatedAt: null,
        };
        const next = { ...change(current), guildId, updatedAt: now.toISOString() };
        await keyv.set(keys.guild(guildId), next);
        return next;
      }),
  };

  const meta: MetaRepository = {
    get: async (name) => keyv.get<string>(keys.meta(name)),
    set: async (name, value) => {
      await keyv.set(keys.meta(name), value);
    },
  };

  return {
    url,
    items,
    feeds,
    guilds,
    meta,
    close: async () => {
      // Let queued writes land before the connection goes.
      await exclusive(() => Promise.resolve());
      await keyv.disconnect();
    },
  };
}
