import { convert } from 'html-to-text';
import { PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { suggestTopics } from '../src/briefing/index.ts';
import type { Command, CommandContext, CommandInput } from '../src/chat/command.ts';
import { UserInputError } from '../src/chat/errors.ts';
import { checkLength, day, guildOf, text, topicOption } from '../src/chat/options.ts';
import { textReply, type Reply } from '../src/chat/reply.ts';
import { isSitrepError } from '../src/errors.ts';
import { fetchFeed, parseFeedUrl } from '../src/feeds/index.ts';
import { analyzeText, cleanBaselineText } from '../src/news/index.ts';
import type { GuildBaseline } from '../src/store/index.ts';

/** Discord's longest string option; a pasted story longer than this arrives as a URL instead. */
export const PASTE_MAX = 6_000;
const PASTE_MIN = 200;
/** What is kept of a fetched article: enough for every fact of a long story. */
const ARTICLE_MAX = 30_000;
const URL_EXAMPLE = 'https://www.example.com/news/2015/11/16/story.html';

const topicOptionOf = (required: boolean) => (option: import('discord.js').SlashCommandStringOption) =>
  option.setName('topic').setDescription('The topic, e.g. syria').setRequired(required).setMaxLength(100).setAutocomplete(true);

export const data = new SlashCommandBuilder()
  .setName('baseline')
  .setDescription('The story a topic is compared with: show it, set this server\'s own, or reset to the default')
  .setDMPermission(false)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .addSubcommand((sub) =>
    sub.setName('show').setDescription("A topic's baseline: headline, date and key facts").addStringOption(topicOptionOf(true)),
  )
  .addSubcommand((sub) =>
    sub
      .setName('set')
      .setDescription("Compare a topic with another story in this server: an article URL or pasted text (Manage Server)")
      .addStringOption(topicOptionOf(true))
      .addStringOption((option) => option.setName('url').setDescription(`An article address, e.g. ${URL_EXAMPLE}`).setMaxLength(500))
      .addStringOption((option) =>
        option.setName('text').setDescription('The story pasted: headline on the first line').setMaxLength(PASTE_MAX),
      )
      .addStringOption((option) => option.setName('title').setDescription('Its headline (default: the first line or the page title)').setMaxLength(300))
      .addStringOption((option) => option.setName('published').setDescription('Its date, e.g. 2015-11-16').setMaxLength(30))
      .addStringOption((option) => option.setName('source').setDescription('The outlet, e.g. Reuters').setMaxLength(100)),
  )
  .addSubcommand((sub) =>
    sub.setName('reset').setDescription("Go back to the configured baseline for a topic (Manage Server)").addStringOption(topicOptionOf(true)),
  );

function attribute(html: string, pattern: RegExp): string | null {
  const match = pattern.exec(html);
  return match?.[1] ? convert(match[1], { wordwrap: false }).trim() || null : null;
}

/** Headline, date and text of an article page, simply: meta tags first, then the page's text. */
export function readArticle(html: string): { title: string | null; published: string | null; text: string } {
  const title =
    attribute(html, /<meta[^>]+property=["']og:title["'][^>]*content=["']([^"']+)["']/i) ??
    attribute(html, /<title[^>]*>([\s\S]*?)<\/title>/i);
  const date =
    attribute(html, /<meta[^>]+property=["']article:published_time["'][^>]*content=["']([^"']+)["']/i) ??
    attribute(html, /<time[^>]+datetime=["']([^"']+)["']/i);
  const published = date && !Number.isNaN(Date.parse(date)) ? new Date(date).toISOString() : null;
  const body = /<article[\s>][\s\S]*?<\/article>/i.exec(html)?.[0] ?? html;
  const text = convert(body, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'nav', format: 'skip' },
      { selector: 'header', format: 'skip' },
      { selector: 'footer', format: 'skip' },
      { selector: 'script', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
    ],
  });
  return { title, published, text: text.slice(0, ARTICLE_MAX) };
}

function publishedOption(input: CommandInput, fallback: string | null): string | null {
  const typed = text(input, 'published');
  if (typed === null) return fallback;
  const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(typed) ? `${typed}T00:00:00Z` : typed);
  if (Number.isNaN(time)) throw new UserInputError('command.option-invalid', `published "${typed.slice(0, 30)}" is not a date; e.g. published:2015-11-16`);
  return new Date(time).toISOString();
}

async function fromUrl(input: CommandInput, ctx: CommandContext, raw: string): Promise<Omit<GuildBaseline, 'setBy' | 'setAt'>> {
  let fetched;
  try {
    const url = parseFeedUrl(raw);
    fetched = await fetchFeed(url.href, {
      timeoutMs: ctx.config.poll.timeoutSeconds * 1_000,
      maxBytes: ctx.config.poll.maxBytes,
      allowPrivate: ctx.config.poll.allowPrivateAddresses,
      userAgent: ctx.config.poll.userAgent,
    });
  } catch (error) {
    if (isSitrepError(error)) throw new UserInputError(error.code, `${error.message.replace(/^feeds: /, '')}; e.g. url:${URL_EXAMPLE}`);
    throw error;
  }
  if (fetched.status !== 'ok') throw new UserInputError('baseline.fetch', `${raw} answered "not modified"; e.g. url:${URL_EXAMPLE}`);
  const article = readArticle(new TextDecoder().decode(fetched.body));
  const cleaned = cleanBaselineText(article.text);
  if (cleaned.text.length < PASTE_MIN) {
    throw new UserInputError('baseline.fetch', `the page at ${fetched.finalUrl} has only ${cleaned.text.length} characters of text; paste the story with text: instead.`);
  }
  return {
    title: (text(input, 'title') ?? article.title ?? cleaned.title) || fetched.finalUrl,
    text: cleaned.text,
    source: text(input, 'source') ?? new URL(fetched.finalUrl).hostname,
    published: publishedOption(input, article.published),
    url: fetched.finalUrl,
  };
}

function fromText(input: CommandInput, ctx: CommandContext, pasted: string): Omit<GuildBaseline, 'setBy' | 'setAt'> {
  checkLength(input, 'text', pasted, { max: PASTE_MAX, min: PASTE_MIN, example: '"Headline on the first line, then the story"' });
  const typedTitle = text(input, 'title');
  // With a title given, the whole paste is story; without, its first line is the headline.
  const cleaned = cleanBaselineText(typedTitle ? `${typedTitle}\n${pasted}` : pasted);
  const headline = typedTitle ?? cleaned.title;
  return {
    title: headline.length <= 300 ? headline : `${headline.slice(0, 299)}…`,
    text: cleaned.text || pasted,
    source: text(input, 'source') ?? 'pasted',
    published: publishedOption(input, ctx.now().toISOString()),
    url: null,
  };
}

async function set(input: CommandInput, ctx: CommandContext): Promise<Reply> {
  const guildId = guildOf(input);
  const topic = topicOption(input, ctx);
  const url = text(input, 'url');
  const pasted = text(input, 'text');
  if ((url === null) === (pasted === null)) {
    throw new UserInputError('baseline.source', `e.g. /baseline set topic:${topic.id} url:${URL_EXAMPLE}`);
  }
  const story = url !== null ? await fromUrl(input, ctx, url) : fromText(input, ctx, pasted ?? '');
  const baseline: GuildBaseline = { ...story, setBy: input.userId, setAt: ctx.now().toISOString() };
  await ctx.store.guilds.update(guildId, (current) => ({ ...current, baselines: { ...current.baselines, [topic.id]: baseline } }), ctx.now());
  const facts = analyzeText(baseline.text);
  return textReply(
    `${topic.name} is now compared with "${baseline.title}" (${baseline.source}, ${day(baseline.published) || 'undated'}) in this server: ` +
      `${facts.entities.length} people, places and groups and ${facts.figures.length} figures. Its briefs show what is new against it; /baseline reset goes back.`,
  );
}

async function show(input: CommandInput, ctx: CommandContext): Promise<Reply> {
  const guildId = guildOf(input);
  const topic = topicOption(input, ctx);
  const baseline = await ctx.briefs.baselineFor(topic.id, guildId);
  if (!baseline) throw new UserInputError('baseline.unreadable', '');
  const own = (await ctx.store.guilds.get(guildId)).baselines[topic.id];
  const facts = analyzeText(baseline.text);
  const people = facts.entities.filter((entity) => entity.kind === 'person').map((entity) => entity.name);
  const places = facts.entities.filter((entity) => entity.kind === 'place').map((entity) => entity.name);
  const groups = facts.entities.filter((entity) => entity.kind !== 'person' && entity.kind !== 'place').map((entity) => entity.name);
  const fields = [
    { label: 'Source', text: `${baseline.source}, ${day(baseline.published) || 'undated'}` },
    { label: 'Set by', text: own ? `this server (${day(own.setAt)})` : 'the bot configuration' },
  ];
  if (people.length > 0) fields.push({ label: 'People', text: people.slice(0, 15).join(', ') });
  if (places.length > 0) fields.push({ label: 'Places', text: places.slice(0, 15).join(', ') });
  if (groups.length > 0) fields.push({ label: 'Groups and others', text: groups.slice(0, 15).join(', ') });
  if (facts.figures.length > 0) {
    fields.push({ label: 'Figures', text: facts.figures.slice(0, 10).map((figure) => `${figure.what}: ${figure.value}`).join('; ') });
  }
  return {
    text: `${topic.name} is compared with this baseline:`,
    blocks: [{ title: baseline.title, url: baseline.link ?? null, time: baseline.published, fields, links: [] }],
  };
}

async function reset(input: CommandInput, ctx: CommandContext): Promise<Reply> {
  const guildId = guildOf(input);
  const topic = topicOption(input, ctx);
  let had = false;
  await ctx.store.guilds.update(
    guildId,
    (current) => {
      had = topic.id in current.baselines;
      const baselines = { ...current.baselines };
      delete baselines[topic.id];
      return { ...current, baselines };
    },
    ctx.now(),
  );
  const original = ctx.baselines.get(topic.id);
  return textReply(
    `${had ? 'Reset' : 'Nothing to reset:'} ${topic.name} is compared with the configured baseline${original ? ` "${original.title}"` : ''} in this server.`,
  );
}

export const baseline: Command = {
  data,
  defer: true,
  requires: { userPermissions: ['ManageGuild'], subcommands: ['set', 'reset'] },
  execute(input, ctx) {
    switch (input.subcommand) {
      case 'set':
        return set(input, ctx);
      case 'reset':
        return reset(input, ctx);
      default:
        return show(input, ctx);
    }
  },
  autocomplete: (_option, typed, ctx) => suggestTopics(ctx.topics, typed),
};
