import type { Item } from '../news/types.ts';

/** An item as kept: the normalized entry plus what the bot learned about it. */
export interface StoredItem extends Item {
  /** Store key: unique across feeds. */
  key: string;
  /** Topic ids it matched when it arrived. */
  topics: string[];
  /** When this process first saw it (ISO). */
  firstSeen: string;
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
  /** "200", "304", "failed" */
  lastStatus: string | null;
  consecutiveFailures: number;
  /** One human sentence, null after a success. */
  lastError: string | null;
  itemCount: number;
}

/** A guild's own settings; later issues add watches, feeds and digests here. */
export interface GuildSettings {
  guildId: string;
  /** Extra keywords per topic id, added to the config's. */
  keywords: Record<string, string[]>;
  updatedAt: string | null;
}
