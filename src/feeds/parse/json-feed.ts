import { FeedNotAFeedError } from '../errors.ts';
import type { RawEntry, RawFeed } from './types.ts';
import { isRecord } from './xml-value.ts';

function str(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

/** JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1), read by hand: it is a few fields. */
export function readJsonFeed(value: unknown): RawFeed {
  const version = isRecord(value) ? str(value.version) : null;
  const looksLikeFeed = isRecord(value) && (version?.includes('jsonfeed.org') || Array.isArray(value.items));
  if (!isRecord(value) || !looksLikeFeed) throw new FeedNotAFeedError('JSON that is not a JSON Feed');

  const items = Array.isArray(value.items) ? (value.items as unknown[]) : [];
  const entries: RawEntry[] = items.filter(isRecord).map((item) => {
    const bodies: RawEntry['bodies'] = [];
    const html = str(item.content_html);
    const text = str(item.content_text);
    const summary = str(item.summary);
    if (html) bodies.push({ value: html, isText: false });
    if (text) bodies.push({ value: text, isText: true });
    if (summary) bodies.push({ value: summary, isText: true });
    return {
      guid: str(item.id),
      link: str(item.url) ?? str(item.external_url),
      title: str(item.title) ?? '',
      date: str(item.date_published) ?? str(item.date_modified),
      bodies,
    };
  });
  return { title: str(value.title) ?? '', siteUrl: str(value.home_page_url), entries };
}
