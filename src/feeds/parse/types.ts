/** A feed as read from its format, before normalization: every field is as the feed wrote it. */
export interface RawFeed {
  title: string;
  /** The site's URL as the feed states it (may be relative or missing). */
  siteUrl: string | null;
  /** RSS `<ttl>` as written (minutes), when the feed states one. */
  ttl?: string | null;
  entries: RawEntry[];
}

export interface RawEntry {
  /** RSS guid, Atom id, JSON Feed id, RDF about. */
  guid: string | null;
  link: string | null;
  title: string;
  /** The title is plain text (Atom type="text", the Atom default): '<' in it is a character, not a tag. */
  titleIsText?: boolean;
  /** The first date the entry states, as written. */
  date: string | null;
  /** Candidate bodies, best first; the first non-empty one is used. */
  bodies: Array<{ value: string; isText: boolean }>;
}
