import { contentHash, pollFeed } from '../feeds/index.ts';
import type { FeedSource, FetchOptions } from '../feeds/types.ts';
import type { Logger } from '../log.ts';
import { matchTopics } from '../news/topics/match.ts';
import type { Item, TopicDef } from '../news/types.ts';
import type { FeedState, Store, StoredItem } from '../store/index.ts';
import { feedsPolled, fetchErrors, itemsStored } from '../ops/metrics.ts';
import { nextAfterFailure, nextAfterSuccess, successDelay } from './timing.ts';

/** A topic index items are filed under: a config topic (key = its id) or a guild's extra keywords for it. */
export interface TopicIndex {
  key: string;
  def: TopicDef;
}

/** The part of the store a poll uses, so tools and benches can hand in a smaller one. */
export interface PollStore {
  feeds: Pick<Store['feeds'], 'get' | 'put'>;
  items: Pick<Store['items'], 'addNew'>;
}

export interface CycleDeps {
  store: PollStore;
  /** Read at every feed, so a /watch change applies to the next poll. */
  topics: () => Promise<ReadonlyArray<TopicIndex>>;
  /** Called with the items a poll stored for the first time (story tracking, metrics). */
  onNewItems?: (items: StoredItem[]) => Promise<void>;
  /** Called once when a feed is paused after `pauseAfterFailures` failures in a row (tell its guilds). */
  onFeedPaused?: (state: FeedState) => Promise<void> | void;
  log: Logger;
  fetch: FetchOptions;
  concurrency: number;
  now: () => Date;
  /** Set when the bot is stopping: feeds not yet started are left for the next run. */
  stopping: () => boolean;
  /** The configured poll interval, ms (default 15 min): the shortest gap between two polls of a feed. */
  intervalMs?: number;
  /** Failures in a row after which a feed is paused (default 10). */
  pauseAfterFailures?: number;
  /** Jitter source in [0, 1); tests pass a constant. */
  random?: () => number;
}

export interface CycleReport {
  polled: number;
  failed: number;
  notModified: number;
  newItems: number;
}

export type PollOutcome = { status: 'ok' | 'not-modified' | 'failed'; newItems: number; state: FeedState };

export const DEFAULT_INTERVAL_MS = 15 * 60_000;
export const DEFAULT_PAUSE_AFTER = 10;
/** Content hashes kept per feed: a few polls' worth of items for any normal feed. */
const MAX_RECENT_HASHES = 500;

// The re-keyed copy of a definition stays the same object from poll to poll, so matching in this
// thread (no parse worker) finds its compiled topic list by identity instead of by content.
const rekeyed = new WeakMap<TopicDef, Map<string, TopicDef>>();

/** The definition to match with, carrying the index key as its id. */
function filedUnder(index: TopicIndex): TopicDef {
  if (index.def.id === index.key) return index.def;
  let byKey = rekeyed.get(index.def);
  if (!byKey) rekeyed.set(index.def, (byKey = new Map<string, TopicDef>()));
  let def = byKey.get(index.key);
  if (!def) byKey.set(index.key, (def = { ...index.def, id: index.key }));
  return def;
}

/** Items whose content this feed has already delivered (under another id) are dropped. */
function dropRepeats(items: Item[], known: ReadonlyArray<string> | undefined, recent: ReadonlyArray<string>): { items: Item[]; hashes: string[] } {
  const seen = new Set(recent);
  const kept: Item[] = [];
  const current: string[] = [];
  for (const [index, item] of items.entries()) {
    const hash = known?.[index] ?? contentHash(item);
    current.push(hash);
    if (seen.has(hash)) continue;
    seen.add(hash);
    kept.push(item);
  }
  // Newest knowledge first, so the cap drops what the feed stopped showing longest ago.
  const hashes = [...new Set([...current, ...recent])].slice(0, Math.max(MAX_RECENT_HASHES, current.length));
  return { items: kept, hashes };
}

/**
 * One feed: fetch, parse, match topics, store new items and the feed's health, and decide when it
 * is polled next. `dueAt` is when the scheduler meant to poll it (defaults to now). Never throws
 * for the feed's own failures; only the store can throw.
 */
