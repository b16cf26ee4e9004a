import { SlashCommandBuilder } from 'discord.js';
import type { Command, CommandContext } from '../src/chat/command.ts';
import { guildOf, minute, nextCronRun } from '../src/chat/options.ts';
import type { ReplyBlock } from '../src/chat/reply.ts';
import { listFeedHealth, type FeedHealthStatus } from '../src/ingest/index.ts';
import type { StoredItem } from '../src/store/index.ts';
import { countPerDay } from './trend.ts';

export const data = new SlashCommandBuilder()
  .setName('status')
  .setDescription('How the bot is doing: feeds, items and stories today, next digest, version, uptime')
  .setDMPermission(false);

/** "3d 4h", "2h 5m", "40s" */
export function formatUptime(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const days = Math.floor(whole / 86_400);
  const hours = Math.floor((whole % 86_400) / 3_600);
  const minutes = Math.floor((whole % 3_600) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m`;
  return `${whole}s`;
}

/** The next digest of this server: the digest service's answer, else what its schedules say. */
async function nextDigest(ctx: CommandContext, guildId: string): Promise<string> {
  const next = await ctx.digests.nextRun(guildId);
  if (next) return minute(next);
  const schedules = (await ctx.store.guilds.get(guildId)).digests.filter((schedule) => !schedule.paused);
  if (schedules.length === 0) return 'none set up (see /digest set)';
  const times = schedules
    .map((schedule) => nextCronRun(schedule.cron, schedule.timezone, ctx.now()))
    .filter((time): time is Date => time !== null)
    .sort((a, b) => a.getTime() - b.getTime());
  return times[0] ? `${minute(times[0])} by its schedule (delivery is not running in this process)` : 'none within a week';
}

/** Digests of this server failing for a day or more: said plainly, never hidden. */
function failingDigests(failed: Awaited<ReturnType<CommandContext['digests']['failedDigests']>>, guildId: string): string {
  const mine = failed.filter((digest) => digest.guildId === guildId);
  if (mine.length === 0) return 'none';
  const first = mine[0];
  return `${mine.length} failing for over 24 h (e.g. channel ${first?.channelId}: ${first?.lastError ?? 'unknown error'}); still retrying`;
}

export const status: Command = {
  data,
  defer: true,
  async execute(input, ctx) {
    const guildId = guildOf(input);
    await ctx.firstPoll;
    const settings = await ctx.store.guilds.get(guildId);
    // Every feed the poller has recorded (configured or sample feeds, any server's), plus this
    // server's own that it has not reached yet.
    const known = await listFeedHealth(ctx.store);
    const own = await listFeedHealth(ctx.store, settings.feeds.map((feed) => feed.url));
    const byUrl = new Map([...known, ...own].map((health) => [health.url, health]));
    const count = (status: FeedHealthStatus): number => [...byUrl.values()].filter((health) => health.status === status).length;
    const [healthy, failing, paused, waiting] = [count('ok'), count('failing'), count('paused'), count('pending')];
    const urls = [...byUrl.keys()];
    const dayStart = new Date(ctx.now());
    dayStart.setUTCHours(0, 0, 0, 0);
    const since = dayStart.toISOString();
    const lists = await Promise.all(ctx.topics.map((topic) => ctx.store.items.listByTopic(topic.id, { since })));
    const unique = new Map<string, StoredItem>();
    for (const item of lists.flat()) unique.set(item.key, item);
    const [today] = countPerDay([...unique.values()], ctx.now(), 1, ctx.config.brief.storyWindowHours);
    const fields: ReplyBlock['fields'] = [
      {
        label: 'Feeds',
        text: `${healthy} healthy, ${failing} failing, ${paused} paused, ${waiting} not polled yet (${urls.length} in all; this server added ${settings.feeds.length})`,
      },
      { label: 'Today', text: `${today?.items ?? 0} items in ${today?.stories ?? 0} stories on my topics (${today?.date ?? ''}, UTC)` },
      { label: 'Stored', text: `${await ctx.store.items.count()} items` },
      { label: 'Next digest', text: await nextDigest(ctx, guildId) },
      { label: 'Failing digests', text: failingDigests(await ctx.digests.failedDigests(), guildId) },
      { label: 'Version', text: ctx.version },
      { label: 'Uptime', text: formatUptime(process.uptime()) },
    ];
    return { text: `sitrep ${ctx.version} status`, blocks: [{ title: 'Status', fields, links: [] }] };
  },
};
