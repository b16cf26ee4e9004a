export { openStore, DEFAULT_STORE_URL } from './store.ts';
export type { Store, StoreOptions } from './store.ts';
export { emptyFeedState } from './feeds.ts';
export type { FeedStateRepository } from './feeds.ts';
export type { GuildRepository } from './guilds.ts';
export type { ItemRepository } from './items.ts';
export type { MetaRepository } from './meta.ts';
export type { OutboxRepository, OutboxRecord, ChannelOutbox, ChannelAdvance, ScheduleMark } from './outbox.ts';
export { createLocalLeases, newOwnerId } from './leases.ts';
export type { Leases, Lock } from './leases.ts';
export type { BackendKind } from './backend.ts';
export { emptyGuildSettings } from './types.ts';
export type {
  StoredItem,
  FeedState,
  GuildSettings,
  GuildFeed,
  GuildBaseline,
  DigestSchedule,
} from './types.ts';
export { StoreUrlError, StoreOpenError } from './errors.ts';
