import { SlashCommandBuilder } from 'discord.js';
import { suggestTopics, type Brief } from '../src/briefing/index.ts';
import type { Command } from '../src/chat/command.ts';
import { text, topicOption } from '../src/chat/options.ts';
import type { Reply, ReplyBlock, ReplyPage } from '../src/chat/reply.ts';
import { parseSince } from '../src/chat/since.ts';

export type Detail = 'short' | 'full';

/** Stories per page: a full story is long, so fewer of them fit a message. */
const FULL_PER_PAGE = 3;
/** Pages at most, so a brief stays a brief. */
const MAX_PAGES = 5;

export const data = new SlashCommandBuilder()
  .setName('brief')
  .setDescription('What is new about a topic in the watched feeds, against its baseline story')
  .setDMPermission(true)
  .addStringOption((option) =>
    option
      .setName('topic')
      .setDescription('The topic, e.g. syria or islamic-state')
      .setRequired(true)
      .setMaxLength(100)
      .setAutocomplete(true),
  )
  .addStringOption((option) =>
    option
      .setName('since')
      .setDescription('Only items since then: 6h, 3d, 2w, yesterday or a date like 2015-11-20')
      .setMaxLength(40),
  )
  .addStringOption((option) =>
    option
      .setName('detail')
      .setDescription('short (default): the key facts; full: every fact, more stories, paged')
      .addChoices({ name: 'short', value: 'short' }, { name: 'full', value: 'full' }),
  );

export const brief: Command = {
  data,
  defer: true,
  dm: true,
  async execute(input, ctx) {
    const topic = topicOption(input, ctx);
    const sinceText = text(input, 'since');
    const since = sinceText === null ? null : parseSince(sinceText, ctx.now());
    const detail: Detail = text(input, 'detail') === 'full' ? 'full' : 'short';
    const perPage = detail === 'full' ? FULL_PER_PAGE : ctx.config.brief.maxStories;
    await ctx.firstPoll;
    const result = await ctx.briefs.brief(topic, { guildId: input.guildId, since, maxStories: perPage * MAX_PAGES });
    return formatBrief(result, { detail, perPage });
  },
  autocomplete: (_option, typed, ctx) => suggestTopics(ctx.topics, typed),
};

/** "3000000" reads better as "3,000,000"; ranges and words pass through. */
function figure(value: string): string {
  return /^\d{4,}(\.\d+)?$/.test(value) ? Number(value).toLocaleString('en-US') : value;
}

function day(iso: string | null): string {
  return iso ? iso.slice(0, 10) : 'undated';
}

function storyBlock(story: Brief['stories'][number], detail: Detail): ReplyBlock {
  const fields: ReplyBlock['fields'] = [];
  const { delta } = story;
  const full = detail === 'full';
  if (delta.entities.new.length > 0) {
    fields.push({ label: 'New people and places', text: delta.entities.new.slice(0, full ? 30 : 8).join(', ') });
  }
  if (delta.figures.changed.length > 0) {
    fields.push({
      label: 'Figures changed',
      text: delta.figures.changed
        .slice(0, full ? 12 : 4)
        .map((change) => `${change.what}: ${figure(change.from)} -> ${figure(change.to)}`)
        .join('; '),
    });
  }
  if (delta.figures.new.length > 0) {
    fields.push({
      label: 'New figures',
      text: delta.figures.new
        .slice(0, full ? 10 : 3)
        .map((entry) => `${entry.what}: ${figure(entry.value)}`)
        .join('; '),
    });
  }
  // A headline-only item has nothing to add beyond its title, which is shown already.
  const sentences = delta.sentences.filter((sentence) => sentence.trim() !== story.headline.trim());
  if (sentences.length > 0) fields.push({ label: 'What it adds', text: (full ? sentences : sentences.slice(0, 1)).join(' ') });
  if (fields.length === 0) fields.push({ label: 'What it adds', text: 'Nothing beyond the baseline yet.' });
  if (full) {
    const span = day(story.firstSeen) === day(story.lastSeen) ? day(story.firstSeen) : `${day(story.firstSeen)} to ${day(story.lastSeen)}`;
    fields.push({ label: 'Reported', text: `${story.itemCount} ${story.itemCount === 1 ? 'item' : 'items'}, ${span}` });
  }
  return {
    title: story.headline,
    url: story.link,
    time: story.lastSeen,
    fields,
    links: story.sources.map((source) => ({ label: source.name, url: source.link })),
  };
}

/** A brief as a reply: one page of stories at a time, `perPage` stories each. */
export function formatBrief(result: Brief, options: { detail?: Detail; perPage?: number } = {}): Reply {
  const detail = options.detail ?? 'short';
  const perPage = Math.max(1, options.perPage ?? result.stories.length);
  const against = `the baseline "${result.baseline.title}" (${result.baseline.source}, ${day(result.baseline.published)})`;
  if (result.stories.length === 0) {
    return {
      text:
        `${result.topic.name}: nothing new in the watched feeds against ${against}` +
        ` (${result.itemCount} items between ${day(result.from)} and ${day(result.to)}).`,
      blocks: [],
    };
  }
  const count = result.stories.length + result.more;
  const text = `${result.topic.name}: ${count} ${count === 1 ? 'story' : 'stories'} new against ${against}.`;
  const span = `${result.itemCount} items from ${day(result.from)} to ${day(result.to)}`;
  const pages: ReplyPage[] = [];
  for (let start = 0; start < result.stories.length; start += perPage) pages.push({ text, blocks: [] });
  pages.forEach((page, index) => {
    page.blocks = result.stories.slice(index * perPage, (index + 1) * perPage).map((story) => storyBlock(story, detail));
    const notShown = index === pages.length - 1 && result.more > 0 ? ` · ${result.more} more stories not shown` : '';
    page.footer = `${span}${pages.length > 1 ? ` · page ${index + 1} of ${pages.length}` : ''}${notShown}`;
  });
  const [first] = pages;
  return { text, blocks: first?.blocks ?? [], footer: first?.footer ?? span, ...(pages.length > 1 ? { pages } : {}) };
}
