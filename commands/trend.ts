import { SlashCommandBuilder } from 'discord.js';
import { guildTopicKey, suggestTopics } from '../src/briefing/index.ts';
import type { Command } from '../src/chat/command.ts';
import { integer, topicOption } from '../src/chat/options.ts';
import { clusterStories } from '../src/news/index.ts';
import type { StoredItem } from '../src/store/index.ts';
import { renderTrendChart, type TrendDay } from '../src/trend/chart.ts';

const DAY_MS = 86_400_000;
export const MAX_DAYS = 90;

export const data = new SlashCommandBuilder()
  .setName('trend')
  .setDescription('A chart of items and stories per day for a topic')
  .setDMPermission(true)
  .addStringOption((option) =>
    option.setName('topic').setDescription('The topic, e.g. syria').setRequired(true).setMaxLength(100).setAutocomplete(true),
  )
  .addIntegerOption((option) =>
    option.setName('days').setDescription(`How many days back (1-${MAX_DAYS}, default 14)`).setMinValue(1).setMaxValue(MAX_DAYS),
  );

/** The story an item was filed under at ingest, when the store tracks stories. */
function storyOf(item: StoredItem): string | null {
  const story: unknown = (item as StoredItem & { story?: unknown }).story;
  return typeof story === 'string' && story ? story : null;
}

/** Items and distinct stories per UTC day, oldest day first, over `days` days ending on `now`'s day. */
export function countPerDay(items: ReadonlyArray<StoredItem>, now: Date, days: number, windowHours: number): TrendDay[] {
  const lastDay = Math.floor(now.getTime() / DAY_MS);
  const firstDay = lastDay - days + 1;
  const inWindow = items.filter((item) => {
    const dayNumber = Math.floor(Date.parse(item.published) / DAY_MS);
    return dayNumber >= firstDay && dayNumber <= lastDay;
  });
  // Items grouped at ingest keep their story; the rest are grouped here, the same way.
  const storyByKey = new Map<string, string>();
  const loose: StoredItem[] = [];
  for (const item of inWindow) {
    const story = storyOf(item);
    if (story) storyByKey.set(item.key, story);
    else loose.push(item);
  }
  for (const story of clusterStories(loose.map((item) => ({ ...item, id: item.key })), { windowHours })) {
    for (const id of story.itemIds) storyByKey.set(id, story.id);
  }
  const result: TrendDay[] = [];
  for (let dayNumber = firstDay; dayNumber <= lastDay; dayNumber += 1) {
    const dayItems = inWindow.filter((item) => Math.floor(Date.parse(item.published) / DAY_MS) === dayNumber);
    const stories = new Set(dayItems.map((item) => storyByKey.get(item.key) ?? item.key));
    result.push({ date: new Date(dayNumber * DAY_MS).toISOString().slice(0, 10), items: dayItems.length, stories: stories.size });
  }
  return result;
}

export const trend: Command = {
  data,
  defer: true,
  dm: true,
  async execute(input, ctx) {
    const topic = topicOption(input, ctx);
    const days = integer(input, 'days', { min: 1, max: MAX_DAYS, fallback: 14 });
    await ctx.firstPoll;
    const lists = await Promise.all([
      ctx.store.items.listByTopic(topic.id),
      input.guildId ? ctx.store.items.listByTopic(guildTopicKey(input.guildId, topic.id)) : [],
    ]);
    const unique = new Map(lists.flat().map((item) => [item.key, item]));
    const perDay = countPerDay([...unique.values()], ctx.now(), days, ctx.config.brief.storyWindowHours);
    const items = perDay.reduce((sum, entry) => sum + entry.items, 0);
    const busiest = perDay.reduce<TrendDay | null>((best, entry) => (best === null || entry.items > best.items ? entry : best), null);
    const first = perDay[0]?.date ?? '';
    const last = perDay.at(-1)?.date ?? '';
    const name = `trend-${topic.id}-${last}.png`;
    return {
      text:
        `${topic.name}: ${items} items over ${days} day${days === 1 ? '' : 's'} (${first} to ${last})` +
        (busiest && busiest.items > 0 ? `; the busiest day was ${busiest.date} with ${busiest.items} items in ${busiest.stories} stories.` : '.'),
      blocks: [],
      files: [
        {
          name,
          contentType: 'image/png',
          data: renderTrendChart(perDay, { title: `${topic.name}: items and stories per day` }),
        },
      ],
    };
  },
  autocomplete: (_option, typed, ctx) => suggestTopics(ctx.topics, typed),
};
