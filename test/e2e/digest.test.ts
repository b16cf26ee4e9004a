import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { localStamp } from '../../src/digest/compose.ts';
import { openStore, type DigestSchedule, type Store } from '../../src/store/index.ts';
import { type BotRun, killBot, logged, ROOT, scratchConfig, startBot } from '../harness/bot-process.ts';
import { startDiscordEmulator, type DiscordEmulator, type EmulatorMessage } from '../harness/discord-emulator.ts';
import { startFeedServer, type FeedServer } from '../harness/feed-server.ts';

/*
 * Scheduled digests, end to end: the real bot process (bin/sitrep run) against the loopback
 * Discord emulator and feed server. Schedules are written into the store before the bot starts,
 * as /digest set would. SITREP_DIGEST_TICK_MS (tests only) shortens the scheduler's longest sleep
 * and its first retry delay; the cron times themselves are real.
 */

const GUILD = '100000000000000001';
const OWNER = '300000000000000077';
const CHANNELS = {
  onTime: '200000000000000011',
  flaky: '200000000000000012',
  killedAfter: '200000000000000013',
  killedBefore: '200000000000000014',
  week: '200000000000000015',
  deleted: '200000000000000016',
};
const SAMPLE_DIR = join(ROOT, 'config/sample-feeds');

let emulator: DiscordEmulator;
let feeds: FeedServer;
let feedUrls: Array<{ url: string }>;
const bots: BotRun[] = [];

