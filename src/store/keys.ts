import { hash } from 'node:crypto';

/** Keys stay short and safe for any backend whatever the URL or guid looks like. */
export function digest(text: string): string {
  return hash('sha1', text, 'hex').slice(0, 20);
}

/** The last feed's key prefix: a poll asks for the keys of all its items in a row. */
let lastFeed: { url: string; prefix: string } | null = null;

function feedDigest(url: string): string {
  if (lastFeed?.url !== url) lastFeed = { url, prefix: digest(url).slice(0, 8) };
  return lastFeed.prefix;
}

export const keys = {
  /**
   * An item's key starts with its feed's digest, so the items of one poll sit side by side in a
   * store's key index: a first poll's twenty items then rewrite one index page instead of twenty
   * (SQLite: about a quarter less store time in a first poll cycle). Items stored before keys took
   * this form keep their old keys; such an item is not offered again while its feed still shows
   * it (the feed's content hashes), and expires with its day.
   */
  item: (feedUrl: string, itemId: string) => `item:${feedDigest(feedUrl)}${digest(`${feedUrl}\n${itemId}`)}`,
  topicHour: (topic: string, hour: string) => `topic:${topic}:${hour}`,
  topicHours: (topic: string) => `topic-hours:${topic}`,
  /** Keys of the items first stored on that day (UTC, "2015-11-20"), one entry of newline-separated keys per poll: item records expire by day. */
  itemsDay: (day: string) => `items-day:${day}`,
  /** How many items each day's list holds. */
  itemsDays: () => 'items-days',
  /** Keys of the items whose story was recorded in that hour, for the other processes' trackers. */
  storyLog: (hour: string) => `story-log:${hour}`,
  feed: (url: string) => `feed:${digest(url)}`,
  feedList: () => 'feeds',
  guild: (guildId: string) => `guild:${guildId}`,
  guildList: () => 'guilds',
  meta: (name: string) => `meta:${name}`,
};
