import { clusterStories, diffAgainstBaseline } from '../news/index.ts';
import type { Baseline, Delta, Doc, Item, TopicDef } from '../news/types.ts';

export interface BriefOptions {
  now: Date;
  /** Items older than this many days before `now` are not new any more. */
  lookbackDays: number;
  maxStories: number;
  /** Items of one story fall within this many hours of each other. */
  storyWindowHours: number;
  /** When given, the window starts here instead of at the baseline date / lookback. */
  since?: Date | null;
}

export interface BriefStory {
  id: string;
  headline: string;
  link: string | null;
  firstSeen: string;
  lastSeen: string;
  /** One entry per outlet, with the link of its first item. */
  sources: Array<{ name: string; link: string | null }>;
  itemCount: number;
  delta: Delta;
  score: number;
}

export interface Brief {
  topic: TopicDef;
  baseline: Baseline;
  /** The items considered: published in [from, to]. */
  from: string;
  to: string;
  itemCount: number;
  stories: BriefStory[];
  /** Stories found but not shown. */
  more: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function hostOf(url: string): string {
  try {
    return new URL(url).hostname || url;
  } catch {
    return url;
  }
}

/**
 * The new start of the window is the later of the baseline's date and the lookback: what the
 * baseline already knew cannot be news, and neither can last month's items.
 */
export function briefWindow(baseline: Baseline, now: Date, lookbackDays: number): { from: Date; to: Date } {
  const lookback = now.getTime() - lookbackDays * DAY_MS;
  const baselineTime = baseline.published ? Date.parse(baseline.published) : Number.NaN;
  // A baseline published on a day counts from that day's start: same-day follow-ups are news.
  const baselineDay = Number.isNaN(baselineTime) ? lookback : baselineTime - (baselineTime % DAY_MS);
  return { from: new Date(Math.max(lookback, baselineDay)), to: now };
}

function rank(story: Omit<BriefStory, 'score'>, from: number, to: number): number {
  const span = Math.max(1, to - from);
  const recency = Math.max(0, Math.min(1, (Date.parse(story.lastSeen) - from) / span));
  return (
    story.sources.length * 3 +
    Math.min(story.itemCount, 10) +
    story.delta.figures.changed.length * 3 +
    Math.min(story.delta.figures.new.length, 3) +
    Math.min(story.delta.entities.new.length, 6) * 0.5 +
    recency * 2
  );
}

interface Group {
  id: string;
  headline: string | null;
  members: Array<Doc & { item: Item }>;
}

/**
 * Items already grouped at ingest (they carry `story`) are taken as grouped; the rest (older
 * stores, the CLI, tests) are clustered here.
 */
function groupIntoStories(
  docs: ReadonlyArray<Doc & { item: Item & { story?: string } }>,
  windowHours: number,
): Group[] {
  const groups = new Map<string, Group>();
  const loose: Array<Doc & { item: Item }> = [];
  for (const doc of docs) {
    const story = doc.item.story;
    if (!story) {
      loose.push(doc);
      continue;
    }
    const group = groups.get(story) ?? { id: story, headline: null, members: [] };
    group.members.push(doc);
    groups.set(story, group);
  }
  if (loose.length > 0) {
    const byId = new Map(loose.map((doc) => [doc.id, doc]));
    for (const story of clusterStories(loose, { windowHours })) {
      const members = story.itemIds.map((id) => byId.get(id)).filter((doc): doc is Doc & { item: Item } => !!doc);
      groups.set(story.id, { id: story.id, headline: story.headline, members });
    }
  }
  for (const group of groups.values()) {
    group.members.sort((a, b) => a.item.published.localeCompare(b.item.published));
  }
  return [...groups.values()];
}

/** Items of a story the delta reads: its first report and its newest ones. */
const DIFF_MEMBERS = 8;

/**
 * A long-running story can hold hundreds of items; its delta is read from the first report and
 * the newest ones, which carry the latest figures, so a brief costs the same whatever its size.
 */
function diffSample<T>(members: ReadonlyArray<T>): T[] {
  if (members.length <= DIFF_MEMBERS) return [...members];
  return [...members.slice(0, 1), ...members.slice(-(DIFF_MEMBERS - 1))];
}

/** What is new about a topic against its baseline: its stories, ranked, each with its delta. Pure. */
export function composeBrief(
  items: ReadonlyArray<Item & { key?: string; story?: string }>,
  topic: TopicDef,
  baseline: Baseline,
  options: BriefOptions,
): Brief {
  const window = briefWindow(baseline, options.now, options.lookbackDays);
  const from = options.since ?? window.from;
  const to = window.to;
  const inWindow = items.filter((item) => {
    const time = Date.parse(item.published);
    return time >= from.getTime() && time <= to.getTime();
  });
  const docs = new Map<string, Doc & { item: Item & { story?: string } }>();
  for (const item of inWindow) {
    const id = item.key ?? `${item.feedUrl}#${item.id}`;
    docs.set(id, { ...item, id, item });
  }
  const noDelta = { entities: { new: [] }, figures: { changed: [], new: [] }, sentences: [] };
  const candidates = groupIntoStories([...docs.values()], options.storyWindowHours).map((group) => {
    const sources = new Map<string, string | null>();
    for (const doc of group.members) {
      const name = doc.source || hostOf(doc.item.feedUrl);
      if (!sources.has(name)) sources.set(name, doc.item.link);
    }
    const first = group.members[0];
    const last = group.members.at(-1);
    const base = {
      id: group.id,
      headline: group.headline ?? first?.title ?? '',
      link: first?.item.link ?? null,
      firstSeen: first?.item.published ?? from.toISOString(),
      lastSeen: last?.item.published ?? from.toISOString(),
      sources: [...sources].map(([name, link]) => ({ name, link })),
      itemCount: group.members.length,
      delta: noDelta,
    };
    return { base, members: group.members, score: rank(base, from.getTime(), to.getTime()) };
  });
  // Deltas cost text analysis: rank cheaply first, then diff only the stories that may be shown.
  candidates.sort((a, b) => b.score - a.score || b.base.lastSeen.localeCompare(a.base.lastSeen));
  const shortlist = candidates.slice(0, options.maxStories * 2).map(({ base, members }) => {
    const full = { ...base, delta: diffAgainstBaseline(diffSample(members), [baseline], { maxSentences: 2 }) };
    return { ...full, score: rank(full, from.getTime(), to.getTime()) };
  });
  shortlist.sort((a, b) => b.score - a.score || b.lastSeen.localeCompare(a.lastSeen));
  return {
    topic,
    baseline,
    from: from.toISOString(),
    to: to.toISOString(),
    itemCount: inWindow.length,
    stories: shortlist.slice(0, options.maxStories),
    more: Math.max(0, candidates.length - options.maxStories),
  };
}
