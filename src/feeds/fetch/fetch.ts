import { STATUS_CODES } from 'node:http';
import { Agent, request } from 'undici';
import { SitrepError } from '../../errors.ts';
import {
  FeedHttpError,
  FeedNetworkError,
  FeedTimeoutError,
  FeedTooLargeError,
  FeedTooManyRedirectsError,
} from '../errors.ts';
import { readBody } from './body.ts';
import { freshnessOf, retryAfterMs } from './headers.ts';
import { assertPublicHost, guardedLookup, parseFeedUrl } from './guard.ts';
import type { FetchFeedOptions, FetchResult } from './types.ts';

export const MAX_REDIRECTS = 5;

/**
 * The connection pool feeds are fetched through. Its sockets resolve names through the guarded
 * lookup unless private addresses are allowed, so a kept-alive socket was vetted when it opened.
 * The scheduler shares one for its lifetime (keep-alive to hosts with many feeds); a lone fetch
 * makes its own and destroys it.
 */
export function createFeedAgent(allowPrivate: boolean): Agent {
  return new Agent(allowPrivate ? {} : { connect: { lookup: guardedLookup } });
}

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | null {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text && text.trim() ? text.trim() : null;
}

function requestHeaders(opts: FetchFeedOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': opts.userAgent,
    accept: ACCEPT,
    'accept-encoding': 'gzip, deflate, br',
  };
  // Empty validators would make some servers answer 304 to a first request.
  if (opts.etag?.trim()) headers['if-none-match'] = opts.etag.trim();
  if (opts.lastModified?.trim()) headers['if-modified-since'] = opts.lastModified.trim();
  return headers;
}

/** The first SitrepError in an error's cause chain (undici wraps what a `lookup` throws). */
function sitrepCause(error: unknown): SitrepError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current instanceof SitrepError) return current;
    current = current.cause;
  }
  return null;
}

/** Undici and socket errors, in one sentence: "connection refused (ECONNREFUSED)". */
function describeNetworkError(error: unknown): string {
  const err = error as { code?: unknown; message?: unknown; cause?: unknown };
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  const code = typeof cause?.code === 'string' ? cause.code : typeof err.code === 'string' ? err.code : null;
  const message =
    typeof cause?.message === 'string' && cause.message ? cause.message : String(err.message ?? error);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

/**
 * GET a feed. Redirects are followed here, not by undici, so that every hop passes the scheme
 * check and the SSRF guard. One timer covers every hop, the connect and the body.
 */
export async function fetchFeed(url: string, opts: FetchFeedOptions): Promise<FetchResult> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout.signal, opts.signal]) : timeout.signal;
  // Without a shared agent, one agent per fetch: no socket outlives the fetch.
  const agent = opts.agent ?? createFeedAgent(opts.allowPrivate);
  let current = parseFeedUrl(url);
  try {
    const visited = new Set<string>();
    for (let hop = 0; ; hop += 1) {
      if (!opts.allowPrivate) await assertPublicHost(current);
      visited.add(current.href);
      const response = await request(current, {
        method: 'GET',
        headers: requestHeaders(opts),
        signal,
        dispatcher: agent,
      });
      const headers: Headers = response.headers;
      const location = header(headers, 'location');

      if (REDIRECTS.has(response.statusCode) && location) {
        await response.body.dump();
        const next = parseFeedUrl(new URL(location, current).href);
        if (hop + 1 > MAX_REDIRECTS || visited.has(next.href))
          throw new FeedTooManyRedirectsError(url, MAX_REDIRECTS);
        current = next;
        continue;
      }
      const freshness = freshnessOf(
        {
          cacheControl: header(headers, 'cache-control'),
          expires: header(headers, 'expires'),
          date: header(headers, 'date'),
        },
        Date.now(),
      );
      if (response.statusCode === 304) {
        await response.body.dump();
        return { status: 'not-modified', freshness };
      }
      if (response.statusCode < 200 || response.statusCode > 299) {
        await response.body.dump();
        throw new FeedHttpError(current.href, response.statusCode, STATUS_CODES[response.statusCode] ?? '', {
          retryAfterMs: retryAfterMs(header(headers, 'retry-after'), Date.now()),
        });
      }
      // A declared length past the cap fails before a byte of the body is read.
      const length = Number(header(headers, 'content-length') ?? Number.NaN);
      if (Number.isFinite(length) && length > opts.maxBytes) {
        response.body.destroy();
        throw new FeedTooLargeError(current.href, opts.maxBytes);
      }
      const body = await readBody(response.body, {
        encoding: header(headers, 'content-encoding'),
        maxBytes: opts.maxBytes,
        url: current.href,
      });
      return {
        status: 'ok',
        body,
        contentType: header(headers, 'content-type'),
        etag: header(headers, 'etag'),
        lastModified: header(headers, 'last-modified'),
        finalUrl: current.href,
        freshness,
      };
    }
  } catch (error) {
    if (timeout.signal.aborted) throw new FeedTimeoutError(current.href, opts.timeoutMs, { cause: error });
    const known = sitrepCause(error);
    if (known) throw known;
    if (opts.signal?.aborted)
      throw new FeedNetworkError(current.href, 'aborted by the caller', { cause: error });
    throw new FeedNetworkError(current.href, describeNetworkError(error), { cause: error });
  } finally {
    clearTimeout(timer);
    if (!opts.agent) await agent.destroy().catch(() => undefined);
  }
}
