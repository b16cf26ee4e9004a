import type { FetchOptions } from '../types.ts';

export interface FetchFeedOptions extends FetchOptions {
  /** ETag from the last 200; sent as If-None-Match when non-empty. */
  etag?: string | null;
  /** Last-Modified from the last 200; sent as If-Modified-Since when non-empty. */
  lastModified?: string | null;
  /** Cancels the request (on top of `timeoutMs`). */
  signal?: AbortSignal;
}

/** What the response said about how long it stays fresh (Cache-Control max-age, else Expires). */
export interface Freshness {
  /** ms the response may be reused for, or null when the server said nothing usable. */
  maxAgeMs: number | null;
}

export type FetchResult =
  | {
      status: 'ok';
      freshness: Freshness;
      body: Uint8Array;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      /** The URL after redirects. */
      finalUrl: string;
    }
  | { status: 'not-modified'; freshness: Freshness };
