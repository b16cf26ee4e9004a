import type { Item } from '../news/types.ts';

/** An item as kept: the normalized entry plus what the bot learned about it. */
export interface StoredItem extends Item {
  /** Store key: unique across feeds. */
  key: string;
  /** Topic ids it matched when it arrived. */
  topics: string[];
  /** When this process first saw it (ISO). */
  firstSeen: string;
  /** The story it was grouped into when it arrived (absent until the story tracker has seen it). */
  story?: string;
}

/** What the poller remembers about one feed between polls and restarts. */
export interface FeedState {
  url: string;
  title: string | null;
  etag: string | null;
  lastModified: string | null;
  bodyHash: string | null;
  lastAttempt: string | null;
  lastSuccess: string | null;
  /** "ok", "not-modified", "failed" */
  lastStatus: string | null;
  consecutiveFailures: number;
  /** One human sentence, null after a success. */
  lastError: string | null;
  itemCount: number;
  /** HTTP status of the last answer (200, 304, 404...); null for local files and network failures. */
  lastHttpStatus: number | null;
  /** When the scheduler polls this feed next (ISO); null = as soon as possible. */
  nextPoll: string | null;
  /** Set after `poll.pauseAfterFailures` failures in a row: the feed is kept but no longer polled. */
  paused: boolean;
  pausedAt: string | null;
  /** Content hashes of recent items, so a feed that rotates its guids does not deliver old items again. */
  recentHashes: string[];
  /** The feed's RSS `<ttl>` (minutes) from the last body read; a 304 carries none. */
  ttlMinutes: number | null;
}

/** A feed a guild added with /feeds add. */
export interface GuildFeed {
  url: string;
  name?: string;
  addedBy: string;
  addedAt: string;
}

/** A digest schedule of one channel, from /digest set. */
export interface DigestSchedule {
  /** Stable id within the guild, e.g. "d-<channel>-<n>". */
  id: string;
  channelId: string;
  /** A cron expression (5 or 6 fields), normalized from what the admin typed. */
  cron: string;
  /** What the admin typed ("daily 08:00"), shown back to them. */
  phrase: string;
  /** IANA time zone. */
  timezone: string;
  /** Topic ids; empty = every topic. */
  topics: string[];
  /** No posts between these local times ("22:00"-"07:00"); the digest waits for the window's end. */
  quiet: { from: string; to: string } | null;
  /** When nothing changed: skip the post, or post "nothing new". */
  whenEmpty: 'skip' | 'post';
  paused: boolean;
  pausedReason: string | null;
  createdBy: string;
  createdAt: string;
}

/** A guild's replacement baseline for one topic, from /baseline set. */
export interface GuildBaseline {
  title: string;
  text: string;
  source: string;
  published: string | null;
  url: string | null;
  setBy: string;
  setAt: string;
}

/** A guild's own settings. Every command that changes the bot for a guild writes here only. */
export interface GuildSettings {
  guildId: string;
  /** Extra watched keywords per topic id, added to the config's (/watch). */
  keywords: Record<string, string[]>;
  /** The guild's own feeds (/feeds), polled besides the config's. */
  feeds: GuildFeed[];
  /** Digest schedules (/digest). */
  digests: DigestSchedule[];
  /** Per-topic baseline replacements (/baseline). */
  baselines: Record<string, GuildBaseline>;
  /** A role that may use the changing commands besides Manage Server holders. */
  adminRoleId: string | null;
  updatedAt: string | null;
}

export function emptyGuildSettings(guildId: string): GuildSettings {
  return { guildId, keywords: {}, feeds: [], digests: [], baselines: {}, adminRoleId: null, updatedAt: null };
}
