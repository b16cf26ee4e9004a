import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, scratchConfig, startBot, killBot, type BotRun } from '../harness/bot-process.ts';
import { startDiscordEmulator, type DiscordEmulator } from '../harness/discord-emulator.ts';
import { startFeedServer, type FeedServer } from '../harness/feed-server.ts';

const GUILD = '100000000000000001';
const CHANNEL = '200000000000000001';
const SAMPLE_DIR = join(ROOT, 'config/sample-feeds');

let emulator: DiscordEmulator;
let feeds: FeedServer;
let env: Record<string, string>;
let bot: BotRun;
let baselineText: string;

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; bot stderr:\n${bot.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function visibleText(reply: { content: string | null; embeds: unknown[] }): string {
  return `${reply.content ?? ''}\n${JSON.stringify(reply.embeds)}`;
}

beforeAll(async () => {
  emulator = await startDiscordEmulator({ log: () => undefined });
  feeds = await startFeedServer();
  const files = (await readdir(SAMPLE_DIR)).filter((name) => /\.(xml|json)$/.test(name));
  for (const name of files) {
    feeds.route(`/${name}`, {
      kind: 'file',
      path: join(SAMPLE_DIR, name),
      contentType: name.endsWith('.json') ? 'application/feed+json' : 'application/xml',
    });
  }
  const { configFile, storeUrl } = await scratchConfig((config) => {
    config['feeds'] = files.map((name) => ({ url: feeds.url(`/${name}`) }));
    config['poll'] = { allowPrivateAddresses: true, intervalMinutes: 1440 };
    // The sample items are from 2015; a long lookback keeps them "new" against the 2015 baseline.
    config['brief'] = { lookbackDays: 365 * 20, maxStories: 5, storyWindowHours: 72 };
  });
  baselineText = await readFile(join(ROOT, 'config/baseline/upi-2015-11-16-obama-cameron-putin.txt'), 'utf8');
  env = {
    DISCORD_TOKEN: emulator.token,
    DISCORD_API_BASE: emulator.apiBase,
    SITREP_CONFIG: configFile,
    SITREP_STORE: storeUrl,
    LOG_LEVEL: 'info',
  };
  bot = startBot(['run'], env);
  await Promise.race([
    emulator.whenIdentified(30_000),
    bot.exited.then((code) => {
      throw new Error(`the bot exited (${code}) before identifying:\n${bot.stderr()}`);
    }),
  ]);
  await until(() => emulator.registeredCommands().puts >= 1, 'slash command registration');
});

afterAll(async () => {
  await killBot(bot);
  await emulator?.close();
  await feeds?.close();
});

describe('the real bot process against the loopback Discord emulator and feed server', () => {
  it('registers its slash commands globally', () => {
    const names = emulator.registeredCommands().global.map((command) => (command as { name: string }).name);
    expect(names).toEqual(expect.arrayContaining(['brief', 'help']));
  });

  it('answers /brief syria with facts from the feeds that the baseline lacks, with sources, pinging nobody', async () => {
    const id = emulator.sendCommand({ name: 'brief', options: { topic: 'syria' }, guildId: GUILD, channelId: CHANNEL, permissions: '0' });
    const reply = await emulator.waitForReply(id, 40_000);
    expect(emulator.replies(id).map((entry) => entry.kind)).toEqual(['defer', 'edit']);
    expect(reply.allowedMentions).toEqual({ parse: [] });
    expect(reply.content).toContain('Syria: ');
    expect(reply.embeds.length).toBeGreaterThan(0);
    const text = visibleText(reply);
    // Someone the sample feeds name in Syria stories that the UPI baseline never mentions.
    const novel = ['Hollande', 'Lavrov', 'Mistura', 'Abaaoud', 'Abdeslam', 'Erdogan', 'Carter', 'Kerry'].filter(
      (name) => text.includes(name) && !baselineText.includes(name),
    );
    expect(novel.length).toBeGreaterThan(0);
    expect(text).toMatch(/"name":"Sources","value":"\[[^\]]+\]\(https:\/\//);
    // Every feed was fetched over HTTP from the loopback server.
    for (const name of (await readdir(SAMPLE_DIR)).filter((file) => /\.(xml|json)$/.test(file))) {
      expect(feeds.hits(`/${name}`)).toBeGreaterThanOrEqual(1);
    }
  });

  it('shows the changed Paris death toll in /brief paris-attacks', async () => {
    const id = emulator.sendCommand({ name: 'brief', options: { topic: 'paris-attacks' }, guildId: GUILD, channelId: CHANNEL });
    const text = visibleText(await emulator.waitForReply(id, 40_000));
    expect(text).toMatch(/129 -> 130/);
  });

  it('answers an unknown topic with the list of topics, only to the caller', async () => {
    const id = emulator.sendCommand({ name: 'brief', options: { topic: 'narnia' }, guildId: GUILD, channelId: CHANNEL });
    const reply = await emulator.waitForReply(id, 20_000);
    expect(reply.content).toContain('"narnia" is not a topic. Topics: syria, islamic-state, russia, refugees, paris-attacks, g20.');
  });

  it('works in a DM and when Discord answers 500 once: the reply still arrives, once', async () => {
    emulator.failNext(/^PATCH \/api\/v10\/webhooks\/.*@original$/, 500, 1);
    const id = emulator.sendCommand({ name: 'brief', options: { topic: 'ISIL' } });
    const reply = await emulator.waitForReply(id, 40_000);
    expect(reply.content).toContain('Islamic State: ');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(emulator.replies(id).filter((entry) => entry.kind === 'edit')).toHaveLength(1);
  });

  it('stops cleanly on SIGTERM and does not re-register unchanged commands after a restart', async () => {
    const putsBefore = emulator.registeredCommands().puts;
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.stderr()).toContain('sitrep stopped');
    expect(bot.stderr()).not.toContain(emulator.token);

    const identified = emulator.identifyCount();
    bot = startBot(['run'], env);
    await until(() => emulator.identifyCount() > identified, 'the restarted bot to identify');
    const id = emulator.sendCommand({ name: 'brief', options: { topic: 'syria' }, guildId: GUILD, channelId: CHANNEL });
    const reply = await emulator.waitForReply(id, 40_000);
    expect(reply.content).toContain('Syria: ');
    expect(emulator.registeredCommands().puts).toBe(putsBefore);
  });
});
