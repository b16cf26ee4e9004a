export { openStore, emptyFeedState, DEFAULT_STORE_URL } from './store.ts';
export type { Store, StoreOptions, ItemRepository, FeedStateRepository, GuildRepository, MetaRepository } from './store.ts';
export type { StoredItem, FeedState, GuildSettings } from './types.ts';
export { StoreUrlError, StoreOpenError } from './errors.ts';
