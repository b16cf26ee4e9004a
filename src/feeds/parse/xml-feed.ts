import Parser from 'rss-parser';
import { FeedParseError } from '../errors.ts';
import { repairXml } from './repair.ts';
import type { RawEntry, RawFeed } from './types.ts';
import { readXmlFast } from './xml-fast.ts';
import { attributeOf, isRecord, optionalText, textOf } from './xml-value.ts';

type Fields = Record<string, unknown>;

/** The rss-parser methods that throw on one odd entry and so reject a whole feed. */
interface ParserInternals {
  parseItemAtom(entry: unknown): Fields;
  parseItemRss(item: unknown, fields: unknown): Fields;
  buildAtomFeed(xml: unknown): unknown;
  buildRSS0_9(xml: unknown): unknown;
  buildRSS1(xml: unknown): unknown;
  buildRSS2(xml: unknown): unknown;
}

const BROKEN = '__sitrepBroken';
const TITLE_TYPE = '__sitrepTitleType';

function isDate(value: unknown): boolean {
  const text = textOf(value).trim();
  return text.length > 0 && !Number.isNaN(new Date(text).getTime());
}

/** Atom `<link>` without attributes (a URL as text) becomes `<link href>`, which rss-parser reads. */
function fixAtomLinks(links: unknown): unknown {
  if (!Array.isArray(links)) return links;
  return links
    .map((link: unknown) => {
      if (isRecord(link) && isRecord(link.$)) return link;
      const href = textOf(link).trim();
      return href ? { $: { href } } : null;
    })
    .filter((link) => link !== null);
}

/** An Atom entry rss-parser can read: bad dates dropped (it calls toISOString on them), links fixed. */
function sanitizeAtomEntry(entry: unknown): unknown {
  if (!isRecord(entry)) return {};
  const copy: Fields = { ...entry };
  for (const key of ['published', 'updated']) {
    if (Array.isArray(copy[key]) && !isDate((copy[key] as unknown[])[0])) delete copy[key];
  }
  if (copy.link !== undefined) copy.link = fixAtomLinks(copy.link);
  return copy;
}

/**
 * `<rss></rss>` or an `<rss>` without `<channel>` is an empty feed, not a broken one; rss-parser
 * reads `channel[0]` unguarded, so give it an empty channel.
 */
function withChannel(xml: unknown, rootKey: string): unknown {
  if (!isRecord(xml)) return xml;
  const root = isRecord(xml[rootKey]) ? (xml[rootKey] as Fields) : {};
  if (Array.isArray(root.channel) && root.channel.length > 0) return xml;
  return { ...xml, [rootKey]: { ...root, channel: [{}] } };
}

/**
 * What rss-parser's getContent gives for a body field without building XML: the text of a plain
 * string or of an element with text (`_`); undefined when it would have to build XML.
 */
function simpleContent(field: unknown): string | undefined {
  if (!Array.isArray(field) || field.length === 0) return undefined;
  const first: unknown = field[0];
  if (typeof first === 'string') return first;
  if (isRecord(first) && typeof first._ === 'string') return first._;
  return undefined;
}

/** rss-parser's item field list without `includeSnippet`: the snippets are never read. */
const leanFieldsCache = new WeakMap<object, unknown>();
function leanFields(fields: unknown): unknown {
  if (!Array.isArray(fields)) return fields;
  const cached = leanFieldsCache.get(fields);
  if (cached !== undefined) return cached;
  const lean = fields.map((field: unknown) =>
    Array.isArray(field) && isRecord(field[2]) && field[2].includeSnippet
      ? [field[0], field[1], { ...field[2], includeSnippet: false }]
      : field,
  );
  leanFieldsCache.set(fields, lean);
  return lean;
}

/**
 * rss-parser's item builders without the work whose result is thrown away: for every body it
 * also computes a `contentSnippet` (tags stripped, entities decoded: a few regex passes and an
 * entity decoder over each body), which sitrep never reads. The body field is hidden from the
 * builder and set afterwards to what the builder would have set; a body the builder would have
 * to turn back into XML goes through the builder as it is.
 */
function leanItemRss(parseItemRss: ParserInternals['parseItemRss'], item: unknown, fields: unknown): Fields {
  if (!isRecord(item) || item.description === undefined) return parseItemRss(item, leanFields(fields));
  const content = simpleContent(item.description);
  if (content === undefined) return parseItemRss(item, fields);
  const parsed = parseItemRss({ ...item, description: undefined }, leanFields(fields));
  // What copyFromXML gives for the `description` custom field, and the builder for `content`.
  parsed.description = content;
  parsed.content = content;
  return parsed;
}

function leanItemAtom(parseItemAtom: ParserInternals['parseItemAtom'], entry: unknown): Fields {
  if (!isRecord(entry) || !Array.isArray(entry.content) || entry.content.length === 0)
    return parseItemAtom(entry);
  const content = simpleContent(entry.content);
  if (content === undefined) return parseItemAtom(entry);
  const parsed = parseItemAtom({ ...entry, content: undefined });
  parsed.content = content;
  return parsed;
}

/**
 * A fresh rss-parser per parse (its xml2js parser keeps state between calls), with its per-entry
 * builders wrapped so one malformed entry is dropped instead of failing the feed.
 */
