import { describe, expect, it } from 'vitest';
import { own } from '../../src/feeds/parse/normalize.ts';
import { parseFeed } from '../../src/feeds/index.ts';
import { isWellFormed } from '../../src/unicode.ts';

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

describe('parsed texts', () => {
  // Stores keep a parsed item's text as it is (ParsedFeed): it must be one every backend can.
  const plain = (text: string): boolean => !text.includes('\u0000') && isWellFormed(text);

  it('hold no NUL and no lone surrogate, whatever the feed held', async () => {
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'J',
      items: [
        { id: '1', content_text: 'nul \u0000 and half \ud800 a pair' },
        { id: '2', content_html: '<p>entity &#0; nul \u0000, half \udc00 pair</p>' },
        { id: '3', content_html: `<p>${'long text '.repeat(2_000)}\ud83d\ude00</p>` },
        // A table is past the fast HTML path: the general converter reads it.
        { id: '4', content_html: '<table><tr><td>cell \u0000 &#0; &#xD800; \udbff</td></tr></table>' },
      ],
    });
    const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>R</title>
      <item><guid>a</guid><description>nul &amp;#0; &#0; &#xD800; here</description></item>
      <item><guid>b</guid><description><![CDATA[<p>raw \u0000 nul &#0;</p>]]></description></item>
    </channel></rss>`;
    for (const body of [json, rss]) {
      const feed = await parseFeed(new TextEncoder().encode(body), { feedUrl: 'https://a.example/feed', now: new Date(0) });
      expect(feed.items.length).toBeGreaterThan(1);
      for (const item of feed.items) expect(plain(item.text), JSON.stringify(item.text.slice(0, 80))).toBe(true);
    }
  });
});
