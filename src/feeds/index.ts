export { parseFeed } from './parse/index.ts';
export type { ParseOptions } from './parse/index.ts';
export { fetchFeed, MAX_REDIRECTS, assertPublicHost, isPublicAddress, parseFeedUrl } from './fetch/index.ts';
export type { FetchFeedOptions, FetchResult } from './fetch/index.ts';
export { pollFeed } from './poll/index.ts';
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
export type { FeedSource, FetchOptions, ParsedFeed, PollResult } from './types.ts';
