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
  return {
    get: async (url) => ({ ...emptyFeedState(url), ...((await keyv.get<FeedState>(keys.feed(url))) ?? {}) }),
    put: (state) =>
      exclusive(async () => {
        await keyv.set(keys.feed(state.url), state);
        const list = (await keyv.get<string[]>(keys.feedList())) ?? [];
        if (!list.includes(state.url)) await keyv.set(keys.feedList(), [...list, state.url]);
      }),
    list: async () => {
      const list = (await keyv.get<string[]>(keys.feedList())) ?? [];
      const states = await keyv.getMany<FeedState>(list.map((url) => keys.feed(url)));
      return states.filter((state): state is FeedState => state !== undefined && state !== null);
    },
  };
}
