import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/chat/dispatch.ts';
import type { CommandContext } from '../../src/chat/command.ts';
import { countPerDay } from '../../commands/trend.ts';
import { formatBrief } from '../../commands/brief.ts';
import type { Brief } from '../../src/briefing/index.ts';
import type { StoredItem } from '../../src/store/index.ts';
import { discordInput, MANAGE_GUILD, testContext } from './context.ts';

let ctx: CommandContext;

beforeAll(async () => {
  ctx = await testContext();
});

afterAll(async () => {
  await ctx.store.close();
});

const asAdmin = (name: string, subcommand: string, options: Record<string, string | number>) =>
  runCommand(discordInput({ name, subcommand, options, permissions: MANAGE_GUILD }), ctx);

describe('/digest set', () => {
  it('stores a DigestSchedule with the cron, the canonical zone and the topics', async () => {
    const reply = await asAdmin('digest', 'set', { channel: 'c9', schedule: 'Weekdays 7am', timezone: 'america/new_york', topics: 'syria, ISIL' });
    expect(reply.error).toBeUndefined();
    const [schedule] = (await ctx.store.guilds.get('g1')).digests;
    expect(schedule).toMatchObject({
      id: 'd-c9-1',
      channelId: 'c9',
      cron: '0 7 * * 1-5',
      phrase: 'Weekdays 7am',
      timezone: 'America/New_York',
      topics: ['syria', 'islamic-state'],
      quiet: null,
      whenEmpty: 'skip',
      paused: false,
      createdBy: 'u1',
    });
    // Setting the same channel again replaces its schedule.
    await asAdmin('digest', 'set', { channel: 'c9', schedule: 'daily 08:00', timezone: 'UTC', quiet: '22:00-7:00', 'when-empty': 'post' });
    const digests = (await ctx.store.guilds.get('g1')).digests;
    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({ cron: '0 8 * * *', quiet: { from: '22:00', to: '07:00' }, whenEmpty: 'post', topics: [] });
  });

  it('rejects unknown topics with the list', async () => {
    const reply = await asAdmin('digest', 'set', { channel: 'c9', schedule: 'daily 08:00', timezone: 'UTC', topics: 'syria, narnia' });
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain('"narnia" is not a topic. Topics: syria,');
  });
});

describe('/feeds add', () => {
  it('refuses private addresses unless the config allows them, and caps a name', async () => {
    const reply = await asAdmin('feeds', 'add', { url: 'http://169.254.169.254/latest/meta-data' });
    expect(reply.text).toContain('That feed points at a private or local address');
    expect((await ctx.store.guilds.get('g1')).feeds).toEqual([]);
  });
});

describe('/trend', () => {
  const item = (key: string, published: string, story?: string): StoredItem & { story?: string } => ({
    key,
    id: key,
    feedUrl: 'https://a.example/feed',
    title: `Syria item ${key}`,
    text: '',
    link: null,
    published,
    source: 'A',
    topics: ['syria'],
    firstSeen: published,
    ...(story ? { story } : {}),
  });

  it('counts items and distinct stories per UTC day, oldest first, zero days included', () => {
    const days = countPerDay(
      [item('a', '2015-11-29T10:00:00Z', 's1'), item('b', '2015-11-29T12:00:00Z', 's1'), item('c', '2015-11-29T13:00:00Z', 's2'), item('d', '2015-12-01T01:00:00Z', 's3'), item('old', '2015-10-01T00:00:00Z', 's4')],
      new Date('2015-12-01T12:00:00Z'),
      3,
      72,
    );
    expect(days).toEqual([
      { date: '2015-11-29', items: 3, stories: 2 },
      { date: '2015-11-30', items: 0, stories: 0 },
      { date: '2015-12-01', items: 1, stories: 1 },
    ]);
  });

  it('answers with a PNG attachment, also in a DM', async () => {
    const reply = await runCommand(discordInput({ name: 'trend', options: { topic: 'syria', days: 7 }, guildId: null, permissions: null }), ctx);
    const [file] = reply.files ?? [];
    expect(file?.contentType).toBe('image/png');
    expect(file?.data.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(reply.text).toContain('Syria: 0 items over 7 days (2015-11-25 to 2015-12-01)');
  });
});

describe('formatBrief paging', () => {
  it('splits stories into pages with the page number in each footer', () => {
    const story = (n: number) => ({
      id: `s${n}`,
      headline: `Story ${n}`,
      link: null,
      firstSeen: '2015-11-20T00:00:00Z',
      lastSeen: '2015-11-20T00:00:00Z',
      sources: [{ name: 'A', link: null }],
      itemCount: 1,
      delta: { entities: { new: [] }, figures: { changed: [], new: [] }, sentences: [] },
      score: 1,
    });
    const brief: Brief = {
      topic: ctx.topics[0] ?? { id: 'syria', name: 'Syria', keywords: [], aliases: [], exclude: [] },
      baseline: { id: 'b', title: 'Base', text: '', published: '2015-11-16', source: 'UPI' },
      from: '2015-11-16T00:00:00Z',
      to: '2015-12-01T00:00:00Z',
      itemCount: 7,
      stories: [1, 2, 3, 4, 5, 6, 7].map(story),
      more: 2,
    };
    const reply = formatBrief(brief, { detail: 'full', perPage: 3 });
    expect(reply.pages?.map((page) => page.blocks.map((block) => block.title))).toEqual([
      ['Story 1', 'Story 2', 'Story 3'],
      ['Story 4', 'Story 5', 'Story 6'],
      ['Story 7'],
    ]);
    expect(reply.pages?.[2]?.footer).toBe('7 items from 2015-11-16 to 2015-12-01 · page 3 of 3 · 2 more stories not shown');
    expect(reply.blocks).toEqual(reply.pages?.[0]?.blocks);
    expect(formatBrief(brief, { perPage: 10 }).pages).toBeUndefined();
  });
});
