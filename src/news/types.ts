/** Shared nouns of the news core. Everything here is plain data: no I/O, no clock. */

/** A document the core reads: a feed item, a baseline, or an item file given to the CLI. */
export interface Doc {
  /** Stable id (item id, baseline id, or file path for the CLI). */
  id: string;
  title: string;
  /** Clean plain text of the body, paragraphs separated by blank lines. May be empty. */
  text: string;
  /** ISO-8601 UTC, or null when unknown. */
  published: string | null;
  /** Outlet name, e.g. "VOA"; "" when unknown. */
  source: string;
  link?: string | null;
}

/** One normalized feed entry. */
export interface Item extends Doc {
  /** The feed it came from (its configured URL, or the sample file path). */
  feedUrl: string;
  link: string | null;
  published: string;
}

/** The reference story a topic's items are compared with. */
export interface Baseline extends Doc {
  published: string | null;
}

export type EntityKind = 'person' | 'place' | 'organization' | 'other';

export interface Entity {
  /** Surface form as written, e.g. "Vladimir Putin". */
  name: string;
  /** Lower-cased, normalized form used for comparison (e.g. "putin" also matches "Vladimir Putin"). */
  key: string;
  kind: EntityKind;
}

export interface Figure {
  /** What it counts, in words: "people killed in the Paris attacks". */
  what: string;
  /** The value as written, normalized: "129", "3000000", "20-25". */
  value: string;
  /** Numeric value (lower bound for ranges). */
  number: number;
  qualifier: 'exact' | 'at least' | 'more than' | 'nearly' | 'about' | 'at most' | 'range';
  /** The sentence it came from. */
  evidence: string;
  /** Lemma of the counted noun ("people", "refugee"), "percent", or "" when none is written. */
  counted?: string;
  /** What happened to the counted thing: a concept ("DEATH", "FLEE", "ADMIT") or a verb lemma. */
  event?: string;
  /** Lower-cased names around the figure (its place or event), to tell Paris from Bamako. */
  context?: string[];
  /** True when the sentence marks the number as an update ("rose to", "now", "toll"). */
  revision?: boolean;
}

export interface TopicDef {
  /** Slug, e.g. "islamic-state". */
  id: string;
  /** Display name, e.g. "Islamic State". */
  name: string;
  /** Words or phrases matched case-insensitively on word boundaries. */
  keywords: string[];
  /** Alternative names matched case-sensitively when written in capitals (e.g. "IS", "ISIL"). */
  aliases: string[];
  /** Phrases whose presence stops a match. */
  exclude: string[];
}

export interface TopicMatch {
  topic: string;
  /** The words of the text that matched, as written. */
  matched: string[];
}

/** What a story adds to its baseline. Same shape as `sitrep delta --json`. */
export interface Delta {
  entities: { new: string[] };
  figures: {
    changed: Array<{ what: string; from: string; to: string; evidence: string }>;
    new: Array<{ what: string; value: string; evidence: string }>;
  };
  sentences: string[];
}

/** A cluster of items about the same event. */
export interface Story {
  id: string;
  /** Item ids in arrival order; the first is the story's seed. */
  itemIds: string[];
  /** Best headline among its items. */
  headline: string;
  /** Distinct outlets. */
  sources: string[];
  firstSeen: string;
  lastSeen: string;
}

export interface SummarySentence {
  text: string;
  /** Id of the Doc the sentence came from. */
  docId: string;
}
