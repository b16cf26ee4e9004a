import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { readXmlFeed } from '../../src/feeds/parse/xml-feed.ts';
import { optionalText } from '../../src/feeds/parse/xml-value.ts';

/*
 * readXmlFeed runs rss-parser's item builders without their snippets, hiding a plain-text body
 * from the builder and setting it afterwards. The bodies it reads must be the ones rss-parser
 * itself gives for every shape of body field.
 */

const RSS_ITEMS = [
  '<item><title>plain</title><description>Text &amp; more</description></item>',
  '<item><title>cdata</title><description><![CDATA[<p>Para</p>]]></description><content:encoded><![CDATA[<p>Full</p>]]></content:encoded></item>',
  '<item><title>attrs</title><description type="html">With attribute</description></item>',
  '<item><title>empty</title><description></description></item>',
  '<item><title>xml body</title><description><p>Unescaped <b>markup</b></p></description></item>',
  '<item><title>attrs only</title><description type="html"/></item>',
  '<item><title>none</title><link>https://x.example/a</link></item>',
];

const ATOM_ENTRIES = [
  '<entry><id>a</id><title>text</title><content>Body text</content></entry>',
  '<entry><id>b</id><title>html</title><content type="html">&lt;p&gt;Para&lt;/p&gt;</content><summary>Sum</summary></entry>',
  '<entry><id>c</id><title>xhtml</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>X</p></div></content></entry>',
  '<entry><id>d</id><title>none</title><summary>Only a summary</summary></entry>',
];

/** The bodies, best first, as rss-parser's own items give them. */
async function expectedBodies(xml: string): Promise<string[][]> {
  const feed = await new Parser({ defaultRSS: 2, customFields: { item: ['updated', 'published', 'description'] } }).parseString(xml);
  return feed.items.map((item) => {
    const fields = item as unknown as Record<string, unknown>;
    return ['content:encoded', 'content', 'description', 'summary']
      .map((key) => optionalText(fields[key]))
      .filter((value): value is string => value !== null);
  });
}

describe('readXmlFeed: item bodies without rss-parser snippets', () => {
  it('reads RSS bodies as rss-parser does', async () => {
    const xml = `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>${RSS_ITEMS.join('')}</channel></rss>`;
    const feed = await readXmlFeed(xml, 'rss');
    expect(feed.entries.map((entry) => entry.bodies.map((body) => body.value))).toEqual(await expectedBodies(xml));
    expect(feed.entries[4]?.bodies[0]?.value).toContain('Unescaped');
  });

  it('reads Atom bodies as rss-parser does', async () => {
    const xml = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>${ATOM_ENTRIES.join('')}</feed>`;
    const feed = await readXmlFeed(xml, 'feed');
    expect(feed.entries.map((entry) => entry.bodies.map((body) => body.value))).toEqual(await expectedBodies(xml));
    expect(feed.entries[0]?.bodies[0]?.value).toBe('Body text');
  });
});
