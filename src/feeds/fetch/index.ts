export { fetchFeed, MAX_REDIRECTS } from './fetch.ts';
export { assertPublicHost, isPublicAddress, parseFeedUrl } from './guard.ts';
export type { FetchFeedOptions, FetchResult } from './types.ts';
