import { ChannelType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { findTopic } from '../src/briefing/index.ts';
import type { Command, CommandContext, CommandInput } from '../src/chat/command.ts';
import { UserInputError } from '../src/chat/errors.ts';
import { guildOf, minute, nextCronRun, requiredText, text } from '../src/chat/options.ts';
import { textReply, type Reply, type ReplyBlock } from '../src/chat/reply.ts';
import { parseQuietHours, parseSchedule, parseTimeZone } from '../src/chat/schedule-phrase.ts';
import type { DigestSchedule } from '../src/store/index.ts';

/** Digest schedules one server may have (one per channel). */
export const MAX_DIGESTS = 10;

export const data = new SlashCommandBuilder()
  .setName('digest')
  .setDescription("Scheduled digests: set one for a channel, show them, turn one off, or post one now")
  .setDMPermission(false)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .addSubcommand((sub) =>
    sub
      .setName('set')
      .setDescription('Post a digest to a channel on a schedule (Manage Server)')
      .addChannelOption((option) =>
        option
          .setName('channel')
          .setDescription('Where to post')
          .setRequired(true)
          .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
      )
      .addStringOption((option) =>
        option
          .setName('schedule')
          .setDescription('e.g. daily 08:00, weekdays 18:30, every 6 hours, or cron like 0 8 * * *')
          .setRequired(true)
          .setMaxLength(100),
      )
      .addStringOption((option) =>
        option.setName('timezone').setDescription('IANA time zone, e.g. Europe/London or UTC').setRequired(true).setMaxLength(64),
      )
      .addStringOption((option) =>
        option.setName('topics').setDescription('Topics to include, e.g. syria, refugees (default: all)').setMaxLength(300),
      )
      .addStringOption((option) =>
        option.setName('quiet').setDescription('No posts between these local times, e.g. 22:00-07:00').setMaxLength(20),
      )
      .addStringOption((option) =>
        option
          .setName('when-empty')
          .setDescription('When nothing is new: skip the post (default) or post "nothing new"')
          .addChoices({ name: 'skip', value: 'skip' }, { name: 'post', value: 'post' }),
      ),
  )
  .addSubcommand((sub) => sub.setName('show').setDescription("This server's digest schedules"))
  .addSubcommand((sub) =>
    sub
      .setName('off')
      .setDescription("Stop a channel's digest (Manage Server)")
      .addChannelOption((option) =>
        option
          .setName('channel')
          .setDescription('The channel (default: this one)')
          .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName('now')
      .setDescription("Post a channel's digest now, outside its schedule")
      .addChannelOption((option) =>
        option
          .setName('channel')
          .setDescription('The channel (default: this one)')
          .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
      ),
  );

/** The schedule id of a channel: one digest per channel, so setting it again replaces it. */
export function digestId(channelId: string): string {
  return `d-${channelId}-1`;
}

function topicList(typed: string | null, ctx: CommandContext): string[] {
  if (typed === null || /^(all|\*)$/i.test(typed)) return [];
  const ids: string[] = [];
  for (const word of typed.split(/\s*,\s*|\s+/).filter(Boolean)) {
    const topic = findTopic(ctx.topics, word);
    if (!topic) {
      throw new UserInputError(
        'topic.unknown',
        `"${word.slice(0, 40)}" is not a topic. Topics: ${ctx.topics.map((candidate) => candidate.id).join(', ')}; e.g. topics:"syria, refugees".`,
      );
    }
    if (!ids.includes(topic.id)) ids.push(topic.id);
  }
  return ids;
}

function channelName(id: string, input: CommandInput): string {
  return id === input.channelId ? 'this channel' : `channel ${id}`;
}

function describe(schedule: DigestSchedule, ctx: CommandContext, input: CommandInput): ReplyBlock {
  const next = schedule.paused ? null : nextCronRun(schedule.cron, schedule.timezone, ctx.now());
  const fields: ReplyBlock['fields'] = [
    { label: 'Schedule', text: `${schedule.phrase} (cron ${schedule.cron}, ${schedule.timezone})` },
    { label: 'Topics', text: schedule.topics.length > 0 ? schedule.topics.join(', ') : 'all' },
    { label: 'Next post', text: next ? minute(next) : schedule.paused ? `paused${schedule.pausedReason ? `: ${schedule.pausedReason}` : ''}` : 'none within a week' },
  ];
  if (schedule.quiet) fields.push({ label: 'Quiet hours', text: `${schedule.quiet.from}-${schedule.quiet.to}` });
  fields.push({ label: 'When nothing is new', text: schedule.whenEmpty === 'post' ? 'post "nothing new"' : 'skip the post' });
  return { title: `Digest in ${channelName(schedule.channelId, input)}`, fields, links: [] };
}

async function set(input: CommandInput, ctx: CommandContext): Promise<Reply> {
  const guildId = guildOf(input);
  const channelId = requiredText(input, 'channel', { max: 40, example: '#news' });
  const { cron, phrase } = parseSchedule(requiredText(input, 'schedule', { max: 100, example: '"daily 08:00"' }));
  const timezone = parseTimeZone(requiredText(input, 'timezone', { max: 64, example: 'Europe/London' }));
  const topics = topicList(text(input, 'topics'), ctx);
  const quietText = text(input, 'quiet');
  const quiet = quietText === null ? null : parseQuietHours(quietText);
  const whenEmpty = text(input, 'when-empty') === 'post' ? 'post' : 'skip';
  const id = digestId(channelId);
  const now = ctx.now();
  const schedule: DigestSchedule = {
    id,
    channelId,
    cron,
    phrase,
    timezone,
    topics,
    quiet,
    whenEmpty,
    paused: false,
    pausedReason: null,
    createdBy: input.userId,
    createdAt: now.toISOString(),
  };
  let replaced = false;
  await ctx.store.guilds.update(
    guildId,
    (current) => {
      replaced = current.digests.some((digest) => digest.id === id);
      if (!replaced && current.digests.length >= MAX_DIGESTS) {
        throw new UserInputError('digest.limit', `It has ${current.digests.length}; turn one off first with /digest off.`);
      }
      return { ...current, digests: [...current.digests.filter((digest) => digest.id !== id), schedule] };
    },
    now,
  );
  return {
    text: `${replaced ? 'Changed' : 'Set up'} the digest for ${channelName(channelId, input)}.`,
    blocks: [describe(schedule, ctx, input)],
  };
}

async function show(input: CommandInput, ctx: CommandContext): Promise<Reply> {
  const digests = (await ctx.store.guilds.get(guildOf(input))).digests;
  if (digests.length === 0) return textReply('This server has no digests. Set one up with /digest set.');
  return {
    text: `This server has ${digests.length} digest${digests.length === 1 ? '' : 's'}.`,
    blocks: digests.map((schedule) => describe(schedule, ctx, input)),
  };
}

/** The schedule of the channel named (or the one typed in); an error listing the server's digests otherwise. */
async function scheduleOf(input: CommandInput, ctx: CommandContext): Promise<DigestSchedule> {
  const channelId = text(input, 'channel') ?? input.channelId ?? '';
  const digests = (await ctx.store.guilds.get(guildOf(input))).digests;
  const found = digests.find((digest) => digest.channelId === channelId);
  if (!found) {
    const where = digests.map((digest) => channelName(digest.channelId, input)).join(', ');
    throw new UserInputError(
      'digest.missing',
      where ? `Digests go to: ${where}; name one with channel:.` : 'This server has none; set one up with /digest set.',
    );
  }
  return found;
}

async function off(input: CommandInput, ctx: CommandContext): Promise<Reply> {
  const schedule = await scheduleOf(input, ctx);
  await ctx.store.guilds.update(
    guildOf(input),
    (current) => ({ ...current, digests: current.digests.filter((digest) => digest.id !== schedule.id) }),
    ctx.now(),
  );
  return textReply(`Turned off the digest for ${channelName(schedule.channelId, input)} (${schedule.phrase}).`);
}

async function now(input: CommandInput, ctx: CommandContext): Promise<Reply> {
  const schedule = await scheduleOf(input, ctx);
  const result = await ctx.digests.runNow(guildOf(input), schedule.id);
  return textReply(
    result.posted
      ? `Posted the digest to ${channelName(schedule.channelId, input)}: ${result.detail}`
      : `Nothing posted to ${channelName(schedule.channelId, input)}: ${result.detail}`,
  );
}

export const digest: Command = {
  data,
  defer: true,
  requires: { userPermissions: ['ManageGuild'], subcommands: ['set', 'off', 'now'] },
  execute(input, ctx) {
    switch (input.subcommand) {
      case 'set':
        return set(input, ctx);
      case 'off':
        return off(input, ctx);
      case 'now':
        return now(input, ctx);
      default:
        return show(input, ctx);
    }
  },
};