async function until(check: () => boolean, what: string, bot?: BotRun, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; bot stderr:\n${bot?.stderr().slice(-4_000) ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function schedule(channelId: string, partial: Partial<DigestSchedule> = {}): DigestSchedule {
  return {
    id: `d-${channelId}-1`,
    channelId,
    cron: '0 8 * * *',
    phrase: 'daily 08:00',
    timezone: 'UTC',
    topics: [],
    quiet: null,
    whenEmpty: 'skip',
    paused: false,
    pausedReason: null,
    createdBy: OWNER,
    createdAt: new Date(Date.now() - 3 * 24 * 3_600_000).toISOString(),
    ...partial,
  };
}

/** A scratch config and store holding `schedules`, and the environment to run the bot on them. */
async function prepare(schedules: DigestSchedule[], seed: (store: Store) => Promise<void> = () => Promise.resolve()) {
  const { configFile, storeUrl } = await scratchConfig((config) => {
    config['feeds'] = feedUrls;
    // One poll at start-up; the digests are what is under test.
    config['poll'] = { allowPrivateAddresses: true, intervalMinutes: 24 * 60 };
    config['brief'] = { lookbackDays: 365 * 20, maxStories: 3, storyWindowHours: 72 };
  });
  const store = await openStore(storeUrl);
  await store.guilds.update(GUILD, (guild) => ({ ...guild, digests: schedules }), new Date());
  await seed(store);
  await store.close();
  const env = {
    DISCORD_TOKEN: emulator.token,
    DISCORD_API_BASE: emulator.apiBase,
    SITREP_CONFIG: configFile,
    SITREP_STORE: storeUrl,
    LOG_LEVEL: 'info',
    SITREP_DIGEST_TICK_MS: '200',
  };
  return { env, storeUrl };
}

function launch(env: Record<string, string>): BotRun {
  const bot = startBot(['run'], env);
  bots.push(bot);
  return bot;
}

async function stop(bot: BotRun): Promise<void> {
  if (bot.child.exitCode === null && bot.child.signalCode === null) {
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  }
}

function footerOf(message: EmulatorMessage | undefined): string {
  const embeds = (message?.embeds ?? []) as Array<{ footer?: { text: string } }>;
  return `${embeds.at(-1)?.footer?.text ?? ''}\n${message?.content ?? ''}`;
}

function posts(channelId: string): string[] {
  return emulator.requests.filter((r) => r.method === 'POST' && r.path === `/api/v10/channels/${channelId}/messages`).map((r) => String(r.status));
}

beforeAll(async () => {
  emulator = await startDiscordEmulator({
    log: () => undefined,
    guilds: [
      {
        id: GUILD,
        name: 'Digest Guild',
        ownerId: OWNER,
        channels: Object.entries(CHANNELS).map(([name, id]) => ({ id, name })),
      },
    ],
  });
  feeds = await startFeedServer();
  const files = (await readdir(SAMPLE_DIR)).filter((name) => /\.(xml|json)$/.test(name));
  for (const name of files) {
    feeds.route(`/${name}`, {
      kind: 'file',
      path: join(SAMPLE_DIR, name),
      contentType: name.endsWith('.json') ? 'application/feed+json' : 'application/xml',
    });
  }
  feedUrls = files.map((name) => ({ url: feeds.url(`/${name}`) }));
});

afterEach(async () => {
  for (const bot of bots.splice(0)) {
    await killBot(bot);
  }
});

afterAll(async () => {
  await emulator?.close();
  await feeds?.close();
});

describe('scheduled digests through the real bot process and the Discord emulator', () => {
  it('posts a digest at its scheduled time: one embed per topic, the period and ref in the footer, pinging nobody', async () => {
    const at = new Date(Math.ceil((Date.now() + 20_000) / 1_000) * 1_000);
    const cron = `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`;
    const { env } = await prepare([schedule(CHANNELS.onTime, { cron, phrase: cron, createdAt: new Date().toISOString() })]);
    const bot = launch(env);
    await until(() => emulator.channelMessages(CHANNELS.onTime).length > 0, 'the digest', bot, 60_000);
    const [message] = emulator.channelMessages(CHANNELS.onTime);
    // Not before its time.
    expect(Date.parse(message?.raw.timestamp ?? '')).toBeGreaterThanOrEqual(at.getTime());
    expect(footerOf(message)).toContain(localStamp(at, 'UTC'));
    expect(footerOf(message)).toMatch(/ref [0-9a-f]{12}/);
    expect(message?.allowedMentions).toEqual({ parse: [] });
    expect(message?.content).toMatch(/^Digest: \d+ stor(y|ies) in \d topics?/);
    const titles = (message?.embeds as Array<{ title: string }>).map((embed) => embed.title);
    expect(titles.length).toBeGreaterThan(1);
    expect(titles.some((title) => /^Syria: \d+ stor/.test(title))).toBe(true);
    expect(JSON.stringify(message?.embeds)).toMatch(/"name":"Sources","value":"\[1 · [^\]]+\]\(https?:\/\//);
    // Every topic with news has its embed: nothing is cut for room.
    expect(footerOf(message)).not.toContain('not shown');
    await stop(bot);
    expect(emulator.channelMessages(CHANNELS.onTime)).toHaveLength(1);
  });

  it('Discord answering 500, then 429, then 200: the digest is delivered once', async () => {
    const { env } = await prepare([schedule(CHANNELS.flaky)]);
    const route = new RegExp(`^POST /api/v10/channels/${CHANNELS.flaky}/messages$`);
    emulator.failNext(route, 500, 1);
    emulator.failNext(route, 429, 1, 0.2);
    const bot = launch(env);
    await until(() => logged(bot, 'digest delivered').length > 0, 'the delivery', bot);
    await stop(bot);
    expect(posts(CHANNELS.flaky)).toEqual(['500', '429', '200']);
    expect(emulator.channelMessages(CHANNELS.flaky)).toHaveLength(1);
  });

  it('SIGKILL right after Discord created the message: the restarted bot finds it and does not post again', async () => {
    const { env } = await prepare([schedule(CHANNELS.killedAfter)]);
    let bot = launch(env);
    const first = bot;
    emulator.onRequest(
      new RegExp(`^POST /api/v10/channels/${CHANNELS.killedAfter}/messages$`),
      async () => {
        first.child.kill('SIGKILL');
        await first.exited;
        return 'drop' as const;
      },
      { phase: 'after' },
    );
    expect(await first.exited).toBe('SIGKILL');
    expect(emulator.channelMessages(CHANNELS.killedAfter)).toHaveLength(1);
    bot = launch(env);
    await until(() => logged(bot, 'digest catch-up pass done').length > 0, 'the first pass after the restart', bot);
    expect(logged(bot, 'digest confirmed by channel check; not sending again')).toHaveLength(1);
    await stop(bot);
    expect(emulator.channelMessages(CHANNELS.killedAfter)).toHaveLength(1);
    expect(posts(CHANNELS.killedAfter)).toHaveLength(1);
  });

  it('SIGKILL before the post reached Discord: the restarted bot posts it, once', async () => {
    const { env } = await prepare([schedule(CHANNELS.killedBefore)]);
    const first = launch(env);
    emulator.onRequest(new RegExp(`^POST /api/v10/channels/${CHANNELS.killedBefore}/messages$`), async () => {
      first.child.kill('SIGKILL');
      await first.exited;
      return 'drop' as const;
    });
    expect(await first.exited).toBe('SIGKILL');
    expect(emulator.channelMessages(CHANNELS.killedBefore)).toHaveLength(0);
    const bot = launch(env);
    await until(() => emulator.channelMessages(CHANNELS.killedBefore).length > 0, 'the post after the restart', bot);
    await until(() => logged(bot, 'digest catch-up pass done').length > 0, 'the first pass', bot);
    await stop(bot);
    expect(emulator.channelMessages(CHANNELS.killedBefore)).toHaveLength(1);
    // It looked in the channel first, found nothing, then posted.
    const history = emulator.requests.filter((r) => r.method === 'GET' && r.path === `/api/v10/channels/${CHANNELS.killedBefore}/messages`);
    expect(history.length).toBeGreaterThanOrEqual(1);
  });

  it('a week of downtime: one catch-up digest, not seven, and none again after another restart', async () => {
    const weekAgo = new Date(Date.now() - 7 * 24 * 3_600_000);
    const { env } = await prepare([schedule(CHANNELS.week, { createdAt: new Date(weekAgo.getTime() - 24 * 3_600_000).toISOString() })], (store) =>
      // What the bot left behind a week ago: the daily digest composed and sent for that morning.
      store.outbox.markPeriod(
        CHANNELS.week,
        `d-${CHANNELS.week}-1`,
        { lastPeriod: new Date(Date.UTC(weekAgo.getUTCFullYear(), weekAgo.getUTCMonth(), weekAgo.getUTCDate(), 8)).toISOString(), cron: '0 8 * * *', timezone: 'UTC' },
        { watermarks: {}, recent: {} },
      ),
    );
    let bot = launch(env);
    await until(() => logged(bot, 'digest catch-up pass done').length > 0, 'the catch-up pass', bot);
    await stop(bot);
    const messages = emulator.channelMessages(CHANNELS.week);
    expect(messages).toHaveLength(1);
    const latest = new Date();
    latest.setUTCHours(8, 0, 0, 0);
    if (latest.getTime() > Date.now()) latest.setUTCDate(latest.getUTCDate() - 1);
    expect(footerOf(messages[0])).toContain(localStamp(latest, 'UTC'));
    bot = launch(env);
    await until(() => logged(bot, 'digest catch-up pass done').length > 0, 'the pass after another restart', bot);
    await stop(bot);
    expect(emulator.channelMessages(CHANNELS.week)).toHaveLength(1);
  });

  it('a deleted channel: the owner is told once by DM and the schedule is paused', async () => {
    emulator.deleteChannel(CHANNELS.deleted, { notify: false });
    const { env, storeUrl } = await prepare([schedule(CHANNELS.deleted)]);
    let bot = launch(env);
    await until(() => logged(bot, 'digest admins told').length > 0, 'the notice', bot);
    await stop(bot);
    bot = launch(env);
    await until(() => logged(bot, 'digest catch-up pass done').length > 0, 'the pass after a restart', bot);
    await stop(bot);
    const opened = emulator.requests.filter((r) => r.method === 'POST' && r.path === '/api/v10/users/@me/channels');
    expect(opened.map((r) => (r.body as { recipient_id: string }).recipient_id)).toEqual([OWNER]);
    const dmPosts = emulator.requests.filter(
      (r) => r.method === 'POST' && /^\/api\/v10\/channels\/\d+\/messages$/.test(r.path) && !Object.values(CHANNELS).some((id) => r.path.includes(id)),
    );
    expect(dmPosts).toHaveLength(1);
    const dmChannel = dmPosts[0]?.path.split('/')[4] ?? '';
    const [notice] = emulator.channelMessages(dmChannel);
    expect(notice?.content).toContain('daily 08:00');
    expect(notice?.content).toContain('no longer exists');
    const store = await openStore(storeUrl);
    const settings = await store.guilds.get(GUILD);
    await store.close();
    expect(settings.digests[0]).toMatchObject({ paused: true });
    expect(settings.digests[0]?.pausedReason).toContain('no longer exists');
  });
});
