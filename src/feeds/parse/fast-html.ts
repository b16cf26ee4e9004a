/*
 * A linear pass for the HTML most feed items carry (paragraphs, line breaks, links, emphasis,
 * headings, images), which gives the same text as the html-to-text converter at a fraction of its
 * cost: item bodies are most of the parse time of a news feed. Anything else (lists, tables,
 * quotes, scripts, unknown entities, a stray '<') returns null, and the caller uses the full
 * converter, so only the easy cases take this path.
 */

/** Line breaks a tag asks for around itself: paragraphs and headings a blank line, a div one. */
const BLOCK_BREAKS: Record<string, number> = {
  p: 2,
  h1: 2,
  h2: 2,
  h3: 2,
  h4: 2,
  h5: 2,
  h6: 2,
  div: 1,
  figure: 1,
  figcaption: 1,
};
const INLINE = new Set([
  'a',
  'b',
  'i',
  'em',
  'strong',
  'span',
  'u',
  'small',
  'sup',
  'sub',
  'cite',
  'abbr',
  'time',
  'font',
]);
const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  rsquo: '\u2019',
  lsquo: '\u2018',
  rdquo: '\u201d',
  ldquo: '\u201c',
  mdash: '\u2014',
  ndash: '\u2013',
  hellip: '\u2026',
};

const TAG = /<(\/?)([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|<!--[\s\S]*?-->/g;

function decode(text: string): string | null {
  let unknown = false;
  const decoded = text.replace(/&(#x[\da-f]+|#\d+|[a-z]+\d*);?/gi, (match, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      // Controls and C1 references (HTML reads &#146; as windows-1252) are left to the full converter.
      const plain = code >= 0x20 && !(code >= 0x7f && code <= 0x9f);
      if (plain && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) && match.endsWith(';'))
        return String.fromCodePoint(code);
      unknown = true;
      return match;
    }
    const value = match.endsWith(';') ? ENTITIES[name.toLowerCase() === name ? name : ''] : undefined;
    if (value === undefined) unknown = true;
    return value ?? match;
  });
  return unknown ? null : decoded;
}

/** Without its trailing spaces; a loop, since a `/ +$/` search rescans the whole text each time. */
function trimSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end -= 1;
  return end === text.length ? text : text.slice(0, end);
}

/** Plain text of simple HTML, or null when the HTML needs the full converter. */
export function fastHtmlToText(html: string): string | null {
  let out = '';
  let pending = 0;
  let at = 0;
  let skipping = false;
  const write = (raw: string): boolean => {
    if (raw.includes('<')) return false;
    const text = decode(raw);
    if (text === null) return false;
    let collapsed = text.replace(/[ \t\r\n\f]+/g, ' ');
    if (out === '' || out.endsWith('\n') || pending > 0) collapsed = collapsed.replace(/^ /, '');
    if (collapsed === '' || collapsed === ' ') {
      if (collapsed === ' ' && out !== '' && pending === 0 && !out.endsWith(' ')) out += ' ';
      return true;
    }
    if (pending > 0 && out !== '') out = `${trimSpaces(out)}${'\n'.repeat(pending)}`;
    pending = 0;
    out += out.endsWith(' ') && collapsed.startsWith(' ') ? collapsed.slice(1) : collapsed;
    return true;
  };
  TAG.lastIndex = 0;
  for (let match = TAG.exec(html); match; match = TAG.exec(html)) {
    if (!skipping && !write(html.slice(at, match.index))) return null;
    at = TAG.lastIndex;
    const name = match[2]?.toLowerCase();
    if (!name) continue; // a comment
    const closing = match[1] === '/';
    if (name === 'img') continue;
    if (name === 'br') {
      if (closing) continue;
      if (pending > 0) {
        out = `${out}${'\n'.repeat(pending)}`;
        pending = 0;
      }
      out = `${trimSpaces(out)}\n`;
      continue;
    }
    if (name === 'script' || name === 'style') {
      // Dropped with their content; only a plain open/close pair is simple enough for this path.
      if (skipping === closing) skipping = !closing;
      else return null;
      continue;
    }
    const breaks = BLOCK_BREAKS[name];
    if (breaks !== undefined) {
      if (out !== '') pending = Math.max(pending, breaks);
      continue;
    }
    if (!INLINE.has(name)) return null;
  }
  if (skipping || !write(html.slice(at))) return null;
  return out.trimEnd();
}
