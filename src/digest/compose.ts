import { createHash } from 'node:crypto';
import { composeBrief, type Brief, type BriefStory } from '../briefing/index.ts';
import type { Reply, ReplyBlock } from '../chat/reply.ts';
import { clip } from '../chat/sanitize.ts';
import type { Baseline, Item, TopicDef } from '../news/types.ts';

/** An item as the digest sees it: its store key and when this bot first saw it. */
export type DigestItem = Item & { key: string; firstSeen: string };

export interface DigestTopicInput {
  topic: TopicDef;
  baseline: Baseline;
  /** Candidate items of the topic (any order); only those first seen inside the window count. */
  items: ReadonlyArray<DigestItem>;
  /** Items first seen after this instant (exclusive) count; null = since the beginning. */
  from: Date | null;
  /** Items already in an earlier digest of the channel (the look-back for late writes). */
  exclude?: ReadonlySet<string>;
}

export interface DigestOptions {
  /** Items first seen up to this instant (inclusive) count. */
  cutoff: Date;
  maxStories: number;
  storyWindowHours: number;
}

const MAX_STORIES_PER_TOPIC = 3;

export interface DigestTopic {
  topic: TopicDef;
  brief: Brief;
  /** Keys of every item of the window: the shown stories and the ones counted in "more". */
  covered: string[];
}

export interface ComposedDigest {
  topics: DigestTopic[];
  /** Topics with nothing new are left out of `topics`. */
  quiet: TopicDef[];
  itemCount: number;
  storyCount: number;
}

/**
 * What changed per topic since the last digest: the items first seen in (from, cutoff], grouped
 * into stories and ranked by composeBrief (sources, recency, size of the delta). The window is by
 * arrival, not by publication date, so an item published at 07:59 and fetched at 08:05 is in the
 * next digest instead of in none. Pure.
 */
export function composeDigest(inputs: ReadonlyArray<DigestTopicInput>, options: DigestOptions): ComposedDigest {
  const cutoff = options.cutoff.getTime();
  const topics: DigestTopic[] = [];
  const quiet: TopicDef[] = [];
  for (const input of inputs) {
    const from = input.from ? input.from.getTime() : Number.NEGATIVE_INFINITY;
    const fresh = input.items.filter((item) => {
      const seen = Date.parse(item.firstSeen);
      return seen > from && seen <= cutoff && !input.exclude?.has(item.key);
    });
    if (fresh.length === 0) {
      quiet.push(input.topic);
      continue;
    }
    // composeBrief keeps items published in [since, now]: open it to every publication date, since
    // the arrival window above already chose the items (a feed's clock may run ahead of ours).
    // Recency is ranked within the window, so it starts at the oldest publication date in it.
    const usable = fresh.filter((item) => !Number.isNaN(Date.parse(item.published)));
    const times = usable.map((item) => Date.parse(item.published));
    const brief = composeBrief(usable, input.topic, input.baseline, {
      now: new Date(Math.max(cutoff, ...times)),
      lookbackDays: 1,
      // At most three stories a topic, so that every topic's embed fits in one message.
      maxStories: Math.min(options.maxStories, MAX_STORIES_PER_TOPIC),
      storyWindowHours: options.storyWindowHours,
      since: new Date(Math.min(cutoff, ...times)),
    });
    topics.push({ topic: input.topic, brief, covered: fresh.map((item) => item.key) });
  }
  return {
    topics,
    quiet,
    itemCount: topics.reduce((sum, entry) => sum + entry.covered.length, 0),
    storyCount: topics.reduce((sum, entry) => sum + entry.brief.stories.length + entry.brief.more, 0),
  };
}

/** The idempotency key of a digest: one per channel, schedule and period. */
export function digestKey(channelId: string, scheduleId: string, period: Date | string): string {
  const iso = typeof period === 'string' ? period : period.toISOString();
  return `${channelId}:${scheduleId}:${iso}`;
}

