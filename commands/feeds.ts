import { PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { Command, CommandContext, CommandInput } from '../src/chat/command.ts';
import { UserInputError } from '../src/chat/errors.ts';
import { day, guildOf, minute, requiredText, text } from '../src/chat/options.ts';
import { textReply, type Reply, type ReplyBlock } from '../src/chat/reply.ts';
import { isSitrepError } from '../src/errors.ts';
import { assertPublicHost, parseFeedUrl, pollFeed } from '../src/feeds/index.ts';
import type { FetchOptions } from '../src/feeds/types.ts';
import { matchTopics } from '../src/news/index.ts';
import { listFeedHealth, type FeedHealth, type FeedHealthStatus } from '../src/ingest/index.ts';

/** Feeds one server may add: each is polled on every cycle. */
export const MAX_GUILD_FEEDS = 20;
const URL_MAX = 500;
const NAME_MAX = 100;
const URL_EXAMPLE = 'https://www.example.com/news/rss.xml';

export const data = new SlashCommandBuilder()
  .setName('feeds')
  .setDescription("This server's own feeds: add, remove, list with their health, or test one")
  .setDMPermission(false)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .addSubcommand((sub) =>
    sub
      .setName('add')
      .setDescription('Poll one more feed for this server (Manage Server)')
      .addStringOption((option) =>
        option.setName('url').setDescription(`The feed address, e.g. ${URL_EXAMPLE}`).setRequired(true).setMaxLength(URL_MAX),
      )
      .addStringOption((option) => option.setName('name').setDescription('What to call this outlet').setMaxLength(NAME_MAX)),
  )
  .addSubcommand((sub) =>
    sub
      .setName('remove')
      .setDescription('Stop polling a feed this server added (Manage Server)')
      .addStringOption((option) =>
        option.setName('url').setDescription('The feed address or the name it was given').setRequired(true).setMaxLength(URL_MAX),
      ),
  )
  .addSubcommand((sub) => sub.setName('list').setDescription("This server's feeds and their health"))
  .addSubcommand((sub) =>
    sub
      .setName('test')
      .setDescription('Fetch a feed once and show what I find in it')
      .addStringOption((option) =>
        option.setName('url').setDescription(`The feed address, e.g. ${URL_EXAMPLE}`).setRequired(true).setMaxLength(URL_MAX),
      ),
  );

function fetchOptions(ctx: CommandContext): FetchOptions {
  return {
    timeoutMs: ctx.config.poll.timeoutSeconds * 1_000,
    maxBytes: ctx.config.poll.maxBytes,
    allowPrivate: ctx.config.poll.allowPrivateAddresses,
    userAgent: ctx.config.poll.userAgent,
  };
}

/** A feed failure as the user's error: the catalogue text for its code, the reason, an example. */
function feedProblem(code: string, message: string): UserInputError {
  return new UserInputError(code, `${message.replace(/^feeds: /, '')}. A feed address looks like ${URL_EXAMPLE}`);
}

/** An http(s) address that does not point into the bot's own network (unless the config allows it). */
async function checkedUrl(input: CommandInput, ctx: CommandContext): Promise<string> {
  const raw = requiredText(input, 'url', { max: URL_MAX, example: URL_EXAMPLE });
  try {
    const url = parseFeedUrl(raw);
    if (url.username || url.password) throw new UserInputError('feed.url', `an address with a user name or password is not accepted; e.g. ${URL_EXAMPLE}`);
    if (!ctx.config.poll.allowPrivateAddresses) await assertPublicHost(url);
    return url.href;
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    if (isSitrepError(error)) throw feedProblem(error.code, error.message);
    throw error;
  }
}

async function add(input: CommandInput, ctx: CommandContext): Promise<Reply> {
  const guildId = guildOf(input);
  const url = await checkedUrl(input, ctx);
  const name = text(input, 'name')?.replace(/\s+/g, ' ');
  if (name && name.length > NAME_MAX) throw new UserInputError('command.option-invalid', `name takes at most ${NAME_MAX} characters; e.g. name:"Reuters World"`);
  await ctx.store.guilds.update(
    guildId,
    (current) => {
      if (current.feeds.some((feed) => feed.url === url)) {
        throw new UserInputError('feeds.duplicate', `${url} is on its list already (see /feeds list).`);
      }
      if (current.feeds.length >= MAX_GUILD_FEEDS) {
        throw new UserInputError('feeds.limit', `It has ${current.feeds.length}; remove one first with /feeds remove.`);
      }
      const feed = { url, addedBy: input.userId, addedAt: ctx.now().toISOString(), ...(name ? { name } : {}) };
      return { ...current, feeds: [...current.feeds, feed] };
    },
    ctx.now(),
  );
  return textReply(`Added ${name ? `${name} (${url})` : url}; I will poll it from the next cycle on. Try /feeds test to see what it holds.`);
}

async function remove(input: CommandInput, ctx: CommandContext): Promise<Reply> {
  const guildId = guildOf(input);
  const wanted = requiredText(input, 'url', { max: URL_MAX, example: URL_EXAMPLE });
  const feeds = (await ctx.store.guilds.get(guildId)).feeds;
  const normalized = (() => {
    try {
      return new URL(wanted).href;
    } catch {
      return wanted;
    }
  })();
  const found = feeds.find((feed) => feed.url === normalized || feed.name?.toLowerCase() === wanted.toLowerCase());
  if (!found) {
    const known = feeds.map((feed) => feed.name ?? feed.url).join(', ');
    throw new UserInputError('feeds.missing', known ? `Its feeds: ${known}.` : 'It has no feeds of its own; add one with /feeds add.');
  }
  await ctx.store.guilds.update(guildId, (current) => ({ ...current, feeds: current.feeds.filter((feed) => feed.url !== found.url) }), ctx.now());
  return textReply(`Removed ${found.name ? `${found.name} (${found.url})` : found.url}; it is not polled for this server any more.`);
}

/** One feed's health in words, from the poller's record (src/ingest listFeedHealth). */
export function healthFields(health: FeedHealth, fallbackNextPoll: Date | null): ReplyBlock['fields'] {
  // The poller's own plan for this feed (backoff, ttl) wins over the cycle's schedule.
  const planned = health.nextPoll ? new Date(health.nextPoll) : fallbackNextPoll;
  const next = { label: 'Next poll', text: health.paused ? 'not while paused' : planned ? minute(planned) : 'not scheduled' };
  if (health.status === 'pending') return [{ label: 'Status', text: 'not polled yet' }, next];
  const status: Record<FeedHealthStatus, string> = {
    ok: `healthy, ${health.itemCount} items in the feed`,
    failing: `failing (${health.consecutiveFailures} in a row)`,
    paused: `paused after ${health.consecutiveFailures} failures in a row`,
    pending: 'not polled yet',
  };
  const fields: ReplyBlock['fields'] = [
    { label: 'Status', text: status[health.status] },
    { label: 'Last success', text: health.lastSuccess ? minute(new Date(health.lastSuccess)) : 'never' },
  ];
  if (health.lastError) fields.push({ label: 'Last error', text: health.lastError });
  fields.push({ label: 'Paused', text: health.paused ? `yes, since ${health.pausedAt ? minute(new Date(health.pausedAt)) : 'a while'}` : 'no' });
  fields.push(next);
  return fields;
}

async function list(input: CommandInput, ctx: CommandContext): Promise<Reply> {
  const guildId = guildOf(input);
  // Health read before the first poll after a start would say "not polled yet" for every feed.
  await ctx.firstPoll;
  const feeds = (await ctx.store.guilds.get(guildId)).feeds;
  const nextPoll = new Date(ctx.now().getTime() + ctx.config.poll.intervalMinutes * 60_000);
  const configured = await listFeedHealth(ctx.store, ctx.config.feeds.map((feed) => feed.url));
  const failing = configured.filter((health) => health.status === 'failing' || health.status === 'paused').length;
  const summary = `I also poll ${ctx.config.feeds.length} configured feeds for every server: ${failing} failing or paused.`;
  if (feeds.length === 0) return textReply(`This server has no feeds of its own yet (add one with /feeds add). ${summary}`);
  const health = await listFeedHealth(ctx.store, feeds.map((feed) => feed.url));
  const blocks: ReplyBlock[] = feeds.map((feed, index) => {
    const entry = health[index];
    return {
      title: feed.name ?? entry?.title ?? feed.url,
      url: feed.url,
      fields: [{ label: 'Address', text: feed.url }, ...(entry ? healthFields(entry, nextPoll) : [])],
      links: [],
    };
  });
  return { text: `This server's feeds (${feeds.length} of at most ${MAX_GUILD_FEEDS}). ${summary}`, blocks };
}

async function test(input: CommandInput, ctx: CommandContext): Promise<Reply> {
  const url = await checkedUrl(input, ctx);
  const result = await pollFeed({ url }, {}, fetchOptions(ctx), ctx.now());
  if (result.status === 'failed') throw feedProblem(result.error.code, result.error.message);
  if (result.status === 'not-modified') return textReply(`${url} answered "not modified" to a first request; it holds nothing I can show.`);
  const { feed } = result;
  const newest = [...feed.items].sort((a, b) => b.published.localeCompare(a.published)).slice(0, 5);
  const blocks: ReplyBlock[] = newest.map((item) => {
    const topics = matchTopics({ title: item.title, text: item.text }, ctx.topics);
    return {
      title: item.title || '(untitled)',
      url: item.link,
      time: item.published,
      fields: [
        { label: 'Published', text: day(item.published) || 'undated' },
        {
          label: 'Topics',
          text: topics.length > 0 ? topics.map((match) => `${match.topic} (${match.matched.slice(0, 3).join(', ')})`).join('; ') : 'none',
        },
      ],
      links: [],
    };
  });
  const matching = feed.items.filter((item) => matchTopics({ title: item.title, text: item.text }, ctx.topics).length > 0).length;
  return {
    text: `"${feed.title}": ${feed.items.length} items, ${matching} of them on a topic I watch. The newest ${newest.length}:`,
    blocks,
  };
}

export const feeds: Command = {
  data,
  defer: true,
  requires: { userPermissions: ['ManageGuild'], subcommands: ['add', 'remove'] },
  execute(input, ctx) {
    switch (input.subcommand) {
      case 'add':
        return add(input, ctx);
      case 'remove':
        return remove(input, ctx);
      case 'list':
        return list(input, ctx);
      default:
        return test(input, ctx);
    }
  },
};
