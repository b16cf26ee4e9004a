import type { FetchOptions } from '../types.ts';

export interface FetchFeedOptions extends FetchOptions {
  /** ETag from the last 200; sent as If-None-Match when non-empty. */
  etag?: string | null;
  /** Last-Modified from the last 200; sent as If-Modified-Since when non-empty. */
  lastModified?: string | null;
  /** Cancels the request (on top of `timeoutMs`). */
  signal?: AbortSignal;
}

export type FetchResult =
  | {
      status: 'ok';
      body: Uint8Array;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      /** The URL after redirects. */
      finalUrl: string;
    }
  | { status: 'not-modified' };
