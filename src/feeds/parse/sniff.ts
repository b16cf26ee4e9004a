import { FeedNotAFeedError, FeedParseError } from '../errors.ts';

/** What a decoded body looks like, decided before any parser runs. */
export type Sniffed = { kind: 'xml'; text: string; root: string } | { kind: 'json'; value: unknown };

/** How far into the body leading junk (a stray line, a PHP warning) may reach before we give up. */
const MAX_JUNK = 1024;

const FEED_ROOTS = new Set(['rss', 'feed', 'rdf']);

/** Skips the prolog, comments, processing instructions and a doctype; returns the root tag name. */
function rootName(text: string): { name: string | null; doctypeHtml: boolean } {
  let rest = text.trimStart();
  let doctypeHtml = false;
  for (let guard = 0; guard < 50; guard += 1) {
    if (rest.startsWith('<?')) {
      const end = rest.indexOf('?>');
      if (end < 0) return { name: null, doctypeHtml };
      rest = rest.slice(end + 2).trimStart();
    } else if (rest.startsWith('<!--')) {
      const end = rest.indexOf('-->');
      if (end < 0) return { name: null, doctypeHtml };
      rest = rest.slice(end + 3).trimStart();
    } else if (/^<!doctype/i.test(rest)) {
      if (/^<!doctype\s+html/i.test(rest)) doctypeHtml = true;
      // A doctype may carry an internal subset in brackets, which holds its own '>' characters.
      const match = /^<!doctype[^[>]*(\[[\s\S]*?\]\s*)?>/i.exec(rest);
      if (!match) return { name: null, doctypeHtml };
      rest = rest.slice(match[0].length).trimStart();
    } else {
      break;
    }
  }
  const match = /^<([A-Za-z_][\w.:-]*)/.exec(rest);
  return { name: match?.[1] ?? null, doctypeHtml };
}

function localName(name: string): string {
  return (name.includes(':') ? name.slice(name.indexOf(':') + 1) : name).toLowerCase();
}

function isJsonStart(text: string): boolean {
  return text.startsWith('{') || text.startsWith('[');
}

/**
 * Decides whether a body is an XML feed, JSON, or something that is not a feed at all, so that
 * an HTML page or a plain-text error page gets a clear "not a feed" instead of a parser's
 * complaint about line 1.
 */
export function sniff(decoded: string): Sniffed {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const text = decoded.replace(/^[\s\uFEFF\u0000]+/, '');
  if (text.length === 0) throw new FeedNotAFeedError('an empty body');

  if (isJsonStart(text)) {
    try {
      return { kind: 'json', value: JSON.parse(text) as unknown };
    } catch (error) {
      throw new FeedParseError(`JSON parse error: ${(error as Error).message}`, { cause: error });
    }
  }

  // Leading junk: keep what starts at the first '<' if it is close to the start.
  let xml = text;
  if (!text.startsWith('<')) {
    const lt = text.indexOf('<');
    if (lt < 0 || lt > MAX_JUNK) throw new FeedNotAFeedError('plain text');
    xml = text.slice(lt);
  }

  const { name, doctypeHtml } = rootName(xml);
  // The root decides: some feeds carry a stray HTML doctype above a perfectly good <rss>.
  if (name && FEED_ROOTS.has(localName(name))) return { kind: 'xml', text: xml, root: name };
  if (doctypeHtml || (name && localName(name) === 'html')) throw new FeedNotAFeedError('an HTML page');
  if (!name) {
    // No root found: an unterminated prolog or comment, or text that only mentions '<'.
    if (xml !== text) throw new FeedNotAFeedError('plain text');
    throw new FeedParseError('XML parse error: no root element at line 1');
  }
  if (/^(head|body|div|p|table|title|meta|script|!doctype)$/i.test(name))
    throw new FeedNotAFeedError('an HTML page');
  if (xml !== text) throw new FeedNotAFeedError('plain text');
  throw new FeedNotAFeedError(`an XML document whose root is <${name}>, not RSS or Atom`);
}
