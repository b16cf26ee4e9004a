/*
 * A linear pass for the plain RSS 0.9x/1.0/2.0 and Atom documents most feeds are, which gives
 * exactly the RawFeed of the rss-parser path (xml-feed.ts) at a fraction of its cost. It reads only
 * what it is sure of: a strict subset of XML (ASCII names, quoted attributes, the five XML entities
 * and character references, comments, CDATA, processing instructions) and, of the feed, the
 * fields sitrep reads, where each has the plain shape rss-parser turns into text without surprises.
 * Anything else returns null and the caller uses rss-parser: a DOCTYPE, other entities, markup
 * inside a field, a tag the strict parser (sax, under xml2js) might read differently or reject.
 *
 * It does its own tokenizing, of that narrow subset only, because the XML libraries tried read it
 * differently from sax or cost too much. htmlparser2 is lenient where sax is strict (it accepts
 * `</a junk>`, attributes without quotes or without space between them, ends a processing
 * instruction at the first '>', maps `&#146;` to U+2019), so checking what it reports meant
 * reading every tag again. saxes is strict, but reads line ends and white space in attribute
 * values otherwise than sax, and on the feeds bench took 0.53 ms a feed against 0.14 for this
 * scanner and raised the bench's peak RSS by 20-30 MB, past its 300 MB target.
 */
import type { RawEntry, RawFeed } from './types.ts';

/** An element as xml2js sees it, before it decides between a string and an object. */
interface Element {
  name: string;
  /** Attributes, or null when it has none (xml2js then gives no `$`). */
  attrs: Record<string, string> | null;
  /** All text and CDATA directly inside, in order, between child elements too (xml2js's `_`). */
  text: string;
  /** A non-empty CDATA section is inside: xml2js then keeps a blank `_` it would drop. */
  cdata: boolean;
  children: Element[] | null;
}

/** Thrown while reading fields; readXmlFast turns it into null. */
class Decline extends Error {}

// Names and white space as sax reads them, ASCII only (sax also takes other letters).
const NAME = '[A-Za-z_:][\\w.:-]*';
const OPEN_TAG = new RegExp(
  `<(${NAME})((?:[ \\t\\r\\n]+${NAME}[ \\t\\r\\n]*=[ \\t\\r\\n]*(?:"[^"]*"|'[^']*'))*)[ \\t\\r\\n]*(/?)>`,
  'y',
);
const CLOSE_TAG = new RegExp(`</(${NAME})[ \\t\\r\\n]*>`, 'y');
const ATTRIBUTE = new RegExp(`(${NAME})[ \\t\\r\\n]*=[ \\t\\r\\n]*(?:"([^"]*)"|'([^']*)')`, 'g');
const BLANK_OUTSIDE = /^[ \t\r\n]*$/;
const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#x([\da-fA-F]{1,6}));/y;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** sax fails on a comment, attribute value or processing instruction longer than its 64 KiB buffer. */
const MAX_BUFFER = 65_536;

/** A character XML allows: sax rejects a reference to anything else. */
export function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** Text or an attribute value with its references replaced; null for a bare '&' or another entity. */
function decode(raw: string): string | null {
  let amp = raw.indexOf('&');
  if (amp < 0) return raw;
  let out = '';
  let at = 0;
  while (amp >= 0) {
    REFERENCE.lastIndex = amp;
    const match = REFERENCE.exec(raw);
    if (!match) return null;
    let char = match[1] ? NAMED[match[1]] : undefined;
    if (char === undefined) {
      const code = match[2] ? Number(match[2]) : parseInt(match[3] ?? '', 16);
      if (!isXmlChar(code)) return null;
      char = String.fromCodePoint(code);
    }
    out += raw.slice(at, amp) + char;
    at = REFERENCE.lastIndex;
    amp = raw.indexOf('&', at);
  }
  return out + raw.slice(at);
}

function parseAttributes(source: string): Record<string, string> | null {
  const attrs: Record<string, string> = Object.create(null) as Record<string, string>;
  ATTRIBUTE.lastIndex = 0;
  for (let match = ATTRIBUTE.exec(source); match; match = ATTRIBUTE.exec(source)) {
    const [, name = '', double, single] = match;
    const raw = double ?? single ?? '';
    // sax keeps the first of two equal names, and stores attributes in a plain object, where
    // `__proto__` or `hasOwnProperty` behave oddly: leave those to it.
    if (name in attrs || name in Object.prototype || raw.length > MAX_BUFFER) return null;
    const value = decode(raw);
    if (value === null) return null;
    attrs[name] = value;
  }
  return attrs;
}

