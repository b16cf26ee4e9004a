import type { Agent } from 'undici';
import type { Item } from '../news/types.ts';
import type { FeedParser } from './parse/pool.ts';

/** A feed as configured: its URL (http/https, or a file path in sample mode) and an optional name. */
export interface FeedSource {
  url: string;
  name?: string;
}

export interface ParsedFeed {
  title: string;
  /**
   * Each text holds no NUL and no lone surrogate: converting it to text drops control characters
   * (text.ts) and normalizeFeed's `own` replaces lone surrogates. A store keeps such a text as it
   * is without checking it again (ItemRepository.addNew's `plainTexts`).
   */
  items: Item[];
  /** RSS `<ttl>`: minutes the feed asks readers to wait between polls; null when it says nothing. */
  ttlMinutes?: number | null;
  /** Each item's topics (by position in `items`), when the parse was asked to match them. */
  topics?: string[][];
  /** Each item's content hash (contentHash, by position in `items`), computed while parsing. */
  hashes?: string[];
  /** The hash of the body's bytes (bodyHash), as the feed's state keeps it. */
  bodyHash: string;
  /** The body hashed as the one parsed last time (ParseOptions.previousBodyHash): it was not parsed. */
  unchanged?: boolean;
}

/** What a response said about its own freshness; `maxAgeMs` null when it said nothing usable. */
export interface PollFreshness {
  maxAgeMs: number | null;
}

/** A failed poll, for logs (`message`) and for the feed's health record (`reason`). */
export interface PollFailure {
  /** Stable code of the SitrepError, e.g. "feed.http". */
  code: string;
  /** Technical, one line: "feeds: GET https://... timed out after 15000 ms". */
  message: string;
  /** One human sentence: "HTTP 404 Not Found", "timed out after 15 s". */
  reason: string;
  /** The HTTP status when the server answered with an error status. */
  httpStatus: number | null;
  /** Retry-After of a 429/503, ms. */
  retryAfterMs: number | null;
}

/** What one poll of a feed came to. Shells return results; exceptions stop here. */
export type PollResult =
  | {
      status: 'ok';
      feed: ParsedFeed;
      etag: string | null;
      lastModified: string | null;
      bodyHash: string;
      freshness: PollFreshness;
    }
  /** `httpStatus` 304 for a real 304, 200 for a body identical to the last, null for a local file. */
  | { status: 'not-modified'; freshness: PollFreshness; httpStatus: number | null }
  | { status: 'failed'; error: PollFailure };

export interface FetchOptions {
  /** Total time allowed for one request, ms. */
  timeoutMs: number;
  /** Body size cap in bytes. */
  maxBytes: number;
  /** Allow loopback/private addresses (tests and sample servers). */
  allowPrivate: boolean;
  userAgent: string;
  /** A shared connection pool (`createFeedAgent`); without one each fetch opens and closes its own. */
  agent?: Agent;
  /** Where bodies are parsed (a worker pool, `createParsePool`); in this thread by default. */
  parser?: FeedParser;
}
