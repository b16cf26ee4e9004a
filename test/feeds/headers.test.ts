import { describe, expect, it } from 'vitest';
import { describeFeedFailure, freshnessOf, retryAfterMs } from '../../src/feeds/index.ts';
import {
  FeedHttpError,
  FeedNotAFeedError,
  FeedTimeoutError,
  FeedTooLargeError,
} from '../../src/feeds/index.ts';

const NOW = Date.parse('2020-01-02T03:04:05Z');

describe('retryAfterMs', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(retryAfterMs('120', NOW)).toBe(120_000);
    expect(retryAfterMs('Thu, 02 Jan 2020 04:04:05 GMT', NOW)).toBe(3_600_000);
    expect(retryAfterMs('Thu, 02 Jan 2020 02:00:00 GMT', NOW)).toBe(0);
    expect(retryAfterMs('soon', NOW)).toBeNull();
    expect(retryAfterMs(null, NOW)).toBeNull();
  });
});

describe('freshnessOf', () => {
  const none = { cacheControl: null, expires: null, date: null };
  it('prefers max-age over Expires and reads Expires against the server Date', () => {
    expect(freshnessOf({ ...none, cacheControl: 'public, max-age=600' }, NOW)).toEqual({ maxAgeMs: 600_000 });
    expect(
      freshnessOf({ cacheControl: 'max-age=60', expires: 'Thu, 02 Jan 2020 09:00:00 GMT', date: null }, NOW),
    ).toEqual({ maxAgeMs: 60_000 });
    expect(
      freshnessOf(
        { ...none, expires: 'Thu, 01 Jan 1970 02:00:00 GMT', date: 'Thu, 01 Jan 1970 01:00:00 GMT' },
        NOW,
      ),
    ).toEqual({ maxAgeMs: 3_600_000 });
  });
  it('gives no hint for no-cache, no-store, or nothing usable', () => {
    expect(freshnessOf({ ...none, cacheControl: 'no-cache, max-age=600' }, NOW)).toEqual({ maxAgeMs: null });
    expect(freshnessOf({ ...none, expires: '0' }, NOW)).toEqual({ maxAgeMs: null });
    expect(freshnessOf(none, NOW)).toEqual({ maxAgeMs: null });
  });
});

describe('describeFeedFailure', () => {
  it('says what went wrong in one short sentence', () => {
    expect(describeFeedFailure(new FeedHttpError('https://a.example/', 404, 'Not Found'))).toBe(
      'HTTP 404 Not Found',
    );
    expect(describeFeedFailure(new FeedTimeoutError('https://a.example/', 15_000))).toBe(
      'timed out after 15 s',
    );
    expect(describeFeedFailure(new FeedNotAFeedError('an HTML page'))).toBe('not a feed: got an HTML page');
    expect(describeFeedFailure(new FeedTooLargeError('https://a.example/', 5_000_000))).toBe(
      'the feed is larger than the 5 MB limit',
    );
  });
});
