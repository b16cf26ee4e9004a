import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FeedSource } from '../../src/feeds/index.ts';
import {
  feedSources,
  listFeedHealth,
  resumeFeed,
  startFeedScheduler,
  type FeedScheduler,
  type SchedulerDeps,
} from '../../src/ingest/index.ts';
import { createLogger } from '../../src/log.ts';
import { openStore, type FeedState, type Store } from '../../src/store/index.ts';
import { etagOf, startFeedServer, type FeedServer } from '../harness/feed-server.ts';

/*
 * The scheduler against a loopback server that plays the hostile web. The clock is a variable the
 * test moves; the only real waits are the fetch timeout of the feeds that never answer.
 */

const MIN = 60_000;
const INTERVAL = 15 * MIN;
const T0 = Date.parse('2026-03-01T00:00:00Z');

function rss(
  title: string,
  items: Array<{ guid: string; title: string; link?: string }>,
  extra = '',
): string {
  const body = items
    .map(
      (item) =>
        `<item><guid>${item.guid}</guid><title>${item.title}</title><link>${item.link ?? `https://news.example/${item.guid}`}</link><description>About ${item.title}.</description></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${title}</title>${extra}${body}</channel></rss>`;
}

const GOOD = rss('Good', [
  { guid: 'g1', title: 'Talks in Vienna' },
  { guid: 'g2', title: 'Ceasefire holds' },
]);
const TTL = rss('Slow', [{ guid: 't1', title: 'Weekly' }], '<ttl>120</ttl>');
const CAFE_UTF8 = rss('Caf\u00e9 news', [{ guid: 'c1', title: 'Cr\u00e8me br\u00fbl\u00e9e' }]);
const PAGE = '<!doctype html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>';

let server: FeedServer;
let dir: string;
let store: Store;
let now: number;
let paused: FeedState[];
let scheduler: FeedScheduler | null;

const log = createLogger({ level: 'silent' });

function deps(sources: FeedSource[], overrides: Partial<SchedulerDeps> = {}): SchedulerDeps {
  return {
    store,
    topics: () => Promise.resolve([]),
    log,
    fetch: { timeoutMs: 1_500, maxBytes: 1024 * 1024, allowPrivate: true, userAgent: 'sitrep-test/1' },
    concurrency: 6,
    perHost: 100,
    now: () => new Date(now),
    stopping: () => false,
    intervalMs: INTERVAL,
    pauseAfterFailures: 3,
    random: () => 0.5,
    onFeedPaused: (state) => {
      paused.push(state);
    },
    sources: () => Promise.resolve(sources),
    tickMs: null,
    ...overrides,
  };
}

async function state(path: string): Promise<FeedState> {
  return store.feeds.get(server.url(path));
}

/** Waits (without a deadline of its own: the test timeout is the bound) until `check` holds. */
async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 10));
}

beforeAll(async () => {
  server = await startFeedServer({
    '/good': { kind: 'body', body: GOOD, etag: etagOf(GOOD) },
    '/ttl': { kind: 'body', body: TTL },
    '/cached': {
      kind: 'body',
      body: GOOD.replace('Good', 'Cached'),
      headers: { 'cache-control': 'max-age=7200' },
    },
    '/limited': { kind: 'status', status: 429, headers: { 'retry-after': '3600' } },
    '/unavailable': { kind: 'status', status: 503, headers: { 'retry-after': '600' } },
    '/broken': { kind: 'status', status: 500 },
    '/missing': { kind: 'status', status: 404 },
    '/hang': { kind: 'hang' },
    '/trickle': { kind: 'trickle', everyMs: 50 },
    '/huge': { kind: 'stream', bytes: 50 * 1024 * 1024 },
    '/loop-a': { kind: 'redirect', to: '/loop-b' },
    '/loop-b': { kind: 'redirect', to: '/loop-a' },
    '/wrong-charset': {
      kind: 'body',
      body: CAFE_UTF8,
      contentType: 'application/rss+xml; charset=iso-8859-1',
    },
    '/gzip': { kind: 'body', body: GOOD.replace('Good', 'Zipped'), gzip: true },
    '/page': { kind: 'body', body: PAGE, contentType: 'text/html' },
  });
});

