import type { Item } from '../news/types.ts';

/** A feed as configured: its URL (http/https, or a file path in sample mode) and an optional name. */
export interface FeedSource {
  url: string;
  name?: string;
}

export interface ParsedFeed {
  title: string;
  items: Item[];
}

/** What one poll of a feed came to. Shells return results; exceptions stop here. */
export type PollResult =
  | { status: 'ok'; feed: ParsedFeed; etag: string | null; lastModified: string | null; bodyHash: string }
  | { status: 'not-modified' }
  | { status: 'failed'; error: { code: string; message: string } };

export interface FetchOptions {
  /** Total time allowed for one request, ms. */
  timeoutMs: number;
  /** Body size cap in bytes. */
  maxBytes: number;
  /** Allow loopback/private addresses (tests and sample servers). */
  allowPrivate: boolean;
  userAgent: string;
}
