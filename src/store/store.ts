import { openBackend, redactUrl, type BackendKind } from './backend.ts';
import { createFeedStateRepository, forgetSeenBodies, type FeedStateRepository } from './feeds.ts';
import { createGuildRepository, type GuildRepository } from './guilds.ts';
import { createItemRepository, type ItemRepository } from './items.ts';
import type { Leases } from './leases.ts';
import { createMetaRepository, type MetaRepository } from './meta.ts';
import { createOutboxRepository, type OutboxRepository } from './outbox.ts';
import { serial, type Exclusive } from './serial.ts';

export const DEFAULT_STORE_URL = 'sqlite://data/sitrep.sqlite';

export interface Store {
  /** The store URL without its password (safe to log). */
  readonly url: string;
  /** sqlite serves one process; redis and postgres may be shared by several. */
  readonly kind: BackendKind;
  items: ItemRepository;
  feeds: FeedStateRepository;
  guilds: GuildRepository;
  meta: MetaRepository;
  leases: Leases;
  /** Scheduled digests between composing and a confirmed post (src/digest). */
  outbox: OutboxRepository;
  /** Rejects when the store does not answer (for /healthz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the store named by a URL (`sqlite://data/sitrep.sqlite` by default). */
export interface StoreOptions {
  /** Working directory for relative sqlite paths. */
  cwd?: string;
  /** The topic index keeps this many newest entries per topic. */
  itemsPerTopic?: number;
  /** Item records are dropped this many days after they were stored (default 30). */
  itemDays?: number;
  /** Key prefix: several stores can share one Redis server or PostgreSQL database (tests, benches). */
  namespace?: string;
}

export async function openStore(url: string = DEFAULT_STORE_URL, options: StoreOptions = {}): Promise<Store> {
  const backend = await openBackend(url, { cwd: options.cwd ?? process.cwd(), namespace: options.namespace ?? 'sitrep' });
  const { keyv } = backend;
  // Guild settings and digest outboxes are read-modify-write values: each change runs under a named
  // lock of the backend, which excludes other processes on Redis and PostgreSQL, with a queue per
  // name in front so a process waits on the shared lock one section at a time. Items, topic
  // indexes and the feed list take no lock: they use the backend's atomic collections.
  const sections: Exclusive[] = [];
  const section = (name: string): Exclusive => {
    const local = serial();
    sections.push(local);
    return (work) => local(() => backend.lock(name, work));
  };
  const items = createItemRepository(backend.collections, options.itemsPerTopic ?? 2_000, options.itemDays);
  const feeds = createFeedStateRepository(keyv, backend.collections);
  try {
    // Feed states that remember bodies while no item is stored (a store from before the current
    // item layout, or one whose items all expired) would answer "not modified" to every unchanged
    // feed, and its items would never be stored again: such feeds are read in full once more.
    if ((await items.count()) === 0) await forgetSeenBodies(feeds);
  } catch (error) {
    await backend.close();
    throw error;
  }
  return {
    url: redactUrl(url),
    kind: backend.kind,
    items,
    feeds,
    guilds: createGuildRepository(keyv, section('guilds')),
    meta: createMetaRepository(keyv),
    leases: backend.leases,
    outbox: createOutboxRepository(keyv, section('outbox')),
    ping: () => backend.ping(),
    close: async () => {
      // Let queued writes land before the connection goes.
      await Promise.all(sections.map((queue) => queue(() => Promise.resolve())));
      await backend.close();
    },
  };
}
