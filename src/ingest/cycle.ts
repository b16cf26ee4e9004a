import { pollFeed } from '../feeds/index.ts';
import type { FeedSource, FetchOptions } from '../feeds/types.ts';
import type { Logger } from '../log.ts';
import { matchTopics } from '../news/index.ts';
import type { TopicDef } from '../news/types.ts';
import type { Store, StoredItem } from '../store/index.ts';

/** A topic index items are filed under: a config topic (key = its id) or a guild's extra keywords for it. */
export interface TopicIndex {
  key: string;
  def: TopicDef;
}

export interface CycleDeps {
  store: Store;
  /** Read at every feed, so a /watch change applies to the next poll. */
  topics: () => Promise<ReadonlyArray<TopicIndex>>;
  /** Called with the items a poll stored for the first time (story tracking, metrics). */
  onNewItems?: (items: StoredItem[]) => Promise<void>;
  log: Logger;
  fetch: FetchOptions;
  concurrency: number;
  now: () => Date;
  /** Set when the bot is stopping: feeds not yet started are left for the next run. */
  stopping: () => boolean;
}

export interface CycleReport {
  polled: number;
  failed: number;
  notModified: number;
  newItems: number;
}

/** One feed: fetch, parse, match topics, store new items and the feed's health. Never throws. */
export async function pollOne(source: FeedSource, deps: CycleDeps): Promise<{ status: string; newItems: number }> {
  const state = await deps.store.feeds.get(source.url);
  const started = deps.now();
  const result = await pollFeed(source, state, deps.fetch, started);
  const attempt = started.toISOString();
  if (result.status === 'failed') {
    const failures = state.consecutiveFailures + 1;
    await deps.store.feeds.put({
      ...state,
      lastAttempt: attempt,
      lastStatus: 'failed',
      consecutiveFailures: failures,
      lastError: result.error.message.replace(/^feeds: /, ''),
    });
    deps.log.warn({ feed: source.url, code: result.error.code, failures }, result.error.message);
    return { status: 'failed', newItems: 0 };
  }
  if (result.status === 'not-modified') {
    await deps.store.feeds.put({
      ...state,
      lastAttempt: attempt,
      lastSuccess: attempt,
      lastStatus: 'not-modified',
      consecutiveFailures: 0,
      lastError: null,
    });
    return { status: 'not-modified', newItems: 0 };
  }
  const indexes = await deps.topics();
  const defs = indexes.map((index) => ({ ...index.def, id: index.key }));
  const fresh = await deps.store.items.addNew(
    result.feed.items,
    (item) => matchTopics({ title: item.title, text: item.text }, defs).map((match) => match.topic),
    started,
  );
  if (fresh.length > 0 && deps.onNewItems) await deps.onNewItems(fresh);
  await deps.store.feeds.put({
    ...state,
    title: result.feed.title,
    etag: result.etag,
    lastModified: result.lastModified,
    bodyHash: result.bodyHash,
    lastAttempt: attempt,
    lastSuccess: attempt,
    lastStatus: 'ok',
    consecutiveFailures: 0,
    lastError: null,
    itemCount: result.feed.items.length,
  });
  deps.log.info({ feed: source.url, items: result.feed.items.length, new: fresh.length }, 'feed polled');
  return { status: 'ok', newItems: fresh.length };
}

/** Polls every feed, a few at a time, so one slow or broken feed never holds up the others. */
export async function runPollCycle(sources: ReadonlyArray<FeedSource>, deps: CycleDeps): Promise<CycleReport> {
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
