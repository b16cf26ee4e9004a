import { readFile, stat } from 'node:fs/promises';
import { isSitrepError, oneLine } from '../errors.ts';
import { parseFeed } from '../feeds/index.ts';

/**
 * Parsing is synchronous inside rss-parser, so no timer can stop a parse once it runs; a size
 * cap bounds how long any one file can take instead.
 */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

export type FeedFileLine =
  | {
      file: string;
      ok: true;
      title: string;
      items: Array<{ id: string; title: string; link: string | null; published: string; text: string }>;
    }
  | { file: string; ok: false; error: string };

/** The reason, for a person reading the CLI: technical messages lose their "feeds: " prefix. */
function reason(error: unknown): string {
  // Node's file errors carry a string `code` too, so they are told apart by their `syscall`.
  const { code, syscall } = (error ?? {}) as { code?: unknown; syscall?: unknown };
  if (typeof syscall === 'string' && typeof code === 'string') return `cannot read file: ${code}`;
  if (isSitrepError(error)) return oneLine(error.message.replace(/^feeds: /, ''));
  return oneLine(error);
}

/** One file through the poller's own parse path, as the line `feed parse` prints for it. */
export async function parseFeedFile(file: string, opts: { repair?: boolean } = {}): Promise<FeedFileLine> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return { file, ok: false, error: 'cannot read file: not a regular file' };
    if (info.size > MAX_FILE_BYTES)
      return { file, ok: false, error: `file too large: ${info.size} bytes, the limit is ${MAX_FILE_BYTES}` };
    const body = await readFile(file);
    const feed = await parseFeed(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), {
      feedUrl: file,
      now: new Date(),
      ...(opts.repair === false ? { repair: false } : {}),
    });
    const items = feed.items.map(({ id, title, link, published, text }) => ({
      id,
      title,
      link,
      published,
      text,
    }));
    return { file, ok: true, title: feed.title, items };
  } catch (error) {
    return { file, ok: false, error: reason(error) };
  }
}

/** `sitrep feed parse FILE...`: one JSON line per file; 0 when every file parsed, 1 otherwise. */
export async function runFeedParse(files: string[]): Promise<number> {
  let failed = 0;
  for (const file of files) {
    const line = await parseFeedFile(file);
    if (!line.ok) failed += 1;
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
  return failed > 0 ? 1 : 0;
}

export interface FeedTestOptions {
  timeoutMs: number;
  maxBytes: number;
  allowPrivate: boolean;
  userAgent: string;
  intervalMs: number;
  now: Date;
}

function minutes(ms: number): string {
  return ms >= 3_600_000 && ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${Math.round(ms / 60_000)} min`;
}

/**
 * `sitrep feed test <url>`: one poll through the poller's own path, printed for a person: what the
 * feed is, its first items, when the scheduler would ask again and why, and anything that would
 * show up as a health problem. 0 when the feed reads, 1 when it does not.
 */
export async function runFeedTest(
  url: string,
  opts: FeedTestOptions,
  out: (line: string) => void,
): Promise<number> {
  const { pollFeed } = await import('../feeds/index.ts');
  const { successDelay } = await import('../ingest/timing.ts');
  const result = await pollFeed(
    { url },
    {},
    {
      timeoutMs: opts.timeoutMs,
      maxBytes: opts.maxBytes,
      allowPrivate: opts.allowPrivate,
      userAgent: opts.userAgent,
    },
    opts.now,
  );
  out(`feed: ${url}`);
  if (result.status === 'failed') {
    out(`problem: ${result.error.reason}`);
    if (result.error.retryAfterMs !== null)
      out(`the server asks to wait ${minutes(result.error.retryAfterMs)}`);
    return 1;
  }
  if (result.status === 'not-modified') {
    // No validators are sent on a first request, so this is a server that answers 304 to anyone.
    out('problem: the server answered 304 Not Modified to a request without validators');
    return 1;
  }
  const { feed } = result;
  out(`title: ${feed.title}`);
  out(`items: ${feed.items.length}`);
  for (const item of feed.items.slice(0, 5)) {
    out(`  - ${item.title || '(untitled)'}${item.link ? ` <${item.link}>` : ''} (${item.published})`);
  }
  if (feed.items.length > 5) out(`  ... and ${feed.items.length - 5} more`);
  const delay = successDelay(opts.intervalMs, {
    ttlMinutes: feed.ttlMinutes ?? null,
    maxAgeMs: result.freshness.maxAgeMs,
  });
  const why = [
    feed.ttlMinutes ? `ttl ${feed.ttlMinutes} min` : null,
    result.freshness.maxAgeMs !== null ? `cache ${minutes(result.freshness.maxAgeMs)}` : null,
  ].filter(Boolean);
  out(`next poll: in ${minutes(delay)}${why.length > 0 ? ` (feed says ${why.join(', ')})` : ''}`);
  out(
    `conditional GET: ${result.etag || result.lastModified ? 'yes (ETag/Last-Modified)' : 'no validators; unchanged bodies are skipped by hash'}`,
  );
  const warnings: string[] = [];
  const nowIso = opts.now.toISOString();
  const undated = feed.items.filter((item) => item.published === nowIso).length;
  if (feed.items.length === 0) warnings.push('the feed has no items');
  if (undated > 0)
    warnings.push(
      `${undated} of ${feed.items.length} items have no readable date (they get the time first seen)`,
    );
  const unlinked = feed.items.filter((item) => !item.link).length;
  if (unlinked > 0) warnings.push(`${unlinked} of ${feed.items.length} items have no link`);
  out(warnings.length > 0 ? `warnings: ${warnings.join('; ')}` : 'health: no problems found');
  return 0;
}