afterAll(async () => {
  await server.close();
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sitrep-sched-'));
  store = await openStore(`sqlite://${join(dir, 'store.sqlite')}`);
  now = T0;
  paused = [];
  scheduler = null;
});

afterEach(async () => {
  server.releaseHanging();
  await scheduler?.stop();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('feed scheduler on the hostile web', () => {
  it(
    'records each feed health in one sentence and schedules each by its own rules',
    { timeout: 20_000 },
    async () => {
      // Every feed gets a slot at once, so the three that time out do so together.
      const paths = [
        '/good',
        '/ttl',
        '/cached',
        '/limited',
        '/unavailable',
        '/broken',
        '/hang',
        '/trickle',
        '/huge',
        '/loop-a',
        '/wrong-charset',
        '/gzip',
        '/page',
      ];
      scheduler = startFeedScheduler(
        deps(
          paths.map((path) => ({ url: server.url(path) })),
          { concurrency: 16 },
        ),
      );
      await scheduler.firstRun;

      const good = await state('/good');
      expect(good).toMatchObject({
        lastStatus: 'ok',
        lastHttpStatus: 200,
        consecutiveFailures: 0,
        lastError: null,
      });
      expect(Date.parse(good.nextPoll ?? '')).toBeGreaterThanOrEqual(T0 + INTERVAL);
      expect(Date.parse(good.nextPoll ?? '')).toBeLessThan(T0 + 2 * INTERVAL);
      expect(Date.parse((await state('/ttl')).nextPoll ?? '')).toBeGreaterThanOrEqual(T0 + 120 * MIN);
      expect(Date.parse((await state('/cached')).nextPoll ?? '')).toBeGreaterThanOrEqual(T0 + 120 * MIN);

      const limited = await state('/limited');
      expect(limited).toMatchObject({ lastError: 'HTTP 429 Too Many Requests', lastHttpStatus: 429 });
      expect(Date.parse(limited.nextPoll ?? '')).toBe(T0 + 3_600_000);
      // Retry-After 600 s is shorter than the backoff: the backoff wins.
      expect(Date.parse((await state('/unavailable')).nextPoll ?? '')).toBe(T0 + INTERVAL);
      expect((await state('/broken')).lastError).toBe('HTTP 500 Internal Server Error');
      expect((await state('/hang')).lastError).toBe('timed out after 1.5 s');
      expect((await state('/trickle')).lastError).toBe('timed out after 1.5 s');
      expect((await state('/huge')).lastError).toBe('the feed is larger than the 1 MB limit');
      expect((await state('/loop-a')).lastError).toBe('too many redirects (a loop or more than 5)');
      expect((await state('/page')).lastError).toBe('not a feed: got an HTML page');
      expect(await state('/wrong-charset')).toMatchObject({ lastStatus: 'ok', title: 'Caf\u00e9 news' });
      expect(await state('/gzip')).toMatchObject({ lastStatus: 'ok', title: 'Zipped' });

      const health = await listFeedHealth(store);
      expect(health.find((feed) => feed.url === server.url('/good'))?.status).toBe('ok');
      expect(health.find((feed) => feed.url === server.url('/broken'))?.status).toBe('failing');

      // The next interval: the good feed is asked with its ETag and answers 304; the rate-limited
      // one is left alone until its Retry-After has passed.
      const limitedHits = server.hits('/limited');
      now = Date.parse(good.nextPoll ?? '');
      await scheduler.tick();
      expect(await state('/good')).toMatchObject({ lastStatus: 'not-modified', lastHttpStatus: 304 });
      expect(server.hits('/limited')).toBe(limitedHits);
      now = T0 + 3_600_000;
      await scheduler.tick();
      expect(server.hits('/limited')).toBe(limitedHits + 1);
    },
  );

  it('keeps other feeds on schedule while one never answers', { timeout: 20_000 }, async () => {
    const sources = ['/hang', '/good', '/gzip'].map((path) => ({ url: server.url(path) }));
    const [goodHits, gzipHits, hangHits] = [server.hits('/good'), server.hits('/gzip'), server.hits('/hang')];
    scheduler = startFeedScheduler(
      deps(sources, {
        fetch: { timeoutMs: 60_000, maxBytes: 1024 * 1024, allowPrivate: true, userAgent: 't' },
      }),
    );
    const first = scheduler.firstRun;
    const sched = scheduler;
    await until(() => sched.polling().length === 1 && server.hits('/hang') === hangHits + 1);
    // Three intervals go by; the hanging request stays open the whole time, and each tick is over
    // (its feeds polled) without waiting for it.
    for (let round = 1; round <= 3; round += 1) {
      now = T0 + (round + 1) * INTERVAL;
      const report = await scheduler.tick();
      expect(report).toMatchObject({ started: 2, notModified: 2 });
      expect([server.hits('/good'), server.hits('/gzip')]).toEqual([
        goodHits + round + 1,
        gzipHits + round + 1,
      ]);
    }
    expect(server.hits('/hang')).toBe(hangHits + 1);
    server.releaseHanging();
    await first;
    expect((await state('/hang')).lastStatus).toBe('failed');
  });

  it('asks one host at most perHost times at once', { timeout: 20_000 }, async () => {
    const sources: FeedSource[] = [];
    for (let index = 0; index < 8; index += 1) {
      server.route(`/slow-${index}`, { kind: 'slow', delayMs: 30, body: GOOD });
      sources.push({ url: server.url(`/slow-${index}`) });
    }
    const before = server.peakActive();
    scheduler = startFeedScheduler(deps(sources, { perHost: 2, concurrency: 8 }));
    await scheduler.firstRun;
    for (let index = 0; index < 8; index += 1) expect(server.hits(`/slow-${index}`)).toBe(1);
    expect(Math.max(before, 2)).toBeGreaterThanOrEqual(server.peakActive());
  });

  it(
    'pauses a feed after N failures, tells once, and resumes it on request',
    { timeout: 20_000 },
    async () => {
      scheduler = startFeedScheduler(deps([{ url: server.url('/missing') }]));
      await scheduler.firstRun;
      for (let round = 0; round < 5; round += 1) {
        const next = (await state('/missing')).nextPoll;
        now = next ? Date.parse(next) : now + 2 * MIN;
        await scheduler.tick();
      }
      const missing = await state('/missing');
      expect(missing).toMatchObject({
        paused: true,
        consecutiveFailures: 3,
        lastError: 'HTTP 404 Not Found',
      });
      expect(server.hits('/missing')).toBe(3);
      expect(paused.map((feed) => feed.url)).toEqual([server.url('/missing')]);
      expect((await listFeedHealth(store, [server.url('/missing')]))[0]?.status).toBe('paused');

      await resumeFeed(store, server.url('/missing'));
      now += 2 * MIN;
      await scheduler.tick();
      expect(server.hits('/missing')).toBe(4);
      expect(await state('/missing')).toMatchObject({ paused: false, consecutiveFailures: 1 });
    },
  );

  it('skips a feed whose lease another process holds', async () => {
    await store.leases.acquire(`feed:${server.url('/good')}`, 'other-process', INTERVAL);
    const hits = server.hits('/good');
    scheduler = startFeedScheduler(
      deps([{ url: server.url('/good') }, { url: server.url('/gzip') }], {
        leases: store.leases,
        owner: 'me',
      }),
    );
    await scheduler.firstRun;
    expect(server.hits('/good')).toBe(hits);
    expect((await state('/gzip')).lastStatus).toBe('ok');
  });

  it('fetches a URL shared by several guilds once', async () => {
    const url = server.url('/gzip');
    const sources = feedSources(
      [{ url, name: 'Zipped (config)' }],
      [
        { feeds: [{ url }, { url: url.replace('http://', 'HTTP://') }] },
        { feeds: [{ url, name: 'Other' }] },
      ],
    );
    expect(sources).toEqual([{ url, name: 'Zipped (config)' }]);
    const hits = server.hits('/gzip');
    scheduler = startFeedScheduler(deps(sources));
    await scheduler.firstRun;
    expect(server.hits('/gzip')).toBe(hits + 1);
  });

  it('does not deliver old items again when a feed rotates its guids', async () => {
    const delivered: string[] = [];
    const items = [
      { guid: 'a1', title: 'Aid convoy reaches Homs' },
      { guid: 'a2', title: 'Talks in Geneva' },
    ];
    server.route('/rotating', { kind: 'body', body: rss('Rotating', items) });
    scheduler = startFeedScheduler(
      deps([{ url: server.url('/rotating') }], {
        onNewItems: (stored) => {
          delivered.push(...stored.map((item) => item.title));
          return Promise.resolve();
        },
      }),
    );
    await scheduler.firstRun;
    expect(delivered).toEqual(['Aid convoy reaches Homs', 'Talks in Geneva']);
    // Same stories under new guids, plus one new story.
    server.route('/rotating', {
      kind: 'body',
      body: rss('Rotating', [
        { guid: 'b0', title: 'Border reopens' },
        ...items.map((item) => ({
          ...item,
          guid: `${item.guid}-x`,
          link: `https://news.example/${item.guid}`,
        })),
      ]),
    });
    now = Date.parse((await state('/rotating')).nextPoll ?? '');
    await scheduler.tick();
    expect(delivered).toEqual(['Aid convoy reaches Homs', 'Talks in Geneva', 'Border reopens']);
  });

  it('drops item records after retention.itemDays, and an item its feed still shows is not new again', async () => {
    await store.close();
    store = await openStore(`sqlite://${join(dir, 'expiring.sqlite')}`, { itemDays: 2 });
    const delivered: string[] = [];
    const shown = [
      { guid: 'x1', title: 'Aid convoy reaches Homs' },
      { guid: 'x2', title: 'Talks in Geneva' },
    ];
    server.route('/expiring', { kind: 'body', body: rss('Expiring', shown) });
    scheduler = startFeedScheduler(
      deps([{ url: server.url('/expiring') }], {
        onNewItems: (stored) => {
          delivered.push(...stored.map((item) => item.title));
          return Promise.resolve();
        },
      }),
    );
    await scheduler.firstRun;
    expect(await store.items.count()).toBe(2);
    // Three days on, the feed still shows both and one more: the first poll of the day drops the
    // records of day 0, and the two old items are known by their content, not by their records.
    shown.push({ guid: 'x3', title: 'Border reopens' });
    server.route('/expiring', { kind: 'body', body: rss('Expiring', shown) });
    now = T0 + 3 * 24 * 60 * MIN;
    await scheduler.tick();
    expect(delivered).toEqual(['Aid convoy reaches Homs', 'Talks in Geneva', 'Border reopens']);
    expect(await store.items.count()).toBe(1);
  });

  it('stop() waits for polls in flight and starts no new ones', { timeout: 20_000 }, async () => {
    server.route('/slow-stop', { kind: 'slow', delayMs: 50, body: GOOD });
    scheduler = startFeedScheduler(deps([{ url: server.url('/slow-stop') }]));
    await until(() => server.hits('/slow-stop') === 1);
    await scheduler.stop();
    expect((await state('/slow-stop')).lastStatus).toBe('ok');
    now += 10 * INTERVAL;
    await scheduler.tick();
    expect(server.hits('/slow-stop')).toBe(1);
  });
});
