import { createHash } from 'node:crypto';

/** Keys stay short and safe for any backend whatever the URL or guid looks like. */
export function digest(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 20);
}

export const keys = {
  item: (feedUrl: string, itemId: string) => `item:${digest(`${feedUrl}\n${itemId}`)}`,
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
