import { describe, expect, it } from 'vitest';
import { own } from '../../src/feeds/parse/normalize.ts';

describe('own', () => {
  it('gives back an equal string', () => {
    for (const text of ['', 'a', 'short', 'a title long enough to be sliced', 'caf\u00e9 \u2019 \ud83d\ude00 emoji'])
      expect(own(text)).toBe(text);
    const body = `${'x'.repeat(10_000)}the item text, cut from a large body${'y'.repeat(10_000)}`;
    expect(own(body.slice(10_000, 10_036))).toBe('the item text, cut from a large body');
  });

  it('turns a lone surrogate into U+FFFD, as a UTF-8 round trip does', () => {
    expect(own('a\ud800b')).toBe('a\ufffdb');
    expect(own('end\udc00')).toBe('end\ufffd');
  });
});
