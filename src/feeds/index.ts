export { contentHash, createParsePool, defaultParseThreads, parseFeed } from './parse/index.ts';
export type { FeedParser, ParseOptions, ParsePool } from './parse/index.ts';
export {
  createFeedAgent,
  fetchFeed,
  MAX_REDIRECTS,
  assertPublicHost,
  isPublicAddress,
  parseFeedUrl,
} from './fetch/index.ts';
export { freshnessOf, retryAfterMs } from './fetch/index.ts';
export type { FetchFeedOptions, FetchResult, Freshness } from './fetch/index.ts';
export { describeFeedFailure, pollFeed } from './poll/index.ts';
export type { PollState } from './poll/index.ts';
export {
  FeedBlockedAddressError,
  FeedHttpError,
  FeedNetworkError,
  FeedNotAFeedError,
  FeedParseError,
  FeedReadError,
  FeedTimeoutError,
  FeedTooLargeError,
  FeedTooManyRedirectsError,
  FeedUnsupportedUrlError,
} from './errors.ts';
export type {
  FeedSource,
  FetchOptions,
  ParsedFeed,
  PollFailure,
  PollFreshness,
  PollResult,
} from './types.ts';
