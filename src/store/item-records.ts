import { isWellFormed } from '../unicode.ts';
import { joined, type DocValue } from './collections.ts';
import type { StoredItem } from './types.ts';

/**
 * How an item is kept in the store: the JSON of everything but its text, a record separator
 * (U+001E), then the text as it is. The text is most of an item, and JSON-escaping it at every
 * store and parsing it back at every read cost a first poll cycle 0.6-1.0 s of its main thread,
 * about half of what SQLite took to store the items. JSON never holds a raw U+001E (it escapes
 * every control character), so the first one ends the head whatever the text holds. A text a
 * backend could not keep as it is (a NUL, which PostgreSQL refuses, or half a surrogate pair,
 * which UTF-8 cannot carry) goes inside the JSON instead, as in records written before this
 * format; both are read.
 */
const SEPARATOR = '\u001e';

function keptAsIs(text: string): boolean {
  return !text.includes('\u0000') && isWellFormed(text);
}

/**
 * The record of an item as the store's two parts: the head with its separator, then the text.
 * `plain`: the text is known to hold no NUL and no lone surrogate (a parsed item's).
 */
export function itemRecord(item: StoredItem, plain = false): DocValue {
  if (!plain && !keptAsIs(item.text)) return JSON.stringify(item);
  const { text, ...head } = item;
  return [`${JSON.stringify(head)}${SEPARATOR}`, text];
}

export function encodeItem(item: StoredItem): string {
  return joined(itemRecord(item));
}

export function decodeItem(raw: string): StoredItem {
  const at = raw.indexOf(SEPARATOR);
  if (at < 0) return JSON.parse(raw) as StoredItem;
  return { ...(JSON.parse(raw.slice(0, at)) as Omit<StoredItem, 'text'>), text: raw.slice(at + 1) };
}