function createParser(): Parser {
  const parser = new Parser({
    // `<rss>` without a version attribute is still RSS 2.0 in practice.
    defaultRSS: 2,
    customFields: { item: ['updated', 'published', 'description'] },
  });
  const internals = parser as unknown as ParserInternals;
  const parseItemAtom = internals.parseItemAtom.bind(parser);
  const parseItemRss = internals.parseItemRss.bind(parser);
  const buildAtomFeed = internals.buildAtomFeed.bind(parser);
  const buildRss09 = internals.buildRSS0_9.bind(parser);
  const buildRss1 = internals.buildRSS1.bind(parser);
  const buildRss2 = internals.buildRSS2.bind(parser);
  internals.buildRSS0_9 = (xml) => buildRss09(withChannel(xml, 'rss'));
  internals.buildRSS1 = (xml) => buildRss1(withChannel(xml, 'rdf:RDF'));
  internals.buildRSS2 = (xml) => buildRss2(withChannel(xml, 'rss'));
  internals.parseItemAtom = (entry) => {
    // Atom says whether a title is text or markup; rss-parser drops the attribute, so keep it.
    const titleType = isRecord(entry) ? (attributeOf(entry.title, 'type') ?? 'text') : 'text';
    try {
      return { ...leanItemAtom(parseItemAtom, entry), [TITLE_TYPE]: titleType };
    } catch {
      try {
        return { ...leanItemAtom(parseItemAtom, sanitizeAtomEntry(entry)), [TITLE_TYPE]: titleType };
      } catch {
        return { [BROKEN]: true };
      }
    }
  };
  internals.parseItemRss = (item, fields) => {
    try {
      return leanItemRss(parseItemRss, item, fields);
    } catch {
      return { [BROKEN]: true };
    }
  };
  internals.buildAtomFeed = (xml) => {
    try {
      return buildAtomFeed(xml);
    } catch (error) {
      if (!isRecord(xml) || !isRecord(xml.feed)) throw error;
      return buildAtomFeed({ ...xml, feed: { ...xml.feed, link: fixAtomLinks(xml.feed.link) } });
    }
  };
  return parser;
}

/** "Invalid character in entity name\nLine: 0\nColumn: 40\nChar: <" -> "... at line 1". */
function describeXmlError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const [first = 'unknown error', ...rest] = message.split('\n');
  if (first === 'Unable to parse XML.')
    return 'XML parse error: the document ends before its root element is closed';
  if (/^Feed not recognized/.test(first)) return 'unsupported feed format: not RSS 0.9x/1.0/2.0 or Atom';
  const line = /^Line: (\d+)/m.exec(rest.join('\n'));
  if (line?.[1]) return `XML parse error: ${first.replace(/\.$/, '')} at line ${Number(line[1]) + 1}`;
  if (error instanceof TypeError) return `unreadable feed structure: ${first}`;
  return `XML parse error: ${first}`;
}

/**
 * `<a:feed xmlns:a="...Atom">` is valid Atom, but rss-parser only knows unprefixed root names;
 * dropping the root's prefix from every tag gives it the document it expects.
 */
function unprefixRoot(xml: string, root: string): string {
  const colon = root.indexOf(':');
  if (colon < 0 || root === 'rdf:RDF') return xml;
  const prefix = root.slice(0, colon).replace(/[.-]/g, '\\$&');
  return xml.replace(new RegExp(`<(/?)${prefix}:`, 'g'), '<$1');
}

async function parseOnce(xml: string): Promise<Fields> {
  const feed: unknown = await createParser().parseString(xml);
  return isRecord(feed) ? feed : {};
}

function toEntry(item: Fields): RawEntry | null {
  if (item[BROKEN]) return null;
  const bodies: RawEntry['bodies'] = [];
  for (const key of ['content:encoded', 'content', 'description', 'summary']) {
    const value = optionalText(item[key]);
    if (value) bodies.push({ value, isText: false });
  }
  return {
    guid: optionalText(item.guid) ?? optionalText(item.id) ?? optionalText(item['rdf:about']),
    link: optionalText(item.link),
    title: textOf(item.title),
    titleIsText: typeof item[TITLE_TYPE] === 'string' && /^text(\/plain)?$/i.test(item[TITLE_TYPE]),
    date:
      optionalText(item.pubDate) ??
      optionalText(item.isoDate) ??
      optionalText(item.published) ??
      optionalText(item.updated) ??
      optionalText(item.date) ??
      optionalText(item['dc:date']),
    bodies,
  };
}

function toRawFeed(feed: Fields): RawFeed {
  const items = Array.isArray(feed.items) ? (feed.items as unknown[]) : [];
  const entries: RawEntry[] = [];
  for (const item of items) {
    const entry = isRecord(item) ? toEntry(item) : null;
    if (entry) entries.push(entry);
  }
  return {
    title: textOf(feed.title),
    siteUrl: optionalText(feed.link) ?? attributeOf(feed.link, 'href'),
    ttl: optionalText(feed.ttl),
    entries,
  };
}

/**
 * RSS 0.9x/1.0/2.0, RDF and Atom. A plain document goes through xml-fast.ts, which gives the same
 * RawFeed; any other through rss-parser, where a rejected document gets one repaired retry (see
 * repair.ts) and the error of that retry is the one reported. `fast: false` skips the fast path,
 * for tests that compare the two.
 */
export async function readXmlFeed(
  source: string,
  root: string,
  opts: { repair?: boolean; fast?: boolean } = {},
): Promise<RawFeed> {
  if (opts.fast !== false) {
    // It reads only unprefixed roots, for which unprefixRoot changes nothing.
    const fast = readXmlFast(source, root);
    if (fast) return fast;
  }
  const xml = unprefixRoot(source, root);
  try {
    return toRawFeed(await parseOnce(xml));
  } catch (firstError) {
    const repaired = opts.repair === false ? xml : repairXml(xml);
    if (repaired === xml) throw new FeedParseError(describeXmlError(firstError), { cause: firstError });
    try {
      return toRawFeed(await parseOnce(repaired));
    } catch (error) {
      throw new FeedParseError(describeXmlError(error), { cause: error });
    }
  }
}