export async function pollOne(
  source: FeedSource,
  deps: CycleDeps,
  opts: { state?: FeedState; dueAt?: number } = {},
): Promise<PollOutcome> {
  const state = opts.state ?? (await deps.store.feeds.get(source.url));
  const intervalMs = deps.intervalMs ?? DEFAULT_INTERVAL_MS;
  const started = deps.now();
  const now = started.getTime();
  const dueAt = opts.dueAt ?? now;
  // Topics are read only for a body that was fetched (not for a 304), and matched in the parse
  // worker with the feed, so the main thread only stores.
  let defs: TopicDef[] | null = null;
  const topicDefs = async (): Promise<TopicDef[]> => (defs ??= (await deps.topics()).map(filedUnder));
  const result = await pollFeed(source, state, deps.fetch, started, topicDefs);
  const attempt = started.toISOString();

  if (result.status === 'failed') {
    const failures = state.consecutiveFailures + 1;
    const pauseAfter = deps.pauseAfterFailures ?? DEFAULT_PAUSE_AFTER;
    const pausing = !state.paused && failures >= pauseAfter;
    const next = nextAfterFailure({
      now,
      failures,
      intervalMs,
      retryAfterMs: result.error.retryAfterMs,
      random: (deps.random ?? Math.random)(),
    });
    const updated: FeedState = {
      ...state,
      lastAttempt: attempt,
      lastStatus: 'failed',
      lastHttpStatus: result.error.httpStatus,
      consecutiveFailures: failures,
      lastError: result.error.reason,
      nextPoll: pausing || state.paused ? null : new Date(next).toISOString(),
      paused: state.paused || pausing,
      pausedAt: pausing ? attempt : state.pausedAt,
    };
    await deps.store.feeds.put(updated);
    feedsPolled.inc({ status: 'failed' });
    fetchErrors.inc({ kind: result.error.code });
    deps.log.warn({ feed: source.url, code: result.error.code, failures }, result.error.message);
    if (pausing) {
      deps.log.warn({ feed: source.url, failures, reason: result.error.reason }, 'feed paused');
      try {
        await deps.onFeedPaused?.(updated);
      } catch (error) {
        // Telling the guilds is best effort; the pause itself is already stored.
        deps.log.error({ feed: source.url, err: (error as Error).message }, 'onFeedPaused failed');
      }
    }
    return { status: 'failed', newItems: 0, state: updated };
  }

  // A 304 carries no body: the ttl of the last body read still holds.
  const ttlMinutes = result.status === 'ok' ? (result.feed.ttlMinutes ?? null) : state.ttlMinutes;
  const hints = { ...result.freshness, ttlMinutes };
  const nextPoll = new Date(
    nextAfterSuccess({ url: source.url, dueAt, now, delayMs: successDelay(intervalMs, hints), intervalMs }),
  ).toISOString();
  const healthy = {
    lastAttempt: attempt,
    lastSuccess: attempt,
    consecutiveFailures: 0,
    lastError: null,
    nextPoll,
    paused: false,
    pausedAt: null,
  };

  if (result.status === 'not-modified') {
    // A 304 and an unchanged body both land here; only a real 304 is one.
    const updated: FeedState = {
      ...state,
      ...healthy,
      lastStatus: 'not-modified',
      lastHttpStatus: result.httpStatus,
    };
    await deps.store.feeds.put(updated);
    feedsPolled.inc({ status: 'not-modified' });
    return { status: 'not-modified', newItems: 0, state: updated };
  }

  const { items, hashes } = dropRepeats(result.feed.items, result.feed.hashes, state.recentHashes);
  const matched = new Map<Item, string[]>();
  result.feed.topics?.forEach((topics, index) => {
    const item = result.feed.items[index];
    if (item) matched.set(item, topics);
  });
  const updated: FeedState = {
    ...state,
    ...healthy,
    title: result.feed.title,
    etag: result.etag,
    lastModified: result.lastModified,
    bodyHash: result.bodyHash,
    lastStatus: 'ok',
    lastHttpStatus: /^https?:/i.test(source.url) ? 200 : null,
    itemCount: result.feed.items.length,
    recentHashes: hashes,
    ttlMinutes,
  };
  // The feed's new state is written with its new items (one commit on SQLite), never before them:
  // a state that says "seen" must not outlive items a crash lost.
  const putState = (): Promise<void> => deps.store.feeds.put(updated);
  const fresh =
    items.length === 0
      ? await putState().then(() => [])
      : await deps.store.items.addNew(
          items,
          (item) => matched.get(item) ?? matchTopics({ title: item.title, text: item.text }, defs ?? []).map((match) => match.topic),
          started,
          // Parsed texts are plain (ParsedFeed).
          { alongside: putState, plainTexts: true },
        );
  if (fresh.length > 0 && deps.onNewItems) await deps.onNewItems(fresh);
  feedsPolled.inc({ status: 'ok' });
  itemsStored.inc(fresh.length);
  deps.log.info({ feed: source.url, items: result.feed.items.length, new: fresh.length }, 'feed polled');
  return { status: 'ok', newItems: fresh.length, state: updated };
}

/**
 * Polls every feed once, a few at a time, so one slow or broken feed never holds up the others.
 * The scheduler (scheduler.ts) is what the bot runs; this one-shot pass serves tools and tests.
 */
export async function runPollCycle(
  sources: ReadonlyArray<FeedSource>,
  deps: CycleDeps,
): Promise<CycleReport> {
  const report: CycleReport = { polled: 0, failed: 0, notModified: 0, newItems: 0 };
  const queue = [...sources];
  const worker = async (): Promise<void> => {
    for (let source = queue.shift(); source; source = queue.shift()) {
      if (deps.stopping()) return;
      try {
        const outcome = await pollOne(source, deps);
        report.polled += 1;
        report.newItems += outcome.newItems;
        if (outcome.status === 'failed') report.failed += 1;
        if (outcome.status === 'not-modified') report.notModified += 1;
      } catch (error) {
        // Only the store can throw here; the feed's own failures are results.
        report.failed += 1;
        deps.log.error({ feed: source.url, err: (error as Error).message }, 'could not record a poll');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, deps.concurrency) }, () => worker()));
  return report;
}
