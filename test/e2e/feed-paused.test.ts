import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.ts';
import { scratchConfig, startBot, killBot, type BotRun } from '../harness/bot-process.ts';
import { startDiscordEmulator, type DiscordEmulator } from '../harness/discord-emulator.ts';
import { startFeedServer, type FeedServer } from '../harness/feed-server.ts';

const GUILD = '100000000000000001';
let emulator: DiscordEmulator | undefined;
let feeds: FeedServer | undefined;
let bot: BotRun | undefined;

afterAll(async () => {
  await killBot(bot);
  await emulator?.close();
  await feeds?.close();
});

/** Messages the bot posted (to a DM or the system channel) about pausing the feed at `path`. */
function noticesAbout(path: string): string[] {
  return (emulator?.requests ?? [])
    .filter((request) => request.method === 'POST' && /\/channels\/\d+\/messages$/.test(request.path))
    .map((request) => JSON.stringify(request.body))
    .filter((body) => body.includes('paused the feed') && body.includes(path));
}

describe('a guild feed that keeps failing', () => {
  it('is paused and the guild is told once', async () => {
    emulator = await startDiscordEmulator({ log: () => undefined });
    feeds = await startFeedServer({ '/broken.xml': { kind: 'status', status: 404 } });
    const url = feeds.url('/broken.xml');
    const { configFile, storeUrl } = await scratchConfig((config) => {
      config['feeds'] = [];
      config['poll'] = { allowPrivateAddresses: true, pauseAfterFailures: 1, intervalMinutes: 1, tickSeconds: 1 };
    });
    const store = await openStore(storeUrl);
    await store.guilds.update(GUILD, (settings) => ({ ...settings, feeds: [{ url, addedBy: 'admin', addedAt: '2026-01-01T00:00:00Z' }] }), new Date());
    await store.close();

    bot = startBot(['run'], { DISCORD_TOKEN: emulator.token, DISCORD_API_BASE: emulator.apiBase, SITREP_CONFIG: configFile, SITREP_STORE: storeUrl });
    const deadline = Date.now() + 40_000;
    while (noticesAbout('/broken.xml').length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(noticesAbout('/broken.xml')).toHaveLength(1);
    expect(noticesAbout('/broken.xml')[0]).toContain('HTTP 404');
    // Paused: no more requests, and no second notice, over a few more scheduler ticks.
    const hits = feeds.hits('/broken.xml');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(feeds.hits('/broken.xml')).toBe(hits);
    expect(noticesAbout('/broken.xml')).toHaveLength(1);
  });
});
