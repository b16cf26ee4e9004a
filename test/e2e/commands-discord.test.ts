import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, scratchConfig, startBot, killBot, type BotRun } from '../harness/bot-process.ts';
import { startDiscordEmulator, type DiscordEmulator, type EmulatorReply } from '../harness/discord-emulator.ts';
import { startFeedServer, type FeedServer } from '../harness/feed-server.ts';

/*
 * Every command and subcommand through the real bot process and the real discord.js client,
 * against the loopback Discord emulator: two servers, admins and non-admins, a DM, hostile feed
 * text, paging buttons, the /trend PNG, and Discord answering 429 and 500.
 */

const G1 = '100000000000000001';
const C1 = '200000000000000001';
const C1B = '200000000000000002';
const G2 = '100000000000000002';
const C2 = '200000000000000003';
const EDITORS = '400000000000000001';
const ADMIN = String(1 << 5); // Manage Server
const MEMBER = '0';
const ASKER = '300000000000000001';
const OTHER = '300000000000000002';
const EDITOR = '300000000000000003';
const SAMPLE_DIR = join(ROOT, 'config/sample-feeds');

const HOSTILE_TITLE = '@everyone **BREAKING** Syria talks [click](https://evil.example) <@123456789> `x`';
const HOSTILE_FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile &lt;@&amp;42&gt; **Wire**</title>
<link>https://hostile.example/</link><description>h</description>
<item><title>${HOSTILE_TITLE.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</title>
<guid>h1</guid><link>https://hostile.example/1</link><pubDate>${new Date(Date.now() - 86_400_000).toUTCString()}</pubDate>
<description>Syria talks in Vienna: @here ministers met as Syrian refugees kept arriving.</description></item>
</channel></rss>`;
const ARTICLE = `<!doctype html><html><head><title>Ignored page title</title>
<meta property="og:title" content="Vienna talks set Syria ceasefire timetable">
<meta property="article:published_time" content="2015-11-14T18:00:00Z"></head>
<body><nav>Home | World</nav><article><h1>Vienna talks set Syria ceasefire timetable</h1>
<p>Foreign ministers meeting in Vienna on Saturday agreed a timetable for a ceasefire in Syria and elections within 18 months, Secretary of State John Kerry said.</p>
<p>Russian Foreign Minister Sergei Lavrov and Kerry met with 17 other nations. At least 250000 people have been killed in Syria since 2011.</p>
</article></body></html>`;

let emulator: DiscordEmulator;
let feeds: FeedServer;
let bot: BotRun;

function visible(reply: { content: string | null; embeds: unknown[] }): string {
  return `${reply.content ?? ''}\n${JSON.stringify(reply.embeds)}`;
}

/** What a reader sees: content and embed text with the markdown escapes taken out. */
function plain(reply: { content: string | null; embeds: unknown[] }): string {
  const embeds = reply.embeds as Array<{ title?: string; fields?: Array<{ name: string; value: string }>; footer?: { text: string } }>;
  const parts = [reply.content ?? ''];
  for (const embed of embeds) {
    parts.push(embed.title ?? '');
    for (const field of embed.fields ?? []) parts.push(`${field.name}: ${field.value}`);
    if (embed.footer) parts.push(embed.footer.text);
  }
  return parts.join('\n').replace(/\\([\\*_~`|[\]()<#>+.-])/g, '$1');
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const ephemeral = (reply: { flags: number }): boolean => (reply.flags & (1 << 6)) !== 0;

async function run(spec: Parameters<DiscordEmulator['sendCommand']>[0], timeoutMs = 30_000) {
  const id = emulator.sendCommand({ guildId: G1, channelId: C1, userId: ASKER, permissions: MEMBER, ...spec });
  const reply = await emulator.waitForReply(id, timeoutMs);
  return { id, reply, text: plain(reply), raw: visible(reply) };
}

const admin = (spec: Parameters<DiscordEmulator['sendCommand']>[0]) => run({ permissions: ADMIN, ...spec });

function buttons(reply: EmulatorReply): Array<{ custom_id: string; label: string; disabled?: boolean }> {
  return (reply.components as Array<{ components: Array<{ custom_id: string; label: string; disabled?: boolean }> }>).flatMap(
    (row) => row.components,
  );
}

beforeAll(async () => {
  emulator = await startDiscordEmulator({
    log: () => undefined,
    guilds: [
      {
        id: G1,
        name: 'Newsroom One',
        channels: [
          { id: C1, name: 'general' },
          { id: C1B, name: 'digest' },
        ],
        roles: [{ id: EDITORS, name: 'Editors' }],
      },
      { id: G2, name: 'Newsroom Two', channels: [{ id: C2, name: 'general' }] },
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
  feeds.route('/hostile.rss', { kind: 'body', body: HOSTILE_FEED, contentType: 'application/rss+xml' });
  feeds.route('/article.html', { kind: 'body', body: ARTICLE, contentType: 'text/html' });
  feeds.route('/broken', { kind: 'status', status: 500 });
  const { configFile, storeUrl } = await scratchConfig((config) => {
    config['feeds'] = [...files.map((name) => ({ url: feeds.url(`/${name}`) })), { url: feeds.url('/hostile.rss') }];
    config['poll'] = { allowPrivateAddresses: true, intervalMinutes: 1440 };
    config['brief'] = { lookbackDays: 365 * 20, maxStories: 5, storyWindowHours: 72 };
  });
  bot = startBot(['run'], {
    DISCORD_TOKEN: emulator.token,
    DISCORD_API_BASE: emulator.apiBase,
    SITREP_CONFIG: configFile,
    SITREP_STORE: storeUrl,
    LOG_LEVEL: 'warn',
  });
  await Promise.race([
    emulator.whenIdentified(30_000),
    bot.exited.then((code) => {
      throw new Error(`the bot exited (${code}) before identifying:\n${bot.stderr()}`);
    }),
  ]);
  const deadline = Date.now() + 30_000;
  while (emulator.registeredCommands().puts < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
});

afterAll(async () => {
  await killBot(bot);
  await emulator?.close();
  await feeds?.close();
});

describe('registration', () => {
  it('registers every command; changing ones default to Manage Server, DM ones allow DMs', () => {
    const registered = emulator.registeredCommands().global as Array<{
      name: string;
      default_member_permissions: string | null;
      dm_permission?: boolean;
    }>;
    const byName = new Map(registered.map((command) => [command.name, command]));
    expect([...byName.keys()].sort()).toEqual(['admin-role', 'baseline', 'brief', 'digest', 'feeds', 'help', 'status', 'trend', 'watch']);
    for (const name of ['watch', 'feeds', 'digest', 'baseline', 'admin-role']) {
      expect(byName.get(name)?.default_member_permissions).toBe(ADMIN);
      expect(byName.get(name)?.dm_permission).toBe(false);
    }
    for (const name of ['brief', 'trend', 'help']) expect(byName.get(name)?.dm_permission).toBe(true);
  });
});

describe('/watch', () => {
  it('refuses a non-admin privately and changes nothing; an admin adds; the other server never sees it', async () => {
    const refused = await run({ name: 'watch', subcommand: 'add', options: { topic: 'syria', keyword: 'Palmyra' } });
    expect(ephemeral(refused.reply)).toBe(true);
    expect(refused.reply.content).toContain('You need Manage Server');
    expect((await run({ name: 'watch', subcommand: 'list', options: { topic: 'syria' } })).text).not.toContain('Palmyra');

    const added = await admin({ name: 'watch', subcommand: 'add', options: { topic: 'syria', keyword: 'Palmyra' } });
    expect(ephemeral(added.reply)).toBe(false);
    expect(added.reply.content).toContain('Watching "Palmyra" for Syria');
    expect(added.reply.allowedMentions).toEqual({ parse: [] });
    expect((await run({ name: 'watch', subcommand: 'list', options: { topic: 'syria' } })).text).toContain('Palmyra');
    const other = await run({ guildId: G2, channelId: C2, name: 'watch', subcommand: 'list', options: { topic: 'syria' } });
    expect(other.text).not.toContain('Palmyra');
  });

  it('explains a 2,000-character text by topic and word, this server\'s own words included', async () => {
    const long = `Fighting near Palmyra. ${'Russian jets flew over the Syrian desert again. '.repeat(60)}`.slice(0, 2_000);
    expect(long).toHaveLength(2_000);
    const explained = await run({ name: 'watch', subcommand: 'explain', options: { text: long } });
    expect(explained.text).toContain('Syria (syria)');
    expect(explained.text).toContain("By this server's keywords");
    expect(explained.text).toContain('Palmyra');
    expect(explained.text).toContain('Russia (russia)');
  });

  it('lets the guild\'s admin role change settings, but not name the admin role', async () => {
    const noRole = await run({ userId: EDITOR, roles: [EDITORS], name: 'watch', subcommand: 'add', options: { topic: 'syria', keyword: 'Homs province' } });
    expect(noRole.reply.content).toContain('You need Manage Server');
    const named = await admin({ name: 'admin-role', subcommand: 'set', options: { role: EDITORS } });
    expect(named.reply.content).toContain(EDITORS);
    const withRole = await run({ userId: EDITOR, roles: [EDITORS], name: 'watch', subcommand: 'add', options: { topic: 'syria', keyword: 'Homs province' } });
    expect(withRole.reply.content).toContain('Watching "Homs province"');
    const escalate = await run({ userId: EDITOR, roles: [EDITORS], name: 'admin-role', subcommand: 'clear' });
    expect(escalate.reply.content).toBe('You need Manage Server to change this. Nothing was changed.');
    expect((await run({ name: 'admin-role', subcommand: 'show' })).reply.content).toContain(EDITORS);
    const removed = await run({ userId: EDITOR, roles: [EDITORS], name: 'watch', subcommand: 'remove', options: { topic: 'syria', keyword: 'homs province' } });
    expect(removed.reply.content).toContain('Stopped watching');
    expect((await admin({ name: 'admin-role', subcommand: 'clear' })).reply.content).toContain('Only members with Manage Server');
  });

  it('says what was wrong with a keyword, with an example', async () => {
    const bad = await admin({ name: 'watch', subcommand: 'add', options: { topic: 'syria', keyword: '!!' } });
    expect(ephemeral(bad.reply)).toBe(true);
    expect(bad.reply.content).toContain('has no letters or digits; e.g. keyword:Aleppo');
    const missing = await admin({ name: 'watch', subcommand: 'remove', options: { topic: 'syria', keyword: 'Narnia' } });
    expect(missing.reply.content).toContain('This server does not watch that keyword.');
  });
});

describe('/feeds', () => {
  it('adds (admin only), lists with health, tests with hostile text made inert, and removes', async () => {
    const url = feeds.url('/hostile.rss');
    expect((await run({ name: 'feeds', subcommand: 'add', options: { url } })).reply.content).toContain('You need Manage Server');
    const added = await admin({ name: 'feeds', subcommand: 'add', options: { url, name: 'Hostile Wire' } });
    expect(added.reply.content).toContain('Added Hostile Wire');
    const again = await admin({ name: 'feeds', subcommand: 'add', options: { url } });
    expect(ephemeral(again.reply)).toBe(true);
    expect(again.reply.content).toContain('already has that feed');

    const listed = await run({ name: 'feeds', subcommand: 'list' });
    expect(listed.text).toContain('Hostile Wire');
    expect(listed.text).toMatch(/Status: healthy, 1 items/);
    expect(listed.text).toContain('Paused: no');
    expect(listed.text).toMatch(/Last success: \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect((await run({ guildId: G2, channelId: C2, name: 'feeds', subcommand: 'list' })).text).toContain('no feeds of its own');

    const tested = await run({ name: 'feeds', subcommand: 'test', options: { url } });
    expect(tested.reply.allowedMentions).toEqual({ parse: [] });
    expect(tested.raw).not.toMatch(/@everyone|@here/);
    expect(tested.raw).toContain('@\u200beveryone');
    expect(tested.raw).toContain('\\\\*\\\\*BREAKING\\\\*\\\\*');
    expect(tested.raw).toContain('\\\\[click\\\\]\\\\(https://evil.example\\\\)');
    expect(tested.text).toContain('syria (Syria');

    const broken = await run({ name: 'feeds', subcommand: 'test', options: { url: feeds.url('/broken') } });
    expect(broken.reply.content).toContain('answered with an error status');
    expect(broken.reply.content).toContain('HTTP 500');
    expect(ephemeral(broken.reply)).toBe(true);

    const scheme = await admin({ name: 'feeds', subcommand: 'add', options: { url: 'javascript:alert(1)' } });
    expect(scheme.reply.content).toContain('That is not an http or https feed address.');
    expect(scheme.reply.content).toContain('https://www.example.com/news/rss.xml');

    expect((await run({ name: 'feeds', subcommand: 'remove', options: { url } })).reply.content).toContain('You need Manage Server');
    expect((await admin({ name: 'feeds', subcommand: 'remove', options: { url: 'Hostile Wire' } })).reply.content).toContain('Removed Hostile Wire');
  });
});

describe('/digest', () => {
  it('sets, shows, refuses bad schedules and zones with an example, posts now, and turns off', async () => {
    const set = { channel: C1B, schedule: 'weekdays 18:30', timezone: 'europe/london', topics: 'syria, refugees' };
    expect((await run({ name: 'digest', subcommand: 'set', options: set })).reply.content).toContain('You need Manage Server');
    const done = await admin({ name: 'digest', subcommand: 'set', options: set });
    expect(done.text).toContain('Set up the digest for channel');
    expect(done.text).toContain('weekdays 18:30 (cron 30 18 * * 1-5, Europe/London)');
    expect(done.text).toContain('syria, refugees');

    const cron = await admin({ name: 'digest', subcommand: 'set', options: { ...set, schedule: '* * * * *' } });
    expect(ephemeral(cron.reply)).toBe(true);
    expect(cron.reply.content).toContain('e.g. "daily 08:00"');
    const zone = await admin({ name: 'digest', subcommand: 'set', options: { ...set, timezone: 'Mars/Olympus' } });
    expect(plain(zone.reply)).toContain('"Mars/Olympus" is not an IANA time zone name (e.g. "Europe/London"');

    const shown = await run({ name: 'digest', subcommand: 'show' });
    expect(shown.text).toContain('weekdays 18:30');
    expect((await run({ guildId: G2, channelId: C2, name: 'digest', subcommand: 'show' })).text).toContain('no digests');

    // Delivery belongs to src/digest; this command hands it the schedule and reports the outcome.
    const now = await admin({ name: 'digest', subcommand: 'now', options: { channel: C1B } });
    expect(now.text).toMatch(/Posted the digest to channel \d+|Nothing posted to channel \d+|Digest delivery is not running/);
    expect((await run({ name: 'digest', subcommand: 'now', options: { channel: C1B } })).reply.content).toContain('You need Manage Server');

    expect((await run({ name: 'digest', subcommand: 'off', options: { channel: C1B } })).reply.content).toContain('You need Manage Server');
    expect((await admin({ name: 'digest', subcommand: 'off', options: { channel: C1B } })).text).toContain('Turned off the digest');
    expect((await run({ name: 'digest', subcommand: 'show' })).text).toContain('no digests');
  });
});

describe('/baseline', () => {
  it('shows the configured baseline with its key facts', async () => {
    const shown = await run({ name: 'baseline', subcommand: 'show', options: { topic: 'syria' } });
    expect(shown.text).toContain('Obama, Cameron urge Putin to focus Syria attacks on Islamic State');
    expect(shown.text).toContain('Vladimir Putin');
    expect(shown.text).toContain('129');
  });

  it('sets one server\'s baseline from an article URL (admin only), leaves the other server\'s alone, and resets', async () => {
    const url = feeds.url('/article.html');
    const refused = await run({ name: 'baseline', subcommand: 'set', options: { topic: 'syria', url } });
    expect(refused.reply.content).toContain('You need Manage Server');
    const set = await admin({ name: 'baseline', subcommand: 'set', options: { topic: 'syria', url } });
    expect(set.reply.content).toContain('"Vienna talks set Syria ceasefire timetable"');
    expect(set.reply.content).toContain('2015-11-14');
    const shown = await run({ name: 'baseline', subcommand: 'show', options: { topic: 'syria' } });
    expect(shown.text).toContain('Vienna talks set Syria ceasefire timetable');
    expect(shown.text).toContain('Sergei Lavrov');
    const other = await run({ guildId: G2, channelId: C2, name: 'baseline', subcommand: 'show', options: { topic: 'syria' } });
    expect(other.text).toContain('Obama, Cameron urge Putin');
    expect((await admin({ name: 'baseline', subcommand: 'reset', options: { topic: 'syria' } })).reply.content).toContain('Reset');
    expect((await run({ name: 'baseline', subcommand: 'show', options: { topic: 'syria' } })).text).toContain('Obama, Cameron urge Putin');
  });

  it('takes pasted text up to 2,000 characters and explains what is missing', async () => {
    const text = `Refugee arrivals in Greece pass 700000\n${'Greek officials said 700000 refugees had reached the islands this year. '.repeat(40)}`.slice(0, 2_000);
    const set = await admin({ guildId: G2, channelId: C2, name: 'baseline', subcommand: 'set', options: { topic: 'refugees', text } });
    expect(set.reply.content).toContain('"Refugee arrivals in Greece pass 700000"');
    const neither = await admin({ name: 'baseline', subcommand: 'set', options: { topic: 'refugees' } });
    expect(neither.reply.content).toContain('Give either an article URL or the pasted text');
    expect(ephemeral(neither.reply)).toBe(true);
    expect((await run({ name: 'baseline', subcommand: 'reset', options: { topic: 'refugees' } })).reply.content).toContain('You need Manage Server');
  });
});

describe('/brief', () => {
  it('pages a long brief with buttons only the asker can press; an unknown page key has expired', async () => {
    const asked = await run({ name: 'brief', options: { topic: 'syria', detail: 'full' } }, 40_000);
    expect(asked.reply.allowedMentions).toEqual({ parse: [] });
    const first = buttons(asked.reply);
    expect(first.map((button) => button.label)).toEqual(['Prev', expect.stringMatching(/^1 of \d+$/), 'Next']);
    expect(first[0]?.disabled).toBe(true);
    const next = first[2]?.custom_id ?? '';
    const messageId = asked.reply.messageId ?? '';

    const stranger = emulator.sendButton({ customId: next, messageId, guildId: G1, channelId: C1, userId: OTHER, permissions: ADMIN });
    const refused = await emulator.waitForReply(stranger);
    expect(refused.content).toContain('Only the person who asked can turn these pages');
    expect(ephemeral(refused)).toBe(true);

    const press = emulator.sendButton({ customId: next, messageId, guildId: G1, channelId: C1, userId: ASKER });
    const page2 = await emulator.waitForReply(press);
    expect(page2.kind).toBe('update');
    expect(buttons(page2)[1]?.label).toMatch(/^2 of \d+$/);
    expect(visible(page2)).not.toBe(asked.text);

    // Every page, turned by the asker: nothing anywhere pings anyone.
    let pages = visible(asked.reply) + visible(page2);
    let current = page2;
    while (buttons(current)[2]?.disabled === false) {
      const turn = emulator.sendButton({ customId: buttons(current)[2]?.custom_id ?? '', messageId, guildId: G1, channelId: C1, userId: ASKER });
      current = await emulator.waitForReply(turn);
      pages += visible(current);
    }
    expect(pages).not.toMatch(/@everyone|@here|<@\d/);

    const stale = emulator.sendButton({ customId: 'page:0123456789ab:1', messageId, guildId: G1, channelId: C1, userId: ASKER });
    expect((await emulator.waitForReply(stale)).content).toContain('This answer has expired');
  });

  it('shows hostile feed titles inert, takes since:, and explains a bad since with an example', async () => {
    // Only the hostile item is from the last three days.
    const { reply, raw } = await run({ name: 'brief', options: { topic: 'syria', since: '3d' } }, 40_000);
    expect(reply.allowedMentions).toEqual({ parse: [] });
    expect(reply.content).toContain('Syria: 1 story new');
    expect(raw).not.toMatch(/@everyone|@here|<@\d/);
    expect(raw).toContain('@\u200beveryone \\\\*\\\\*BREAKING\\\\*\\\\* Syria talks \\\\[click\\\\]\\\\(https://evil.example\\\\) \\\\<@\u200b123456789>');
    const bad = await run({ name: 'brief', options: { topic: 'syria', since: 'last tuesday' } });
    expect(ephemeral(bad.reply)).toBe(true);
    expect(bad.reply.content).toContain('e.g. since:6h, since:3d');
    // The public "thinking..." message goes away; the error reaches only the asker.
    await until(() => emulator.replies(bad.id).some((entry) => entry.kind === 'delete'), 'the deferral to be deleted');
    expect(emulator.replies(bad.id).map((entry) => entry.kind)).toEqual(['defer', 'followup', 'delete']);
  });

  it('answers in a DM, as do /trend and /help; the server commands say why not', async () => {
    const dm = emulator.sendCommand({ name: 'brief', options: { topic: 'refugees' }, userId: ASKER });
    expect((await emulator.waitForReply(dm, 40_000)).content).toContain('Refugees: ');
    const helpId = emulator.sendCommand({ name: 'help', userId: ASKER });
    expect(plain(await emulator.waitForReply(helpId))).toContain('/watch add|remove|list|explain');
    for (const name of ['watch', 'feeds', 'digest', 'baseline', 'status', 'admin-role']) {
      const id = emulator.sendCommand({ name, subcommand: name === 'status' ? undefined : 'show', userId: ASKER });
      const reply = await emulator.waitForReply(id);
      expect(reply.content).toContain('works only in a server');
      expect(reply.content).toContain('In DMs, /brief, /trend and /help work.');
    }
  });
});

describe('/trend and /status', () => {
  it('attaches a real PNG chart, in a server and in a DM', async () => {
    for (const spec of [{ guildId: G1, channelId: C1 }, {}]) {
      const id = emulator.sendCommand({ name: 'trend', options: { topic: 'syria', days: 60 }, userId: ASKER, ...spec });
      const reply = await emulator.waitForReply(id, 40_000);
      expect(reply.content).toContain('Syria: ');
      expect(reply.files).toHaveLength(1);
      const png = reply.files[0]?.data ?? Buffer.alloc(0);
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png.readUInt32BE(16)).toBe(800);
      expect(png.readUInt32BE(20)).toBe(400);
      expect(png.length).toBeGreaterThan(2_000);
      expect(reply.files[0]?.contentType).toBe('image/png');
    }
  });

  it('reports feeds, items, next digest, version and uptime', async () => {
    const { text } = await run({ name: 'status' });
    expect(text).toMatch(/Feeds: \d+ healthy, 0 failing, 0 paused/);
    expect(text).toMatch(/Today: 1 items in 1 stories|Today: 0 items/);
    expect(text).toMatch(/Stored: \d+ items/);
    expect(text).toContain('Next digest: ');
    expect(text).toContain('Version: 0.1.0');
    expect(text).toMatch(/Uptime: \d+[smhd]/);
  });
});

describe('Discord answering 429 and 500', () => {
  it('still delivers each reply once', async () => {
    emulator.failNext(/^POST \/api\/v10\/interactions\/.*\/callback$/, 429, 1, 0.2);
    const quick = await run({ name: 'watch', subcommand: 'list', options: { topic: 'syria' } });
    expect(quick.reply.content).toContain('Keywords');
    expect(emulator.replies(quick.id).filter((entry) => entry.kind === 'reply')).toHaveLength(1);

    emulator.failNext(/^PATCH \/api\/v10\/webhooks\/.*@original$/, 500, 1);
    emulator.failNext(/^POST \/api\/v10\/interactions\/.*\/callback$/, 429, 1, 0.2);
    const slow = await run({ name: 'brief', options: { topic: 'russia' } }, 40_000);
    expect(slow.reply.content).toContain('Russia: ');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(emulator.replies(slow.id).map((entry) => entry.kind)).toEqual(['defer', 'edit']);
    expect(emulator.requests.some((request) => request.status === 429)).toBe(true);
  });
});
