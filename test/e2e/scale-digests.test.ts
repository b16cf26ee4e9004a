import { createClient } from '@redis/client';
import { e2eRedis } from '../harness/redis.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestKey, digestRef } from '../../src/digest/index.ts';
import { openStore, type DigestSchedule } from '../../src/store/index.ts';
import { type BotRun, compileBot, killBot, logged, pidOf, scratchConfig, startBot } from '../harness/bot-process.ts';
import { shardOfGuild, startDiscordEmulator, type DiscordEmulator } from '../harness/discord-emulator.ts';
import { etagOf, startFeedServer, type FeedServer } from '../harness/feed-server.ts';

/*
 * Scheduled digests with three real `sitrep run` processes (Discord shards 0, 1 and 2 of 3) on one
 * Redis, against the shard-aware loopback emulator. Six guilds, two per shard, each post a digest
 * every 20 seconds; three of them also have a schedule on a deleted channel.
 *
 * What src/digest does with several processes: every process composes every guild's due digests
 * (the outbox refuses a second record with the same channel:schedule:period key) and delivers any
 * pending record whose `digest:<key>` lease it wins (Redis SET NX PX), re-reading the record under
 * the lease. Shards decide only which process receives a guild's gateway events; digests go out
 * over REST, which any process can use, so whoever claims a digest posts it. Proven here:
 *  - every digest is posted exactly once (POSTs counted per channel and period on the emulator),
 *    and no scheduled period is lost;
 *  - interactions reach only the process running the guild's shard, and are answered once;
 *  - a process killed in the middle of a post (the message created, the answer never read) holds
 *    that digest's lease; once the lease expires a survivor finds the message in the channel
 *    instead of posting again, and the next digests of every guild go on, each posted once;
 *  - while all run, each process posts only its own shard's guilds' digests; a dead process's
 *    guilds' digests are taken over by the others once overdue;
 *  - the owner of a guild whose digest channel was deleted is told once.
 * Needs Redis: skipped, with the reason logged, when none answers and SITREP_TEST_REDIS_URL is unset.
 */

const SHARDS = 3;
const PERIOD_MS = 20_000;
const CRON = '*/20 * * * * *';
/** How late the machine may be on top of the lease and the schedule (2 shared cores, other tests). */
const GRACE_MS = 60_000;
// Two guilds on each shard: (id >> 22) % 3 is 0, 0, 1, 1, 2, 2.
const GUILDS = [
  '100000000000000001',
  '100000000012582913',
  '100000000004194305',
  '100000000016777217',
  '100000000008388609',
  '100000000020971521',
] as const;
const channelOf = (guildId: string): string => `2${guildId.slice(1)}`;
const goneChannelOf = (guildId: string): string => `4${guildId.slice(1)}`;
const ownerOf = (guildId: string): string => `7${guildId.slice(1)}`;
/** The first guild of each shard also has a schedule on a channel Discord no longer has. */
const WITH_GONE: readonly string[] = [GUILDS[0], GUILDS[2], GUILDS[4]];
const LIVE = GUILDS.map(channelOf);
const guildOfChannel = (channelId: string): string => `1${channelId.slice(1)}`;
const scheduleIdOf = (channelId: string): string => `d-${channelId}`;

// Redis database 8 is this test's own (scale.test.ts uses 7): it is emptied first.
const DB = 8;
const { url: redisUrl, available } = await e2eRedis(DB, 'scale digests e2e');

