import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { ParsedFeed } from '../types.ts';
import { parseFeed, type ParseOptions } from './parse.ts';
import { rethrown, type ParseTask, type ParseTaskResult } from './worker-task.ts';

/** Turns a fetched body into a feed: in this thread, or in a worker pool (which may take over the body's memory). */
export type FeedParser = (body: Uint8Array, opts: ParseOptions) => Promise<ParsedFeed>;

export interface ParsePool {
  parse: FeedParser;
  /**
   * Settles once every worker has parsed a first small feed: a worker spends its first few hundred
   * milliseconds loading modules, during which the first polls' bodies would only queue up.
   */
  readonly ready: Promise<void>;
  /** Worker threads (0: parsing runs in the calling thread). */
  readonly threads: number;
  close(): Promise<void>;
}

/** Bodies handed to a worker before it has parsed the ones it holds (see createParsePool). */
const TASKS_PER_WORKER = 4;

/** What each worker parses first (HTML, entities, a topic match: the code a poll runs), and its topics. */
export const WARM_UP_FEED = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Warm-up</title>
<item><title>Talks &amp; truce</title><link>https://warm-up.example/1</link><guid>1</guid><pubDate>Fri, 20 Nov 2015 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Ministers met in Vienna &amp;mdash; again.&lt;/p&gt;</description>
<content:encoded><![CDATA[<p>Ministers met in <b>Vienna</b> on Saturday.</p><p>Talks&nbsp;went on.</p>]]></content:encoded></item>
</channel></rss>`;
export const WARM_UP_TOPICS = [{ id: 'warm-up', name: 'Warm-up', keywords: ['Vienna'], aliases: [], exclude: [] }];

/** The longest the pool's readiness waits for the warm-up parse. */
const WARM_UP_WAIT_MS = 10_000;

/** One thread per core beyond the main one, which fetches, matches and stores. */
export function defaultParseThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * Parsing is most of a poll's CPU time (XML, HTML to text); in worker threads it runs on the
 * other cores and leaves the main thread free to answer commands and keep store writes flowing.
 * `threads` 0 parses in this thread (tools, tests, one-core machines).
 */
export function createParsePool(threads: number): ParsePool {
  if (threads <= 0) return { parse: parseFeed, ready: Promise.resolve(), threads: 0, close: () => Promise.resolve() };
  const pool = new Piscina<ParseTask, ParseTaskResult>({
    filename: new URL('./worker.mjs', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    // A worker holds a few bodies at once, so it starts the next as soon as one is parsed: with
    // one at a time it sat idle after each until the main thread, often busy storing, handed it
    // the next. Feeds bench, first cycle, interleaved runs: 3 at a time +14% feeds/s over 1, 4
    // a little more again, both at the same peak RSS; 6 no faster and 20-30 MB more.
    concurrentTasksPerWorker: TASKS_PER_WORKER,
    // A worker that sits idle keeps its memory; the poller uses them every cycle anyway.
    idleTimeout: 60_000,
    // A parse allocates many short-lived strings (about 0.9 MB for a 49 KB feed), of which little
    // outlives it: a small young generation is collected often but cheaply, and stays in the
    // core's cache. 2 MB against 4: feeds bench first cycle faster in 11 interleaved pairs of 14
    // (mean 425 against 398 feeds/s), same peak RSS; 16 MB was slower in 3 of 3.
    resourceLimits: { maxYoungGenerationSizeMb: 2 },
  });
  // One small feed per worker as soon as it starts, so the code a poll runs is loaded (and
  // somewhat warmed) when the first bodies come. A failure here is a real parse's failure later,
  // and a worker that takes too long only delays the first polls, as it would have anyway.
  const warmedUp = Promise.all(
    Array.from({ length: threads }, () =>
      pool.run({ body: new TextEncoder().encode(WARM_UP_FEED), opts: { feedUrl: 'warm-up', now: new Date(0), topics: WARM_UP_TOPICS } }),
    ),
  ).then(
    () => undefined,
    () => undefined,
  );
  const ready = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, WARM_UP_WAIT_MS);
    timer.unref();
    void warmedUp.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
  return {
    threads,
    ready,
    parse: async (body, opts) => {
      // A body that owns its whole memory is handed over instead of copied (the caller is done
      // with it); a view into a shared pool buffer must be copied, or the pool would be taken too.
      const owned = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer;
      const result = await pool.run({ body, opts }, owned ? { transferList: [body.buffer] } : {});
      if (!result.ok) throw rethrown(result);
      return result.feed;
    },
    close: () => pool.destroy(),
  };
}
