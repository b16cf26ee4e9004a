import { SitrepError } from '../errors.ts';

/*
 * One small class per way a feed can fail. `code` is what callers and src/chat/messages.ts key
 * on; `message` is technical, starts with "feeds: " and is one sentence a log or a feed's health
 * record can show as it is.
 */

export class FeedTimeoutError extends SitrepError {
  override readonly name = 'FeedTimeoutError' as const;
  readonly timeoutMs: number;
  constructor(url: string, timeoutMs: number, options?: { cause?: unknown }) {
    super('feed.timeout', `feeds: GET ${url} timed out after ${timeoutMs} ms`, options);
    this.timeoutMs = timeoutMs;
  }
}

export class FeedHttpError extends SitrepError {
  override readonly name = 'FeedHttpError' as const;
  readonly status: number;
  /** The status's reason phrase ("Not Found"), empty for unknown codes. */
  readonly reason: string;
  /** Retry-After of a 429/503, ms; null when the server gave none. */
  readonly retryAfterMs: number | null;
  constructor(url: string, status: number, reason: string, extra: { retryAfterMs?: number | null } = {}) {
    super('feed.http', `feeds: ${url} answered HTTP ${status}${reason ? ` ${reason}` : ''}`);
    this.status = status;
    this.reason = reason;
    this.retryAfterMs = extra.retryAfterMs ?? null;
  }
}

export class FeedNotAFeedError extends SitrepError {
  override readonly name = 'FeedNotAFeedError' as const;
  /** What was found instead, e.g. "an HTML page", "plain text", "an empty body". */
  readonly found: string;
  constructor(found: string) {
    super('feed.not-a-feed', `feeds: not a feed: got ${found}`);
    this.found = found;
  }
}

export class FeedParseError extends SitrepError {
  override readonly name = 'FeedParseError' as const;
  constructor(detail: string, options?: { cause?: unknown }) {
    super('feed.parse', `feeds: ${detail}`, options);
  }
}

export class FeedTooLargeError extends SitrepError {
  override readonly name = 'FeedTooLargeError' as const;
  readonly maxBytes: number;
  constructor(url: string, maxBytes: number) {
    super('feed.too-large', `feeds: ${url} sent more than ${maxBytes} bytes`);
    this.maxBytes = maxBytes;
  }
}

export class FeedBlockedAddressError extends SitrepError {
  override readonly name = 'FeedBlockedAddressError' as const;
  readonly address: string;
  constructor(url: string, address: string, range: string) {
    super('feed.blocked-address', `feeds: refused ${url}: it resolves to ${address}, a ${range} address`);
    this.address = address;
  }
}

export class FeedUnsupportedUrlError extends SitrepError {
  override readonly name = 'FeedUnsupportedUrlError' as const;
  constructor(url: string, reason: string) {
    super('feed.url', `feeds: cannot fetch ${url}: ${reason}`);
  }
}

export class FeedTooManyRedirectsError extends SitrepError {
  override readonly name = 'FeedTooManyRedirectsError' as const;
  constructor(url: string, max: number) {
    super('feed.redirects', `feeds: ${url} redirected more than ${max} times`);
  }
}

export class FeedNetworkError extends SitrepError {
  override readonly name = 'FeedNetworkError' as const;
  constructor(url: string, detail: string, options?: { cause?: unknown }) {
    super('feed.network', `feeds: GET ${url} failed: ${detail}`, options);
  }
}

export class FeedReadError extends SitrepError {
  override readonly name = 'FeedReadError' as const;
  constructor(path: string, detail: string, options?: { cause?: unknown }) {
    super('feed.read', `feeds: cannot read file ${path}: ${detail}`, options);
  }
}
