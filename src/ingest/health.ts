import type { FeedState, Store } from '../store/index.ts';

/** How a feed is doing, in one word: what /feeds list and /status show first. */
export type FeedHealthStatus = 'ok' | 'failing' | 'paused' | 'pending';

/** One feed's health, for /feeds list and /status. Times are ISO strings. */
export interface FeedHealth {
  url: string;
  /** The feed's own title once read; null before the first success. */
  title: string | null;
  status: FeedHealthStatus;
  lastSuccess: string | null;
  lastAttempt: string | null;
  /** "ok", "not-modified" or "failed"; null before the first poll. */
  lastStatus: string | null;
  /** HTTP status of the last answer; null for local files and network failures. */
  lastHttpStatus: number | null;
  consecutiveFailures: number;
  /** One human sentence ("HTTP 404 Not Found"); null after a success. */
  lastError: string | null;
  nextPoll: string | null;
  paused: boolean;
  pausedAt: string | null;
  itemCount: number;
}

export function healthOf(state: FeedState): FeedHealth {
  const status: FeedHealthStatus = state.paused
    ? 'paused'
    : state.consecutiveFailures > 0
      ? 'failing'
      : state.lastSuccess
        ? 'ok'
        : 'pending';
  return {
    url: state.url,
    title: state.title,
    status,
    lastSuccess: state.lastSuccess,
    lastAttempt: state.lastAttempt,
    lastStatus: state.lastStatus,
    lastHttpStatus: state.lastHttpStatus ?? null,
    consecutiveFailures: state.consecutiveFailures,
    lastError: state.lastError,
    nextPoll: state.nextPoll ?? null,
    paused: state.paused ?? false,
    pausedAt: state.pausedAt ?? null,
    itemCount: state.itemCount,
  };
}

/**
 * Health of the feeds the store knows, sorted by URL; with `urls`, of those feeds only (a guild's
 * own list), in that order, feeds never polled yet included as "pending".
 */
export async function listFeedHealth(
  store: Pick<Store, 'feeds'>,
  urls?: ReadonlyArray<string>,
): Promise<FeedHealth[]> {
  if (urls) return Promise.all(urls.map(async (url) => healthOf(await store.feeds.get(url))));
  const states = await store.feeds.list();
  return states.map(healthOf).sort((a, b) => a.url.localeCompare(b.url));
}

/** Un-pauses a feed (an admin fixed it): the scheduler polls it within a minute, its failure count reset. */
export async function resumeFeed(store: Pick<Store, 'feeds'>, url: string): Promise<FeedHealth> {
  const state = await store.feeds.get(url);
  const resumed: FeedState = {
    ...state,
    paused: false,
    pausedAt: null,
    consecutiveFailures: 0,
    nextPoll: null,
  };
  await store.feeds.put(resumed);
  return healthOf(resumed);
}
