import { createClient } from '@redis/client';
import { e2eRedis } from '../harness/redis.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotRun, compileBot, pidOf, scratchConfig, startBot } from '../harness/bot-process.ts';
import { startDiscordEmulator, type DiscordEmulator } from '../harness/discord-emulator.ts';
import { etagOf, startFeedServer, type FeedServer } from '../harness/feed-server.ts';
import { openStore } from '../../src/store/index.ts';

/*
 * Three real `sitrep run` processes (shards 0, 1 and 2 of 3) on one Redis, against the loopback
 * Discord emulator and a loopback server with 200 feeds. The poll interval is one minute (the
 * shortest the config allows), so the test sees one full interval and the start of the next:
 *  - during the first interval every feed is fetched exactly once, by one of the three;
 *  - one process is killed (SIGKILL, so it releases nothing); once its leases have expired, each
 *    of its feeds that falls due is fetched by a survivor, which then holds the lease.
 * Needs Redis: skipped, with the reason logged, when none answers and SITREP_TEST_REDIS_URL is unset.
 */

const FEEDS = 200;
const INTERVAL_MS = 60_000;
// Redis database 7 is this test's own: it is emptied first, so a previous run's schedule is gone.
const DB = 7;
const { url: redisUrl, available } = await e2eRedis(DB, 'scale e2e');

