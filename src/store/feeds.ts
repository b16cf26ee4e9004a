import type Keyv from 'keyv';
import { keys } from './keys.ts';
import type { Exclusive } from './serial.ts';
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

export function createFeedStateRepository(keyv: Keyv, exclusive: Exclusive): FeedStateRepository {
  // The feed list only grows: once this process knows a URL is on it, a state update need not
  // read the whole list again (with 2,000 feeds that read was most of a 304 poll's cost).
  const listed = new Set<string>();
  return {
    get: async (url) => ({ ...emptyFeedState(url), ...((await keyv.get<FeedState>(keys.feed(url))) ?? {}) }),
    put: async (state) => {
      if (listed.has(state.url)) {
        await keyv.set(keys.feed(state.url), state);
        return;
      }
      await exclusive(async () => {
        await keyv.set(keys.feed(state.url), state);
        const list = (await keyv.get<string[]>(keys.feedList())) ?? [];
        if (!list.includes(state.url)) await keyv.set(keys.feedList(), [...list, state.url]);
        for (const url of list) listed.add(url);
        listed.add(state.url);
      });
    },
    list: async () => {
      const list = (await keyv.get<string[]>(keys.feedList())) ?? [];
      const states = await keyv.getMany<FeedState>(list.map((url) => keys.feed(url)));
      return states.filter((state): state is FeedState => state !== undefined && state !== null);
    },
  };
}
