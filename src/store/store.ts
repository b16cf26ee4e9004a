import { openKeyv } from './backend.ts';
import { createFeedStateRepository, type FeedStateRepository } from './feeds.ts';
import { createGuildRepository, type GuildRepository } from './guilds.ts';
import { createItemRepository, type ItemRepository } from './items.ts';
import { createLocalLeases, type Leases } from './leases.ts';
import { createMetaRepository, type MetaRepository } from './meta.ts';
import { serial } from './serial.ts';

export const DEFAULT_STORE_URL = 'sqlite://data/sitrep.sqlite';

export interface Store {
  readonly url: string;
  items: ItemRepository;
  feeds: FeedStateRepository;
  guilds: GuildRepository;
  meta: MetaRepository;
  leases: Leases;
  close(): Promise<void>;
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
  const exclusive = serial();
  return {
    url,
    items: createItemRepository(keyv, exclusive, options.itemsPerTopic ?? 2_000),
    feeds: createFeedStateRepository(keyv, exclusive),
    guilds: createGuildRepository(keyv, exclusive),
    meta: createMetaRepository(keyv),
    leases: createLocalLeases(),
    close: async () => {
      // Let queued writes land before the connection goes.
      await exclusive(() => Promise.resolve());
      await keyv.disconnect();
    },
  };
}
