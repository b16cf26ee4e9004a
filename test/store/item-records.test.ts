import { describe, expect, it } from 'vitest';
import { decodeItem, encodeItem } from '../../src/store/item-records.ts';
import type { StoredItem } from '../../src/store/types.ts';

const item: StoredItem = {
  id: 'guid-1',
  feedUrl: 'https://a.example/feed',
  title: 'Putin "urged" to focus strikes',
  text: 'First paragraph, with "quotes", a backslash \\ and a tab\tin it.\nSecond paragraph: 129 → 130 killed.',
  link: 'https://a.example/1',
  published: '2015-11-16T10:00:00.000Z',
  source: 'A',
  key: 'item:abc',
  topics: ['syria'],
  firstSeen: '2015-11-16T10:05:00.000Z',
};

describe('item records', () => {
  it('keep the text after the JSON head as it is, and read back the same item', () => {
    const raw = encodeItem(item);
    expect(raw.endsWith(item.text)).toBe(true);
    expect(decodeItem(raw)).toEqual(item);
  });

  it('read a text holding the separator, or JSON-looking text, back unchanged', () => {
    const odd = { ...item, text: 'a \u001e b {"text":"x"} \u001e', story: 's1' };
    expect(decodeItem(encodeItem(odd))).toEqual(odd);
  });

  it('keep a text with a NUL or half a surrogate pair inside the JSON, where it survives any backend', () => {
    for (const text of ['nul \u0000 here', 'half \ud83d of an emoji']) {
      const raw = encodeItem({ ...item, text });
      expect(raw).toBe(JSON.stringify({ ...item, text }));
      expect(raw).not.toContain('\u0000');
      expect(decodeItem(raw).text).toBe(text);
    }
  });

  it('read records written as plain JSON, as stores did before', () => {
    expect(decodeItem(JSON.stringify(item))).toEqual(item);
  });
});