/** The key's short form, shown in the footer ("ref 1a2b3c4d5e6f") and searched for after a crash. */
export function digestRef(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

/** The text a channel check looks for in the footer (embeds) or content (a digest without embeds). */
export function refMarker(ref: string): string {
  return `ref ${ref}`;
}

/** "2026-03-29 08:00 Europe/London": the period in the schedule's own zone. */
export function localStamp(instant: Date, timezone: string): string {
  const parts: Record<string, string> = {};
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  for (const part of format.formatToParts(instant)) parts[part.type] = part.value;
  return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']} ${timezone}`;
}

function figure(value: string): string {
  return /^\d{4,}(\.\d+)?$/.test(value) ? Number(value).toLocaleString('en-US') : value;
}

/** One line of what a story adds to the baseline: changed figures first, they are the news. */
function storyText(story: BriefStory, max: number): string {
  const parts: string[] = [];
  const { delta } = story;
  if (delta.figures.changed.length > 0) {
    parts.push(delta.figures.changed.slice(0, 3).map((change) => `${change.what}: ${figure(change.from)} -> ${figure(change.to)}`).join('; '));
  }
  if (delta.figures.new.length > 0) {
    parts.push(delta.figures.new.slice(0, 2).map((entry) => `${entry.what}: ${figure(entry.value)}`).join('; '));
  }
  if (delta.entities.new.length > 0) parts.push(`New: ${delta.entities.new.slice(0, 5).join(', ')}`);
  const sentence = delta.sentences.find((text) => text.trim() !== story.headline.trim());
  // Short: a Discord message holds 6,000 characters of embeds, and every topic should fit.
  if (sentence) parts.push(clip(sentence, 160));
  if (parts.length === 0) parts.push('Nothing beyond the baseline yet.');
  const outlets = story.sources.length;
  parts.push(`${outlets} ${outlets === 1 ? 'source' : 'sources'}, ${story.itemCount} ${story.itemCount === 1 ? 'item' : 'items'}`);
  return clip(parts.join(' · '), max);
}

/**
 * How much of each topic fits: a Discord message holds 6,000 characters of embeds, and every
 * topic with news gets its embed, so the more topics, the fewer stories each shows and the
 * shorter their lines (a story's label and first link take about 260 characters).
 */
function room(topics: number): { shown: number; textMax: number } {
  const shown = topics <= 2 ? 3 : topics <= 4 ? 2 : 1;
  const perTopic = Math.floor(5_400 / Math.min(Math.max(topics, 1), 10));
  return { shown, textMax: Math.max(120, Math.min(600, Math.floor((perTopic - 120) / shown) - 260)) };
}

function topicBlock(entry: DigestTopic, fit: { shown: number; textMax: number }): ReplyBlock {
  const { brief } = entry;
  const total = brief.stories.length + brief.more;
  const stories = brief.stories.slice(0, fit.shown);
  const more = total - stories.length;
  // "1 ·", not "1.": a number and a dot at the start of a line would read as a markdown list.
  const fields: ReplyBlock['fields'] = stories.map((story, index) => ({
    label: `${index + 1} · ${story.headline}`,
    text: storyText(story, fit.textMax),
  }));
  if (more > 0) {
    fields.push({ label: 'And', text: `${more} more ${more === 1 ? 'story' : 'stories'} (${brief.itemCount} items in all)` });
  }
  // Each story's first outlet, numbered like its field; the field says how many outlets it has.
  const links = stories.flatMap((story, index) =>
    story.sources.slice(0, 1).map((source) => ({ label: `${index + 1} · ${source.name}`, url: source.link })),
  );
  const latest = stories.map((story) => story.lastSeen).sort().at(-1) ?? null;
  return {
    title: `${entry.topic.name}: ${total} ${total === 1 ? 'story' : 'stories'}`,
    url: null,
    time: latest,
    fields,
    links,
  };
}

export interface DigestHeader {
  /** What the admin typed ("daily 08:00"), or the cron. */
  phrase: string;
  period: Date;
  timezone: string;
  /** Start of the window (the previous digest's cutoff); null for a channel's first digest. */
  since: Date | null;
  ref: string;
}

/**
 * The digest as a transport-neutral reply: one block (embed) per topic with news, the lead line
 * saying what it covers, and the footer carrying the idempotency ref.
 */
export function digestReply(digest: ComposedDigest, header: DigestHeader): Reply {
  const since = header.since ? ` since ${localStamp(header.since, header.timezone)}` : '';
  const footer = `${refMarker(header.ref)} · ${header.phrase} · ${localStamp(header.period, header.timezone)}`;
  if (digest.topics.length === 0) {
    return { text: `Digest: nothing new${since}.`, blocks: [], footer };
  }
  const quiet = digest.quiet.length > 0 ? ` Nothing new on ${digest.quiet.map((topic) => topic.name).join(', ')}.` : '';
  const stories = digest.storyCount;
  return {
    text: `Digest: ${stories} ${stories === 1 ? 'story' : 'stories'} in ${digest.topics.length} ${digest.topics.length === 1 ? 'topic' : 'topics'}${since}.${quiet}`,
    blocks: digest.topics.map((entry) => topicBlock(entry, room(digest.topics.length))),
    footer,
  };
}
