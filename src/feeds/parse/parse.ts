import { hash } from 'node:crypto';
import { matchTopics } from '../../news/topics/match.ts';
import type { TopicDef } from '../../news/types.ts';
import type { ParsedFeed } from '../types.ts';
import { contentHash } from './content-hash.ts';
import { decodeBody, gunzipIfCompressed } from './decode.ts';
import { readJsonFeed } from './json-feed.ts';
import { normalizeFeed } from './normalize.ts';
import { sniff } from './sniff.ts';
import { readXmlFeed } from './xml-feed.ts';

export interface ParseOptions {
  /** The feed's configured URL (or file path in sample mode): items carry it, relative links resolve against it. */
  feedUrl: string;
  /** Stands in for a missing or unreadable item date. */
  now: Date;
  /** The feed's configured name, if any: the feed's title and every item's source (see normalizeFeed). */
  name?: string;
  /** The response's Content-Type, for its charset. */
  contentType?: string | null;
  /** Retry a rejected XML document once after repair.ts (default true; the corpus test turns it off to count what repair rescues). */
  repair?: boolean;
  /**
   * Topics to match each item against while parsing (in the parse worker, off the main thread);
   * the result's `topics` then lists each item's matches, by item position.
   */
  topics?: readonly TopicDef[];
  /**
   * Content hashes (contentHash) of items the poller already has from this feed: with `topics`,
   * such items are not matched (their `topics` entry is empty), since the poller drops them as
   * repeats. A changed feed is mostly items seen before.
   */
  knownHashes?: readonly string[];
  /**
   * The hash (bodyHash) of the body this feed gave last time: a body that hashes the same is not
   * parsed, and the result says it is `unchanged`. Many servers ignore conditional requests.
   */
  previousBodyHash?: string | null;
}

/** What identifies a body's bytes: a changed byte anywhere is a changed body. */
export function bodyHash(body: string | Uint8Array): string {
  return hash('sha256', body, 'hex');
}

/**
 * Bytes (or text) in, a normalized feed out. Throws FeedNotAFeedError for what is not a feed at
 * all (an HTML page, plain text, an empty body) and FeedParseError for a feed it cannot read.
 */
export async function parseFeed(body: string | Uint8Array, opts: ParseOptions): Promise<ParsedFeed> {
  // Hashed where the body is parsed (a worker thread in the bot), off the thread that polls.
  const hashed = bodyHash(body);
  if (opts.previousBodyHash && opts.previousBodyHash === hashed) return { title: '', items: [], bodyHash: hashed, unchanged: true };
  const bytes = typeof body === 'string' ? body : gunzipIfCompressed(body);
  const sniffed = sniff(decodeBody(bytes, opts.contentType));
  const raw =
    sniffed.kind === 'json'
      ? readJsonFeed(sniffed.value)
      : await readXmlFeed(sniffed.text, sniffed.root, { repair: opts.repair ?? true });
  const normalized = normalizeFeed(raw, { feedUrl: opts.feedUrl, now: opts.now, ...(opts.name ? { name: opts.name } : {}) });
  const hashes = normalized.items.map(contentHash);
  const feed: ParsedFeed = { ...normalized, hashes, bodyHash: hashed };
  const topics = opts.topics;
  if (!topics) return feed;
  const known = new Set(opts.knownHashes ?? []);
  return {
    ...feed,
    topics: feed.items.map((item, index) =>
      known.has(hashes[index] ?? '') ? [] : matchTopics({ title: item.title, text: item.text }, topics).map((match) => match.topic),
    ),
  };
}
