import { SlashCommandBuilder } from 'discord.js';
import { findTopic, suggestTopics, type Brief } from '../src/briefing/index.ts';
import type { Command } from '../src/chat/command.ts';
import { UserInputError } from '../src/chat/errors.ts';
import type { Reply, ReplyBlock } from '../src/chat/reply.ts';

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
  );

export const brief: Command = {
  data,
  defer: true,
  dm: true,
  async execute(input, ctx) {
    const typed = String(input.options['topic'] ?? '');
    const topic = findTopic(ctx.topics, typed);
    if (!topic) {
      const known = ctx.topics.map((candidate) => candidate.id).join(', ');
      throw new UserInputError('topic.unknown', `"${typed.slice(0, 100)}" is not a topic. Topics: ${known}.`);
    }
    await ctx.firstPoll;
    return formatBrief(await ctx.briefs.brief(topic, { guildId: input.guildId }));
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

function storyBlock(story: Brief['stories'][number]): ReplyBlock {
  const fields: ReplyBlock['fields'] = [];
  const { delta } = story;
  if (delta.entities.new.length > 0) {
    fields.push({ label: 'New people and places', text: delta.entities.new.slice(0, 8).join(', ') });
  }
  if (delta.figures.changed.length > 0) {
    fields.push({
      label: 'Figures changed',
      text: delta.figures.changed
        .slice(0, 4)
        .map((change) => `${change.what}: ${figure(change.from)} -> ${figure(change.to)}`)
        .join('; '),
    });
  }
  if (delta.figures.new.length > 0) {
    fields.push({
      label: 'New figures',
      text: delta.figures.new
        .slice(0, 3)
        .map((entry) => `${entry.what}: ${figure(entry.value)}`)
        .join('; '),
    });
  }
  // A headline-only item has nothing to add beyond its title, which is shown already.
  const sentence = delta.sentences.find((text) => text.trim() !== story.headline.trim());
  if (sentence) fields.push({ label: 'What it adds', text: sentence });
  if (fields.length === 0) fields.push({ label: 'What it adds', text: 'Nothing beyond the baseline yet.' });
  return {
    title: story.headline,
    url: story.link,
    time: story.lastSeen,
    fields,
    links: story.sources.map((source) => ({ label: source.name, url: source.link })),
  };
}

export function formatBrief(result: Brief): Reply {
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
  return {
    text: `${result.topic.name}: ${count} ${count === 1 ? 'story' : 'stories'} new against ${against}.`,
    blocks: result.stories.map(storyBlock),
    footer:
      `${result.itemCount} items from ${day(result.from)} to ${day(result.to)}` +
      (result.more > 0 ? ` · ${result.more} more stories not shown` : ''),
  };
}
