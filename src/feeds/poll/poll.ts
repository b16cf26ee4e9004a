import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isSitrepError, oneLine } from '../../errors.ts';
import { FeedHttpError, FeedReadError } from '../errors.ts';
import { fetchFeed } from '../fetch/index.ts';
import { parseFeed } from '../parse/index.ts';
import type { TopicDef } from '../../news/types.ts';
import type { FeedSource, FetchOptions, PollFreshness, PollResult } from '../types.ts';
import { describeFeedFailure } from './describe.ts';
import type { PollState } from './types.ts';

/** Sample mode reads feeds from disk: a file:// URL or anything that is not an http(s) URL. */
function localPath(url: string): string | null {
  if (/^file:/i.test(url)) return fileURLToPath(url);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return null;
  return url;
}

async function readLocal(path: string, maxBytes: number): Promise<Uint8Array> {
  try {
    const bytes = await readFile(path);
    if (bytes.byteLength > maxBytes) throw new FeedReadError(path, `larger than ${maxBytes} bytes`);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (error) {
    if (error instanceof FeedReadError) throw error;
    const code = (error as { code?: unknown }).code;
    throw new FeedReadError(path, typeof code === 'string' ? code : oneLine(error), { cause: error });
  }
}

/** What an error becomes in a result: a stable code and one technical line. */
function failure(error: unknown): PollResult {
  const known = error instanceof Error && isSitrepError(error) && error.code.includes('.');
  return {
    status: 'failed',
    error: {
      code: known ? error.code : 'feed.internal',
      message: known ? oneLine(error.message) : `feeds: unexpected error: ${oneLine(error)}`,
      reason: describeFeedFailure(error),
      httpStatus: error instanceof FeedHttpError ? error.status : null,
      retryAfterMs: error instanceof FeedHttpError ? error.retryAfterMs : null,
    },
  };
}

/**
 * One poll of one feed: fetch (or read, in sample mode), skip an unchanged body by its hash,
 * parse. Never throws: every failure comes back as `{status: 'failed', error}` for the feed's
 * health record.
 */
export async function pollFeed(
  source: FeedSource,
  state: PollState,
  opts: FetchOptions,
  now: Date,
  /** Topics to match the items against while parsing (see ParseOptions.topics); read only when a body was fetched. */
  topics?: () => Promise<readonly TopicDef[]>,
): Promise<PollResult> {
  try {
    const path = localPath(source.url);
    let body: Uint8Array;
    let contentType: string | null = null;
    let etag: string | null = null;
    let lastModified: string | null = null;
    // Local files say nothing about freshness; the configured interval applies.
    let freshness: PollFreshness = { maxAgeMs: null };
    if (path !== null) {
      body = await readLocal(path, opts.maxBytes);
    } else {
      const fetched = await fetchFeed(source.url, {
        ...opts,
        etag: state.etag ?? null,
        lastModified: state.lastModified ?? null,
      });
      if (fetched.status === 'not-modified')
        return { status: 'not-modified', freshness: fetched.freshness, httpStatus: 304 };
      ({ body, contentType, etag, lastModified, freshness } = fetched);
    }
    const feed = await (opts.parser ?? parseFeed)(body, {
      feedUrl: source.url,
      now,
      contentType,
      // Many servers ignore conditional requests; an identical body is just as unchanged.
      previousBodyHash: state.bodyHash ?? null,
      ...(source.name ? { name: source.name } : {}),
      ...(topics ? { topics: await topics(), knownHashes: state.recentHashes ?? [] } : {}),
    });
    if (feed.unchanged) return { status: 'not-modified', freshness, httpStatus: path === null ? 200 : null };
    return { status: 'ok', feed, etag, lastModified, bodyHash: feed.bodyHash, freshness };
  } catch (error) {
    return failure(error);
  }
}
