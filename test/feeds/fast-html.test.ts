import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertSimpleHtml, fastHtmlToText } from '../../src/feeds/parse/fast-html.ts';
import { htmlToText, tidyText } from '../../src/feeds/parse/text.ts';

/*
 * The fast path must give exactly what the full converter gives, wherever it answers at all. It
 * is checked on hand-made cases, and on every HTML body in the sample feeds and the shared corpus.
 */

function bodies(text: string): string[] {
  const found: string[] = [];
  const pattern =
    /<(content:encoded|description|summary|content)[^>]*>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([\s\S]*?))<\/\1>/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const value =
      match[2] ?? (match[3] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    if (/<[a-z]/i.test(value)) found.push(value);
  }
  return found;
}

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else if (/\.(xml|rss|atom|rdf)$/.test(name)) out.push(path);
  }
  return out;
}

describe('fastHtmlToText', () => {
  it('gives the same text as html-to-text for simple markup', () => {
    for (const html of [
      '<p>Diplomats met in <a href="https://x.example/">Vienna</a> on Monday.</p><p>They  agreed\n to <b>meet</b> again.</p>',
      'plain start<br>next line<br/>and <em>more</em>',
      '<h2>Head</h2>after &amp; &nbsp; &#8217; &#x2019; end<img src="x.png">',
      '<div>one</div><div>two</div> <p> spaced </p>',
      '<p>a</p><script>alert(1)</script><style>p{}</style><p>b</p><!-- note -->',
    ]) {
      expect(fastHtmlToText(html), html).not.toBeNull();
      expect(htmlToText(html), html).toBe(htmlToText(html, { fast: false }));
    }
  });

  it('leaves lists, tables, unknown entities and stray < to the full converter', () => {
    expect(fastHtmlToText('<ul><li>a</li></ul>')).toBeNull();
    expect(fastHtmlToText('<table><tr><td>a</td></tr></table>')).toBeNull();
    expect(fastHtmlToText('<p>caf&eacute;</p>')).toBeNull();
    expect(fastHtmlToText('<p>1 < 2</p>')).toBeNull();
    // Only entities of its own table: "&constructor;" is not Object.prototype.constructor.
    expect(fastHtmlToText('<p>a &constructor; b</p>')).toBeNull();
    expect(htmlToText('<p>a &constructor; b</p>')).toBe('a &constructor; b');
  });

  it('says when its text is already tidy, and then tidyText only trims it', () => {
    const cases: Array<[string, boolean]> = [
      ['<p>One.</p>\n<p>Two  words\tand\r\nlines.</p>', true],
      ['<p>a&nbsp;b</p>', false], // a no-break space becomes a space
      ['<p>a\u0001b</p>', false], // a control character is dropped
      ['<p>a </p><br>b', false], // a space before a line break
      ['a<br><br><br>b', false], // three line breaks
      ['<div>a</div><br><p>b</p>', false],
    ];
    for (const [html, tidy] of cases) {
      const converted = convertSimpleHtml(html);
      expect(converted?.tidy, html).toBe(tidy);
      if (converted?.tidy) expect(tidyText(converted.text)).toBe(converted.text.trim());
      expect(converted?.text).toBe(fastHtmlToText(html));
    }
  });

  const roots = ['config/sample-feeds', '/work/shared/corpus/feeds'].filter((root) => existsSync(root));
  it(
    'agrees with html-to-text on every body it takes in the sample feeds and the corpus',
    { timeout: 50_000 },
    () => {
      let taken = 0;
      let total = 0;
      const differ: string[] = [];
      for (const root of roots) {
        for (const file of files(root)) {
          for (const html of bodies(readFileSync(file, 'utf8'))) {
            total += 1;
            const converted = convertSimpleHtml(html);
            if (converted === null) continue;
            taken += 1;
            if (converted.tidy && tidyText(converted.text) !== converted.text.trim() && differ.length < 5)
              differ.push(`${file}: marked tidy but is not: ${JSON.stringify(converted.text).slice(0, 300)}`);
            const fast = htmlToText(html);
            const full = htmlToText(html, { fast: false });
            if (fast !== full && differ.length < 5)
              differ.push(
                `${file}\n  fast: ${JSON.stringify(fast).slice(0, 300)}\n  full: ${JSON.stringify(full).slice(0, 300)}`,
              );
          }
        }
      }
      console.log(`fast HTML path: took ${taken} of ${total} HTML bodies (${roots.join(', ')})`);
      expect(differ).toEqual([]);
    },
  );
});