function rss(n: number): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet ${n}</title><link>https://outlet${n}.example/</link>
<item><guid>outlet-${n}-1</guid><title>Syria talks, report ${n}</title><link>https://outlet${n}.example/1</link>
<pubDate>Tue, 17 Nov 2015 10:00:00 GMT</pubDate><description>Talks on Syria in Vienna, says outlet ${n}.</description></item>
</channel></rss>`;
}

let emulator: DiscordEmulator;
let feeds: FeedServer;
let redis: ReturnType<typeof createClient>;
const bots: BotRun[] = [];
const paths = Array.from({ length: FEEDS }, (_, n) => `/feed/${n}.xml`);

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; stderr of the bots:\n${bots.map((bot) => bot.stderr().slice(-2_000)).join('\n---\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Lease owner of every feed, from the lease keys in Redis (`sitrep:lease:feed:<url>`). */
async function leaseOwners(): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  for (const path of paths) {
    const owner = await redis.get(`sitrep:lease:feed:${feeds.url(path)}`);
    if (owner) owners.set(path, owner);
  }
  return owners;
}

beforeAll(async () => {
  if (!available) return;
  await compileBot();
  redis = createClient({ url: redisUrl });
  await redis.connect();
  await redis.flushDb();
  emulator = await startDiscordEmulator({ log: () => undefined });
  feeds = await startFeedServer();
  // Each answer takes 300 ms, as a distant server's might: alone, a process polling 8 feeds at
  // once needs about 8 s for all 200, so the three share the first round even when one of them
  // starts a second or two after the others (on a loopback server that answers at once, the
  // first process up took every feed before a late one polled: seen on CI).
  for (const [n, path] of paths.entries()) {
    const body = rss(n);
    feeds.route(path, { kind: 'body', body, etag: etagOf(body), delayMs: 300 });
  }
  const { configFile } = await scratchConfig((config) => {
    config['feeds'] = paths.map((path) => ({ url: feeds.url(path) }));
    config['poll'] = { allowPrivateAddresses: true, intervalMinutes: INTERVAL_MS / 60_000, tickSeconds: 1, concurrency: 8, perHost: 16 };
  });
  for (let shard = 0; shard < 3; shard += 1) {
    bots.push(
      startBot(['run'], {
        DISCORD_TOKEN: emulator.token,
        DISCORD_API_BASE: emulator.apiBase,
        SITREP_CONFIG: configFile,
        SITREP_STORE: redisUrl,
        SITREP_SHARDS: '3',
        SITREP_SHARD_IDS: String(shard),
        SITREP_OPS_PORT: '0',
        LOG_LEVEL: 'info',
      }),
    );
  }
}, 60_000);

afterAll(async () => {
  for (const bot of bots) {
    if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
    await bot.exited;
  }
  await emulator?.close();
  await feeds?.close();
  if (redis?.isOpen) await redis.close();
});

describe.skipIf(!available)('three processes on one Redis', () => {
  it('fetch every feed once per interval and take over a dead process\'s feeds when its leases expire', async () => {
    const started = Date.now();
    const total = (): number => paths.reduce((sum, path) => sum + feeds.hits(path), 0);
    await until(() => total() >= FEEDS, 'the first fetch of every feed', 40_000);
    // Let any tick still running settle, then check: nobody fetched a feed twice in this interval.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const firstRound = paths.map((path) => feeds.hits(path));
    expect(firstRound.filter((hits) => hits !== 1)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(INTERVAL_MS);

    // The work is split: every process holds some of the leases.
    const owners = await leaseOwners();
    expect(owners.size).toBe(FEEDS);
    const pids = bots.map((bot) => bot.child.pid ?? -2);
    const perProcess = pids.map((pid) => [...owners.values()].filter((owner) => pidOf(owner) === pid).length);
    expect(perProcess.every((count) => count > 0)).toBe(true);
    expect(perProcess.reduce((a, b) => a + b, 0)).toBe(FEEDS);

    // Each process serves its own /healthz and /metrics.
    let polled = 0;
    for (const bot of bots) {
      const port = /"port":(\d+)[^\n]*ops server/.exec(bot.stderr())?.[1];
      expect(port, 'the ops server port in the log').toBeDefined();
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await health.json()).toMatchObject({ status: 'ok', store: 'ok', discord: 'connected', backend: 'redis' });
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('# TYPE sitrep_feeds_polled_total counter');
      polled += Number(/^sitrep_feeds_polled_total\{status="ok"\} (\d+)/m.exec(metrics)?.[1] ?? 0);
    }
    // The three processes' poll counters add up to exactly one fetch per feed.
    expect(polled).toBe(FEEDS);

    // Kill one process; its leases stay in Redis until they expire.
    const victim = bots[0] as BotRun;
    const victimFeeds = paths.filter((path) => pidOf(owners.get(path) ?? '') === victim.child.pid);
    victim.child.kill('SIGKILL');
    await victim.exited;

    // Still inside the first interval: nothing fetched twice.
    expect(paths.filter((path) => feeds.hits(path) > 1)).toEqual([]);

    // Wait one lease period (= one interval) past the first fetches, plus ~25 s of the next one.
    const checkAt = started + INTERVAL_MS + 25_000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, checkAt - Date.now())));
    const now = Date.now();
    const store = await openStore(redisUrl);
    const due: string[] = [];
    for (const path of victimFeeds) {
      // A feed comes due again at the nextPoll its last poll stored (spread over the interval by
      // its phase); allow two ticks for a survivor to notice and fetch it.
      const next = Date.parse((await store.feeds.get(feeds.url(path))).nextPoll ?? '');
      if (next < now - 2_000 || feeds.hits(path) > 1) due.push(path);
    }
    await store.close();
    // A survivor notices a due feed at its next tick; on a loaded machine that tick can run late,
    // so give the takeover a bounded grace before checking it happened.
    await until(() => due.every((path) => feeds.hits(path) >= 2), 'the survivors to fetch every due feed', 20_000).catch(
      () => undefined,
    );
    const after = await leaseOwners();
    // Every victim feed that came due was fetched again, by a survivor, which now holds its lease.
    console.info(`[scale e2e] split ${perProcess.join('/')}; the killed process's feeds: ${victimFeeds.length}, due again by now and taken over: ${due.length}`);
    expect(due.length).toBeGreaterThan(0);
    expect(due.filter((path) => feeds.hits(path) !== 2).map((path) => `${path}: ${feeds.hits(path)} fetches`)).toEqual([]);
    for (const path of due) expect(pidOf(after.get(path) ?? '')).not.toBe(victim.child.pid);
    // No feed fetched more than twice (once per interval, two intervals begun).
    expect(paths.filter((path) => feeds.hits(path) > 2)).toEqual([]);
    expect(now - started).toBeGreaterThan(INTERVAL_MS);
  }, 150_000);
});