/** The document's root element, or null for anything outside the subset this file reads. */
function parseDocument(xml: string): Element | null {
  const stack: Element[] = [];
  let root: Element | null = null;
  let at = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    const lt = xml.indexOf('<', at);
    const end = lt < 0 ? xml.length : lt;
    const parent = stack[stack.length - 1];
    if (end > at) {
      const raw = xml.slice(at, end);
      if (parent) {
        const text = decode(raw);
        if (text === null) return null;
        parent.text += text;
      } else if (!BLANK_OUTSIDE.test(raw)) {
        // Text before or after the root: sax rejects it.
        return null;
      }
    }
    if (lt < 0) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === 0x2f /* / */) {
      CLOSE_TAG.lastIndex = lt;
      const match = CLOSE_TAG.exec(xml);
      if (!match || !parent || match[1] !== parent.name) return null;
      stack.pop();
      at = CLOSE_TAG.lastIndex;
    } else if (next === 0x21 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const close = xml.indexOf('-->', lt + 4);
        if (close < 0) return null;
        const body = xml.slice(lt + 4, close);
        // sax rejects '--' inside a comment, including the '-' of '--->'.
        if (body.includes('--') || body.endsWith('-') || body.length > MAX_BUFFER) return null;
        at = close + 3;
      } else if (parent && xml.startsWith('<![CDATA[', lt)) {
        const close = xml.indexOf(']]>', lt + 9);
        if (close < 0) return null;
        if (close > lt + 9) {
          parent.text += xml.slice(lt + 9, close);
          parent.cdata = true;
        }
        at = close + 3;
      } else {
        // A DOCTYPE (which may declare entities), another declaration, or CDATA outside the root.
        return null;
      }
    } else if (next === 0x3f /* ? */) {
      // Processing instructions (`<?xml ...?>`, a stylesheet) are skipped by xml2js.
      const close = xml.indexOf('?>', lt + 2);
      // sax reads '??>' as '?' plus text, and ends the instruction at a later '?>'.
      if (close < 0 || xml.charCodeAt(close - 1) === 0x3f || close - lt > MAX_BUFFER) return null;
      at = close + 2;
    } else {
      OPEN_TAG.lastIndex = lt;
      const match = OPEN_TAG.exec(xml);
      if (!match) return null;
      const [, name = '', attrSource = '', selfClosing] = match;
      // `_` and `cdata` are keys xml2js itself uses on an element.
      if (name === '_' || name === 'cdata') return null;
      const attrs = attrSource ? parseAttributes(attrSource) : null;
      if (attrSource && !attrs) return null;
      const element: Element = { name, attrs, text: '', cdata: false, children: null };
      // One root only: sax rejects a second.
      if (!parent && root) return null;
      if (parent) (parent.children ??= []).push(element);
      else root = element;
      if (!selfClosing) stack.push(element);
      at = OPEN_TAG.lastIndex;
    }
  }
  return root && stack.length === 0 ? root : null;
}

function first(element: Element, name: string): Element | undefined {
  return element.children?.find((child) => child.name === name);
}

function all(element: Element, name: string): Element[] {
  return element.children?.filter((child) => child.name === name) ?? [];
}

/** xml2js keeps `_` unless it is blank (JavaScript's \s) and came from no CDATA. */
function keepsText(element: Element): boolean {
  return element.cdata || !/^\s*$/.test(element.text);
}

/**
 * The text rss-parser ends with for a field it copies (copyFromXML, `title._`, `guid._`): the
 * text as written, untrimmed, or '' when the element has attributes and only blank text (xml2js
 * gives an object, whose text is ''). A field with child elements is declined.
 */
function fieldText(element: Element | undefined): string | undefined {
  if (!element) return undefined;
  if (element.children) throw new Decline();
  return element.attrs && !keepsText(element) ? '' : element.text;
}

/** rss-parser's getContent (description, Atom content and summary): text, unless it would build XML. */
function contentText(element: Element | undefined): string | undefined {
  if (!element) return undefined;
  if (element.children || (element.attrs && !keepsText(element))) throw new Decline();
  return element.text;
}

/** A date field; with attributes rss-parser would hold an object, not a string. */
function dateText(element: Element | undefined): string | undefined {
  if (element?.attrs) throw new Decline();
  return fieldText(element);
}

/** optionalText of xml-value.ts for a string. */
function optional(text: string | undefined): string | null {
  const trimmed = text?.trim();
  return trimmed ? trimmed : null;
}

function bodies(values: Array<string | undefined>): RawEntry['bodies'] {
  const out: RawEntry['bodies'] = [];
  for (const value of values) {
    const text = optional(value);
    if (text) out.push({ value: text, isText: false });
  }
  return out;
}

/**
 * rss-parser's getLink: the href of the first link with this rel, else of the link at `fallback`.
 * It reads `link.$.rel` of every link it passes, which throws for a link without attributes.
 */
