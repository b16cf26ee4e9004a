import { PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { suggestTopics } from '../src/briefing/index.ts';
import type { Command, CommandContext, CommandInput } from '../src/chat/command.ts';
import { UserInputError } from '../src/chat/errors.ts';
import { guildOf, requiredText, text, topicOption } from '../src/chat/options.ts';
import { textReply, type Reply, type ReplyBlock } from '../src/chat/reply.ts';
import { matchTopics } from '../src/news/index.ts';
import type { TopicDef } from '../src/news/types.ts';

/** Keywords a server may add per topic: each one is matched against every polled item. */
export const MAX_KEYWORDS_PER_TOPIC = 25;
const KEYWORD_MAX = 60;
export const EXPLAIN_MAX = 4_000;

export const data = new SlashCommandBuilder()
  .setName('watch')
  .setDescription("This server's extra keywords per topic: add, remove, list, or explain what a text matches")
  .setDMPermission(false)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .addSubcommand((sub) =>
    sub
      .setName('add')
      .setDescription('Watch one more keyword for a topic in this server (Manage Server)')
      .addStringOption((option) =>
        option.setName('topic').setDescription('The topic, e.g. syria').setRequired(true).setMaxLength(100).setAutocomplete(true),
      )
      .addStringOption((option) =>
        option.setName('keyword').setDescription('A word or phrase, e.g. Aleppo').setRequired(true).setMaxLength(KEYWORD_MAX),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName('remove')
      .setDescription('Stop watching a keyword this server added (Manage Server)')
      .addStringOption((option) =>
        option.setName('topic').setDescription('The topic, e.g. syria').setRequired(true).setMaxLength(100).setAutocomplete(true),
      )
      .addStringOption((option) =>
        option.setName('keyword').setDescription('The keyword to drop').setRequired(true).setMaxLength(KEYWORD_MAX),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName('list')
      .setDescription("Every topic's keywords: the config's and this server's own")
      .addStringOption((option) =>
        option.setName('topic').setDescription('Only this topic').setMaxLength(100).setAutocomplete(true),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName('explain')
      .setDescription('Which topics a text would match, and by which words')
      .addStringOption((option) =>
        option.setName('text').setDescription('A headline or sentence').setRequired(true).setMaxLength(EXPLAIN_MAX),
      ),
  );

function fold(word: string): string {
  return word.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** A keyword as stored: one line, single spaces, with a letter or digit, and not just punctuation. */
function cleanKeyword(input: CommandInput): string {
  const keyword = requiredText(input, 'keyword', { max: KEYWORD_MAX, min: 2, example: 'Aleppo' }).replace(/\s+/g, ' ');
  if (!/[\p{L}\p{N}]/u.test(keyword)) {
    throw new UserInputError('watch.keyword', `"${keyword.slice(0, 40)}" has no letters or digits; e.g. keyword:Aleppo`);
  }
  return keyword;
}

async function add(input: CommandInput, ctx: CommandContext): Promise<Reply> {
  const guildId = guildOf(input);
  const topic = topicOption(input, ctx);
  const keyword = cleanKeyword(input);
  if ([...topic.keywords, ...topic.aliases].some((word) => fold(word) === fold(keyword))) {
    throw new UserInputError('watch.keyword', `"${keyword}" is already one of ${topic.id}'s own keywords; try a more specific one, e.g. keyword:Aleppo`);
  }
  let added = false;
  await ctx.store.guilds.update(
    guildId,
    (current) => {
      const words = current.keywords[topic.id] ?? [];
      if (words.some((word) => fold(word) === fold(keyword))) return current;
      if (words.length >= MAX_KEYWORDS_PER_TOPIC) {
        throw new UserInputError('watch.limit', `${topic.id} has ${words.length}; remove one first with /watch remove.`);
      }
      added = true;
      return { ...current, keywords: { ...current.keywords, [topic.id]: [...words, keyword] } };
    },
    ctx.now(),
  );
  return textReply(
    added
      ? `Watching "${keyword}" for ${topic.name} in this server. Items with it count for ${topic.id} from the next poll on.`
      : `This server already watches "${keyword}" for ${topic.name}.`,
  );
}

async function remove(input: CommandInput, ctx: CommandContext): Promise<Reply> {
  const guildId = guildOf(input);
  const topic = topicOption(input, ctx);
  const keyword = cleanKeyword(input);
  const before = (await ctx.store.guilds.get(guildId)).keywords[topic.id] ?? [];
  if (!before.some((word) => fold(word) === fold(keyword))) {
    const own = before.length > 0 ? `its keywords for ${topic.id}: ${before.join(', ')}` : `it has no keywords of its own for ${topic.id}`;
    throw new UserInputError('watch.missing', `"${keyword}" is not one of them; ${own}.`);
  }
  await ctx.store.guilds.update(
    guildId,
    (current) => {
      const words = (current.keywords[topic.id] ?? []).filter((word) => fold(word) !== fold(keyword));
      const keywords = { ...current.keywords };
      if (words.length > 0) keywords[topic.id] = words;
      else delete keywords[topic.id];
      return { ...current, keywords };
    },
    ctx.now(),
  );
  return textReply(`Stopped watching "${keyword}" for ${topic.name} in this server.`);
}

async function list(input: CommandInput, ctx: CommandContext): Promise<Reply> {
  const guildId = guildOf(input);
  const only = text(input, 'topic') === null ? null : topicOption(input, ctx);
  const settings = await ctx.store.guilds.get(guildId);
  const topics = only ? [only] : ctx.topics;
  const blocks: ReplyBlock[] = topics.map((topic) => {
    const own = settings.keywords[topic.id] ?? [];
    return {
      title: `${topic.name} (${topic.id})`,
      fields: [
        { label: 'Keywords', text: [...topic.keywords, ...topic.aliases].join(', ') || '-' },
        { label: "This server's own", text: own.length > 0 ? own.join(', ') : 'none yet (add with /watch add)' },
      ],
      links: [],
    };
  });
  const own = Object.values(settings.keywords).reduce((sum, words) => sum + words.length, 0);
  return {
    text: `${topics.length === 1 ? 'Keywords' : 'Watched topics'}: this server adds ${own} keyword${own === 1 ? '' : 's'} of its own.`,
    blocks,
  };
}

/** The config's topics, and for each topic the server's own keywords as a topic of their own. */
function explainTopics(ctx: CommandContext, keywords: Record<string, string[]>): TopicDef[] {
  const defs: TopicDef[] = [...ctx.topics];
  for (const topic of ctx.topics) {
    const own = keywords[topic.id] ?? [];
    if (own.length > 0) defs.push({ ...topic, id: `${topic.id}\u0000own`, keywords: own, aliases: [] });
  }
  return defs;
}

async function explain(input: CommandInput, ctx: CommandContext): Promise<Reply> {
  const guildId = guildOf(input);
  const sample = requiredText(input, 'text', { max: EXPLAIN_MAX, example: '"Russian jets strike Aleppo"' });
  const settings = await ctx.store.guilds.get(guildId);
  const matches = matchTopics({ title: '', text: sample }, explainTopics(ctx, settings.keywords));
  const byTopic = new Map<string, { config: string[]; own: string[] }>();
  for (const match of matches) {
    const [id = '', own] = match.topic.split('\u0000');
    const entry = byTopic.get(id) ?? { config: [], own: [] };
    if (own) entry.own.push(...match.matched);
    else entry.config.push(...match.matched);
    byTopic.set(id, entry);
  }
  if (byTopic.size === 0) {
    return textReply(`That text matches no topic. Topics: ${ctx.topics.map((topic) => topic.id).join(', ')}.`);
  }
  const blocks: ReplyBlock[] = [...byTopic].map(([id, words]) => {
    const topic = ctx.topics.find((candidate) => candidate.id === id);
    const fields: ReplyBlock['fields'] = [];
    if (words.config.length > 0) fields.push({ label: 'By its keywords', text: words.config.join(', ') });
    if (words.own.length > 0) fields.push({ label: "By this server's keywords", text: words.own.join(', ') });
    return { title: topic ? `${topic.name} (${topic.id})` : id, fields, links: [] };
  });
  return { text: `That text matches ${byTopic.size} topic${byTopic.size === 1 ? '' : 's'}:`, blocks };
}

export const watch: Command = {
  data,
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
        return explain(input, ctx);
    }
  },
  autocomplete: (_option, typed, ctx) => suggestTopics(ctx.topics, typed),
};