function rss(n: number): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet ${n}</title><link>https://outlet${n}.example/</link>
<item><guid>outlet-${n}-1</guid><title>Syria talks, report ${n}</title><link>https://outlet${n}.example/1</link>
<pubDate>Tue, 17 Nov 2015 10:00:00 GMT</pubDate><description>Talks on Syria in Vienna, says outlet ${n}.</description></item>
</channel></rss>`;
}

function schedule(channelId: string, createdAt: string): DigestSchedule {
  return {
    id: scheduleIdOf(channelId),
    channelId,
    cron: CRON,
    phrase: 'every 20 seconds',
    timezone: 'UTC',
    topics: [],
    quiet: null,
    // Every period posts, news or not, so each period has exactly one message to count.
    whenEmpty: 'post',
    paused: false,
    pausedReason: null,
    createdBy: 'test',
    createdAt,
  };
}

let emulator: DiscordEmulator;
let feeds: FeedServer;
let redis: ReturnType<typeof createClient>;
/** Index = the shard the process runs. */
const bots: BotRun[] = [];

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; stderr of the bots:\n${bots.map((bot) => bot.stderr().slice(-2_000)).join('\n---\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Every message POST the emulator answered, with the digest ref its body carries (if any). */
function channelPosts(): Array<{ channelId: string; ref: string | null; status: number }> {
  return emulator.requests.flatMap((request) => {
    const match = /^\/api\/v10\/channels\/(\d+)\/messages$/.exec(request.path);
    if (request.method !== 'POST' || !match?.[1]) return [];
    const ref = /ref ([0-9a-f]{12})/.exec(JSON.stringify(request.body))?.[1] ?? null;
    return [{ channelId: match[1], ref, status: request.status }];
  });
}

const refOf = (channelId: string, period: number): string => digestRef(digestKey(channelId, scheduleIdOf(channelId), new Date(period)));
/** Messages Discord created for this channel's digest of this period. */
const postsFor = (channelId: string, period: number): number =>
  channelPosts().filter((post) => post.status === 200 && post.ref === refOf(channelId, period)).length;
/** The first fire of `*\/20 * * * * *` at or after `t` (fires are multiples of 20 s since the epoch). */
const fireAtOrAfter = (t: number): number => Math.ceil(t / PERIOD_MS) * PERIOD_MS;

beforeAll(async () => {
  if (!available) return;
  await compileBot();
  redis = createClient({ url: redisUrl });
  await redis.connect();
  await redis.flushDb();
  emulator = await startDiscordEmulator({
    shards: SHARDS,
    log: () => undefined,
    guilds: GUILDS.map((guildId, n) => ({
      id: guildId,
      name: `Guild ${n}`,
      ownerId: ownerOf(guildId),
      channels: [
        { id: channelOf(guildId), name: 'news' },
        ...(WITH_GONE.includes(guildId) ? [{ id: goneChannelOf(guildId), name: 'old-news' }] : []),
      ],
    })),
  });
  for (const guildId of WITH_GONE) emulator.deleteChannel(goneChannelOf(guildId), { notify: false });
  feeds = await startFeedServer();
  const paths = [0, 1, 2].map((n) => `/feed/${n}.xml`);
  for (const [n, path] of paths.entries()) {
    const body = rss(n);
    feeds.route(path, { kind: 'body', body, etag: etagOf(body) });
  }
  const { configFile } = await scratchConfig((config) => {
    config['feeds'] = paths.map((path) => ({ url: feeds.url(path) }));
    // One poll at start-up; the digests are what is under test.
    config['poll'] = { allowPrivateAddresses: true, intervalMinutes: 24 * 60 };
    config['brief'] = { lookbackDays: 365 * 20, maxStories: 3, storyWindowHours: 72 };
  });
  const store = await openStore(redisUrl);
  const createdAt = new Date().toISOString();
  for (const guildId of GUILDS) {
    const digests = [schedule(channelOf(guildId), createdAt), ...(WITH_GONE.includes(guildId) ? [schedule(goneChannelOf(guildId), createdAt)] : [])];
    await store.guilds.update(guildId, (guild) => ({ ...guild, digests }), new Date());
  }
  await store.close();
  for (let shard = 0; shard < SHARDS; shard += 1) {
    bots.push(
      startBot(['run'], {
        DISCORD_TOKEN: emulator.token,
        DISCORD_API_BASE: emulator.apiBase,
        SITREP_CONFIG: configFile,
        SITREP_STORE: redisUrl,
        SITREP_SHARDS: String(SHARDS),
        SITREP_SHARD_IDS: String(shard),
        SITREP_DIGEST_TICK_MS: '500',
        LOG_LEVEL: 'info',
      }),
    );
  }
}, 60_000);

afterAll(async () => {
  for (const bot of bots) await killBot(bot);
  await emulator?.close();
  await feeds?.close();
  if (redis?.isOpen) await redis.close();
});

describe.skipIf(!available)('digests and interactions with three sharded processes on one Redis', () => {
  it('posts every digest exactly once, routes interactions by shard, and survives a process killed mid-post', async () => {
    await until(() => bots.every((bot) => logged(bot, 'digest catch-up pass done').length > 0), 'the first digest pass of all three', 120_000);

    // Each process's gateway session has the guilds of its own shard only.
    for (const [shard, bot] of bots.entries()) {
      const guilds = GUILDS.filter((guildId) => shardOfGuild(guildId, SHARDS) === shard);
      expect(guilds).toHaveLength(2);
      expect(logged(bot, 'logged in to Discord').at(-1)?.['guilds']).toBe(guilds.length);
    }
    expect(emulator.connections().map((connection) => connection.shard).sort()).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
    ]);

    // Three full periods with all three processes up: one message per channel and period.
    const first = fireAtOrAfter(Date.now());
    const periods = [first, first + PERIOD_MS, first + 2 * PERIOD_MS];
    await until(
      () => LIVE.every((channelId) => periods.every((period) => postsFor(channelId, period) > 0)),
      'three periods of digests in every channel',
      (periods.at(-1) ?? 0) - Date.now() + GRACE_MS,
    );
    for (const channelId of LIVE) expect(periods.map((period) => postsFor(channelId, period))).toEqual([1, 1, 1]);

    // An interaction reaches only the process running its guild's shard, and is answered once.
    for (const guildId of GUILDS) {
      const id = emulator.sendCommand({ name: 'help', guildId, channelId: channelOf(guildId) });
      await emulator.waitForReply(id, 30_000);
      expect(emulator.deliveredTo(id)).toEqual([[shardOfGuild(guildId, SHARDS), SHARDS]]);
      const callbacks = emulator.requests.filter((request) => request.path.startsWith(`/api/v10/interactions/${id}/`));
      expect(callbacks.map((request) => request.status)).toEqual([204]);
    }

    // A deleted digest channel: the guild's owner is told once by DM, by whichever process claimed it.
    await until(() => bots.flatMap((bot) => logged(bot, 'digest admins told')).length >= WITH_GONE.length, 'the owners to be told', GRACE_MS);
    const dmOpened = emulator.requests.filter((request) => request.method === 'POST' && request.path === '/api/v10/users/@me/channels');
    expect(dmOpened.map((request) => (request.body as { recipient_id: string }).recipient_id).sort()).toEqual(WITH_GONE.map(ownerOf).sort());
    const toldBy = bots.map((bot, shard) =>
      logged(bot, 'digest admins told').map((entry) => {
        const guildId = guildOfChannel(String(entry['key']).split(':')[0] ?? '');
        return `shard ${shard} told the owner of a guild on shard ${shardOfGuild(guildId, SHARDS)}`;
      }),
    );
    console.info(`[scale digests e2e] ${toldBy.flat().join('; ')}`);
    // While all three run, each process composes and posts only its own shard's guilds' digests
    // (and tells only their owners): another's are left to it unless they fall overdue.
    for (const [shard, bot] of bots.entries()) {
      const guildsServed = [...logged(bot, 'digest delivered'), ...logged(bot, 'digest admins told')].map((entry) =>
        guildOfChannel(String(entry['key']).split(':')[0] ?? ''),
      );
      expect(guildsServed.length).toBeGreaterThan(0);
      expect(guildsServed.filter((guildId) => shardOfGuild(guildId, SHARDS) !== shard), `digests of other shards' guilds posted by shard ${shard}`).toEqual([]);
    }

    // Kill whichever process is posting the next digest of the first guild, after Discord created
    // the message and before the answer reaches it: it dies holding that digest's lease.
    const target = channelOf(GUILDS[0]);
    const kill: { bot?: BotRun; ref?: string; at?: number; leaseKey?: string; leaseLeftMs?: number } = {};
    emulator.onRequest(
      new RegExp(`^POST /api/v10/channels/${target}/messages$`),
      async (request) => {
        if (kill.bot) return 'answer';
        const [leaseKey] = await redis.keys(`*lease:digest:${target}:*`);
        const owner = leaseKey ? await redis.get(leaseKey) : null;
        const bot = bots.find((candidate) => candidate.child.pid === pidOf(owner ?? ''));
        if (!leaseKey || !bot) return 'answer';
        bot.child.kill('SIGKILL');
        await bot.exited;
        Object.assign(kill, {
          bot,
          leaseKey,
          at: Date.now(),
          leaseLeftMs: await redis.pTTL(leaseKey),
          ref: /ref ([0-9a-f]{12})/.exec(JSON.stringify(request.body))?.[1],
        });
        return 'drop';
      },
      // Armed for every post to the channel: only the first one whose lease holder is known kills.
      { phase: 'after', times: Number.MAX_SAFE_INTEGER },
    );
    await until(() => kill.bot !== undefined, 'the kill during a post', PERIOD_MS + GRACE_MS);
    const victim = kill.bot as BotRun;
    const killedAt = kill.at ?? 0;
    const inFlight = kill.ref ?? '';
    const victimShard = bots.indexOf(victim);
    const survivors = bots.filter((bot) => bot !== victim);
    // The message exists, and the dead process's lease on it is still alive.
    expect(channelPosts().filter((post) => post.ref === inFlight && post.status === 200)).toHaveLength(1);
    expect(kill.leaseLeftMs).toBeGreaterThan(0);
    const handled = new Set(logged(victim, 'digest delivered').map((entry) => String(entry['key']).split(':')[0]));
    console.info(
      `[scale digests e2e] killed shard ${victimShard} (pid ${victim.child.pid}) posting ref ${inFlight}; it had posted digests for ${handled.size} channels; its lease had ${kill.leaseLeftMs} ms left`,
    );

    // Its shard's guilds lose their gateway session (no survivor runs that shard)...
    await until(() => emulator.connections().length === SHARDS - 1, 'the gateway to see the kill', GRACE_MS);
    const orphan = GUILDS.find((guildId) => shardOfGuild(guildId, SHARDS) === victimShard) ?? '';
    expect(() => emulator.sendCommand({ name: 'help', guildId: orphan, channelId: channelOf(orphan) })).toThrow(/no gateway connection serves/);

    // ...but not their digests: the next period of every other channel is posted, once.
    const next = fireAtOrAfter(killedAt + 1);
    const others = LIVE.filter((channelId) => channelId !== target);
    await until(() => others.every((channelId) => postsFor(channelId, next) > 0), 'the first digests after the kill', next - Date.now() + GRACE_MS);
    for (const channelId of others) expect(postsFor(channelId, next)).toBe(1);

    // The digest in flight: when its lease runs out a survivor checks the channel, finds the
    // message, marks it sent without posting, and the channel's schedule goes on.
    const confirmed = (): boolean =>
      survivors.some((bot) => logged(bot, 'digest confirmed by channel check; not sending again').some((entry) => digestRef(String(entry['key'])) === inFlight));
    /** Whether a digest of the target for a period after the kill has been posted. */
    const postedAfterKill = (): boolean => {
      for (let period = next; period <= Date.now(); period += PERIOD_MS) if (postsFor(target, period) > 0) return true;
      return false;
    };
    await until(
      postedAfterKill,
      'a survivor to take over the digest in flight and post the next one',
      killedAt + (kill.leaseLeftMs ?? 0) + GRACE_MS - Date.now(),
    );
    expect(channelPosts().filter((post) => post.ref === inFlight)).toHaveLength(1);
    expect(confirmed()).toBe(true);

    // One more period everywhere, then stop: nothing was posted twice, and no period was lost.
    const last = fireAtOrAfter(Date.now() + 1);
    await until(() => LIVE.every((channelId) => postsFor(channelId, last) > 0), 'the last period', last - Date.now() + GRACE_MS);
    for (const bot of survivors) bot.child.kill('SIGTERM');
    await Promise.all(survivors.map((bot) => bot.exited));

    const refs = channelPosts().flatMap((post) => (post.status === 200 && post.ref ? [post.ref] : []));
    const twice = refs.filter((ref, index) => refs.indexOf(ref) !== index);
    expect(twice).toEqual([]);
    for (const channelId of others) {
      const missing = [...Array((last - first) / PERIOD_MS + 1).keys()]
        .map((n) => first + n * PERIOD_MS)
        .filter((period) => postsFor(channelId, period) !== 1);
      expect(missing.map((period) => new Date(period).toISOString()), `periods of ${channelId} not posted exactly once`).toEqual([]);
    }
    // Each delivery was logged by one process only.
    const delivered = bots.flatMap((bot) => logged(bot, 'digest delivered').map((entry) => String(entry['key'])));
    expect(delivered.filter((key, index) => delivered.indexOf(key) !== index)).toEqual([]);
    console.info(`[scale digests e2e] digests delivered per shard: ${bots.map((bot) => logged(bot, 'digest delivered').length).join('/')}`);
  }, 480_000);
});
