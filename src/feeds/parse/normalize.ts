import { hash } from 'node:crypto';
import type { Item } from '../../news/types.ts';
import { isWellFormed } from '../../unicode.ts';
import type { ParsedFeed } from '../types.ts';
import { cleanTitle, htmlToText, titleFromText } from './text.ts';
import type { RawEntry, RawFeed } from './types.ts';

export interface NormalizeOptions {
  feedUrl: string;
  now: Date;
  /** A configured name: what the user chose to call this outlet wins over the feed's own title. */
  name?: string;
}

/** An absolute http(s) URL, or null. Anything else (javascript:, data:, mailto:) is not a link. */
export function absoluteUrl(href: string | null | undefined, base: string | null): string | null {
  const value = href?.trim();
  if (!value) return null;
  try {
    const url = base ? new URL(value, base) : new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.href;
  } catch {
    return null;
  }
}

/** The URL a relative link is read against: the site URL if absolute, else the feed's own URL. */
function baseUrl(feed: RawFeed, feedUrl: string): string | null {
  const feedBase = absoluteUrl(feedUrl, null);
  return absoluteUrl(feed.siteUrl, feedBase) ?? feedBase;
}

/** ISO UTC of a feed date, or null when missing or unreadable. */
export function isoDate(raw: string | null): string | null {
  if (!raw) return null;
  const time = new Date(raw.trim()).getTime();
  // Dates before 1970 or far in the future are feed bugs; the caller falls back to `now`.
  if (Number.isNaN(time) || time < 0 || time > 8.64e15) return null;
  return new Date(time).toISOString();
}

function shortHash(...parts: string[]): string {
  return hash('sha1', parts.join('\n'), 'hex').slice(0, 16);
}

/**
 * A copy of a string that shares no memory with the body it was cut from. V8 keeps substrings as
 * slices of their parent, so an id or a title kept in memory (story tracking, the poll state)
 * would otherwise keep the whole decoded feed alive, about 50 KB per feed. Prepending a character
 * and slicing it off again makes V8 flatten the pair into a fresh string the slice points into:
 * one copy, no UTF-8 encoding. A string with a lone surrogate (from a JSON feed's "\ud800") takes
 * the UTF-8 round trip, which turns it into U+FFFD, as this function always has.
 */
export function own(text: string): string {
  if (text.length === 0) return text;
  if (!isWellFormed(text)) return Buffer.from(text, 'utf8').toString('utf8');
  return ` ${text}`.slice(1);
}

/** RSS `<ttl>` in minutes; zero, negative or unreadable values mean "no hint". */
function ttlMinutes(raw: string | null | undefined): number | null {
  const text = raw?.trim();
  if (!text || !/^\d+$/.test(text)) return null;
  const minutes = Number(text);
  return minutes > 0 ? minutes : null;
}

/** Occurrences of each non-null key, to tell unique guids and links from repeated ones. */
function counts(values: Array<string | null>): Map<string, number> {
  const seen = new Map<string, number>();
  for (const value of values) if (value) seen.set(value, (seen.get(value) ?? 0) + 1);
  return seen;
}

function feedTitle(feed: RawFeed, feedUrl: string): string {
  const title = cleanTitle(feed.title);
  if (title) return title;
  try {
    const url = new URL(feedUrl);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.hostname;
  } catch {
    // Not a URL: a file path in sample mode.
  }
  return feedUrl.split(/[\\/]/).pop() || feedUrl;
}

/**
 * Raw entries to Items. Ids must stay the same from one poll to the next, so they come from what
 * the feed states (guid, then link) and only then from a hash of the content; a guid or link that
 * several entries share cannot tell them apart and is skipped. Entries identical in every way are
 * one entry.
 */
export function normalizeFeed(feed: RawFeed, opts: NormalizeOptions): Omit<ParsedFeed, 'bodyHash'> {
  const source = opts.name?.trim() || own(feedTitle(feed, opts.feedUrl));
  const base = baseUrl(feed, opts.feedUrl);
  const nowIso = opts.now.toISOString();

  const prepared = feed.entries.map((entry: RawEntry) => {
    const guid = entry.guid?.trim() || null;
    const rawLink = entry.link ?? (guid && /^https?:\/\//i.test(guid) ? guid : null);
    const link = absoluteUrl(rawLink, base);
    const body = entry.bodies.find((candidate) => candidate.value.trim());
    const text = body ? htmlToText(body.value, { isText: body.isText }) : '';
    const title = cleanTitle(entry.title, { isText: entry.titleIsText ?? false }) || titleFromText(text);
    const date = isoDate(entry.date);
    return { guid, link, title, text, date };
  });

  const guidCounts = counts(prepared.map((entry) => entry.guid));
  const linkCounts = counts(prepared.map((entry) => entry.link));
  const taken = new Set<string>();
  const items: Item[] = [];
  for (const entry of prepared) {
    if (!entry.title && !entry.text && !entry.link) continue;
    // The first of guid, link and content hash that is unique in the feed and not yet taken;
    // the hash is only computed when neither of the others will do.
    let id: string | null = null;
    if (entry.guid && guidCounts.get(entry.guid) === 1 && !taken.has(entry.guid)) id = entry.guid;
    else if (entry.link && linkCounts.get(entry.link) === 1 && !taken.has(entry.link)) id = entry.link;
    else {
      const hashed = `h:${shortHash(entry.title, entry.date ?? '', entry.text)}`;
      if (!taken.has(hashed)) id = hashed;
    }
    if (!id) continue;
    taken.add(id);
    items.push({
      id: own(id),
      title: own(entry.title),
      text: own(entry.text),
      link: entry.link,
      published: entry.date ?? nowIso,
      source,
      feedUrl: opts.feedUrl,
    });
  }
  return { title: source, items, ttlMinutes: ttlMinutes(feed.ttl) };
}
