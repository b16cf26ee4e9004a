import type Keyv from 'keyv';
import { keys } from './keys.ts';
import type { Collections } from './collections.ts';
import type { FeedState } from './types.ts';

export interface FeedStateRepository {
  get(url: string): Promise<FeedState>;
  put(state: FeedState): Promise<void>;
  list(): Promise<FeedState[]>;
}

export function emptyFeedState(url: string): FeedState {
  return {
    url,
    title: null,
    etag: null,
    lastModified: null,
    bodyHash: null,
    lastAttempt: null,
    lastSuccess: null,
    lastStatus: null,
    consecutiveFailures: 0,
    lastError: null,
    itemCount: 0,
    lastHttpStatus: null,
    nextPoll: null,
    paused: false,
    pausedAt: null,
    recentHashes: [],
    ttlMinutes: null,
  };
}

/**
 * The feed list is a set kept as a counter map (a field per URL): adding a URL is one atomic
 * write that never conflicts with another feed's, in this process or any other.
 */
export function createFeedStateRepository(keyv: Keyv, collections: Collections): FeedStateRepository {
  // Once this process has listed a URL, a state update need not list it again.
  const listed = new Set<string>();
  return {
    get: async (url) => ({ ...emptyFeedState(url), ...((await keyv.get<FeedState>(keys.feed(url))) ?? {}) }),
    put: async (state) => {
      // The state and the feed's place in the list are written together (one commit on SQLite):
      // list() reads states by the listed URLs and skips a URL that has none.
      if (listed.has(state.url)) {
        await keyv.set(keys.feed(state.url), state);
        return;
      }
      await Promise.all([keyv.set(keys.feed(state.url), state), collections.add([{ key: keys.feedList(), field: state.url, by: 1 }])]);
      listed.add(state.url);
    },
    list: async () => {
      const [set] = await collections.counts([keys.feedList()]);
      // Stores written before the set kept the list as one value.
      const legacy = (await keyv.get<string[]>(keys.feedList())) ?? [];
      const urls = [...new Set([...(set?.keys() ?? []), ...legacy])];
      const states = await keyv.getMany<FeedState>(urls.map((url) => keys.feed(url)));
      return states.filter((state): state is FeedState => state !== undefined && state !== null);
    },
  };
}

/**
 * Makes every feed look unread: no validators, body hash or content hashes, so the next poll
 * fetches and parses it in full and offers all its items again (the store keeps those it has).
 * Returns how many feed states changed.
 */
export async function forgetSeenBodies(feeds: FeedStateRepository): Promise<number> {
  let changed = 0;
  for (const state of await feeds.list()) {
    if (state.etag === null && state.lastModified === null && state.bodyHash === null && state.recentHashes.length === 0) continue;
    await feeds.put({ ...state, etag: null, lastModified: null, bodyHash: null, recentHashes: [] });
    changed += 1;
  }
  return changed;
}
