export { createFeedAgent, fetchFeed, MAX_REDIRECTS } from './fetch.ts';
export { assertPublicHost, isPublicAddress, parseFeedUrl } from './guard.ts';
export { freshnessOf, retryAfterMs } from './headers.ts';
export type { FetchFeedOptions, FetchResult, Freshness } from './types.ts';