function atomLink(parent: Element, rel: string, fallback: number): string | undefined {
  const links = all(parent, 'link');
  if (links.some((link) => !link.attrs)) throw new Decline();
  return (links.find((link) => link.attrs?.rel === rel) ?? links[fallback])?.attrs?.href;
}

/** new Date(text).toISOString(), which throws where this declines. */
function isoDate(text: string): string {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new Decline();
  return date.toISOString();
}

function rssEntry(item: Element): RawEntry {
  const pubDate = dateText(first(item, 'pubDate'));
  const dcDate = dateText(first(item, 'dc:date'));
  // setISODate: a date from pubDate or else dc:date, kept only when it parses.
  const stated = pubDate || dcDate;
  let iso: string | undefined;
  if (stated) {
    const date = new Date(stated.trim());
    if (!Number.isNaN(date.getTime())) iso = date.toISOString();
  }
  // The description is both `content` (getContent) and the `description` custom field.
  const description = contentText(first(item, 'description'));
  return {
    guid: optional(fieldText(first(item, 'guid'))) ?? optional(item.attrs?.['rdf:about']),
    link: optional(fieldText(first(item, 'link'))),
    // `title` wins over `dc:title`: copyFromXML copies dc:title first.
    title: fieldText(first(item, 'title') ?? first(item, 'dc:title')) ?? '',
    titleIsText: false,
    date:
      optional(pubDate) ??
      optional(iso) ??
      optional(fieldText(first(item, 'published'))) ??
      optional(fieldText(first(item, 'updated'))) ??
      optional(dcDate),
    bodies: bodies([
      fieldText(first(item, 'content:encoded')),
      description,
      description,
      fieldText(first(item, 'summary')),
    ]),
  };
}

function atomEntry(entry: Element): RawEntry {
  const title = first(entry, 'title');
  const type = title?.attrs?.type?.trim() || 'text';
  // parseItemAtom: pubDate from a non-empty published, else updated; an invalid one throws
  // (the rss-parser path then retries without it, which this does not copy).
  const published = dateText(first(entry, 'published'));
  const updated = dateText(first(entry, 'updated'));
  let pubDate: string | undefined;
  if (published) pubDate = isoDate(published);
  if (!pubDate && updated) pubDate = isoDate(updated);
  return {
    guid: optional(fieldText(first(entry, 'id'))),
    link: optional(atomLink(entry, 'alternate', 0)),
    title: fieldText(title) ?? '',
    titleIsText: /^text(\/plain)?$/i.test(type),
    // Without pubDate, published and updated are empty: no date at all.
    date: pubDate ?? null,
    bodies: bodies([
      contentText(first(entry, 'content')),
      fieldText(first(entry, 'description')),
      contentText(first(entry, 'summary')),
    ]),
  };
}

function rssFeed(root: Element): RawFeed | null {
  const channels = all(root, 'channel');
  const channel = channels[0];
  if (!channel || channels.length > 1) return null;
  const link = first(channel, 'link');
  const linkText = optional(fieldText(link));
  // A `<link href="..."/>` stays an object in rss-parser, read by attributeOf.
  const linkHref = link?.attrs && !keepsText(link) ? optional(link.attrs.href) : null;
  // RSS 1.0 puts items beside the channel, the others inside it.
  const items = all(root.name === 'rss' ? channel : root, 'item');
  return {
    title: fieldText(first(channel, 'title') ?? first(channel, 'dc:title')) ?? '',
    siteUrl: linkText ?? linkHref,
    ttl: optional(fieldText(first(channel, 'ttl'))),
    entries: items.map(rssEntry),
  };
}

function atomFeed(root: Element): RawFeed {
  return {
    title: fieldText(first(root, 'title')) ?? '',
    siteUrl: optional(atomLink(root, 'alternate', 0)),
    ttl: null,
    entries: all(root, 'entry').map(atomEntry),
  };
}

const ROOTS = new Set(['rss', 'rdf:RDF', 'feed']);

/**
 * The RawFeed readXmlFeed's rss-parser path gives for this document, or null when the document
 * is not plain enough to be sure of it. `root` is the root element's name as sniff.ts found it.
 */
export function readXmlFast(xml: string, root: string): RawFeed | null {
  if (!ROOTS.has(root)) return null;
  const element = parseDocument(xml);
  // A root without child elements is a string to xml2js, and an empty one fails rss-parser.
  if (!element || element.name !== root || !element.children) return null;
  try {
    return root === 'feed' ? atomFeed(element) : rssFeed(element);
  } catch (error) {
    if (error instanceof Decline) return null;
    throw error;
  }
}
