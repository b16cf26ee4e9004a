import { oneLine } from '../../errors.ts';
import {
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
} from '../errors.ts';

/** Bytes for a person: "5 MB", "800 KB". */
function size(bytes: number): string {
  if (bytes >= 1_000_000) return `${Math.round(bytes / 100_000) / 10} MB`;
  if (bytes >= 1_000) return `${Math.round(bytes / 1_000)} KB`;
  return `${bytes} bytes`;
}

/** The technical message without its "feeds: " prefix and without the URL, which the reader already knows. */
function bare(message: string): string {
  return oneLine(message.replace(/^feeds: /, ''));
}

/**
 * One short sentence a guild admin can act on, stored as a feed's `lastError` and shown by
 * /feeds and /status: "HTTP 404 Not Found", "not a feed: got an HTML page", "timed out after
 * 15 s". The URL is left out: the health record belongs to the feed already.
 */
export function describeFeedFailure(error: unknown): string {
  if (error instanceof FeedHttpError) return `HTTP ${error.status}${error.reason ? ` ${error.reason}` : ''}`;
  if (error instanceof FeedTimeoutError) return `timed out after ${Math.round(error.timeoutMs / 100) / 10} s`;
  if (error instanceof FeedNotAFeedError) return `not a feed: got ${error.found}`;
  if (error instanceof FeedTooLargeError) return `the feed is larger than the ${size(error.maxBytes)} limit`;
  if (error instanceof FeedTooManyRedirectsError) return 'too many redirects (a loop or more than 5)';
  if (error instanceof FeedBlockedAddressError) return `refused: the address ${error.address} is not public`;
  if (error instanceof FeedParseError) return `could not read the feed: ${bare(error.message)}`;
  if (error instanceof FeedNetworkError)
    return `network error: ${bare(error.message).replace(/^GET \S+ failed: /, '')}`;
  if (error instanceof FeedUnsupportedUrlError)
    return bare(error.message).replace(/^cannot fetch \S+: /, 'bad URL: ');
  if (error instanceof FeedReadError) return bare(error.message);
  return `unexpected error: ${oneLine(error)}`;
}
