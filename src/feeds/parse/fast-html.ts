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
const NEWLINES = ['', '\n', '\n\n'];

function decode(text: string): string | null {
  if (!text.includes('&')) return text;
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
    // Own keys only: "&constructor;" is not an entity.
    const value =
      match.endsWith(';') && Object.hasOwn(ENTITIES, name) ? ENTITIES[name] : undefined;
    if (value === undefined) unknown = true;
    return value ?? match;
  });
  return unknown ? null : decoded;
}

/**
 * Characters that make a chunk need more than a copy: the white space HTML collapses (tab, LF,
 * CR, form feed) and what tidyText would remove or change (controls, C1, no-break space,
 * non-characters). A chunk without any of them and without a double space is already collapsed.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const SPECIAL = /[\u0000-\u001f\u007f-\u00a0\ufffe\uffff]/;

/**
 * The text built so far, as pieces joined once at the end: asking a growing string for its last
 * character or appending to it would flatten it again and again. It also notes whether the text
 * is already tidy in the sense of text.ts `tidyText`: no special character, no space before a
 * line break, no run of three line breaks.
 */
class Output {
  private readonly parts: string[] = [];
  /** Char code of the last character written, 0 while empty. */
  last = 0;
  /** Line breaks at the end of the text. */
  private breaks = 0;
  tidy = true;
  /** Line breaks a block asked for, written before the next text. */
  pending = 0;

  get empty(): boolean {
    return this.parts.length === 0;
  }

  /** Text without line breaks. */
  push(text: string): void {
    if (text === '') return;
    this.parts.push(text);
    this.last = text.charCodeAt(text.length - 1);
    this.breaks = 0;
  }

  newlines(count: number): void {
    if (count <= 0) return;
    if (this.last === 32) this.tidy = false;
    this.parts.push(NEWLINES[count] ?? '\n'.repeat(count));
    this.last = 10;
    this.breaks += count;
    if (this.breaks > 2) this.tidy = false;
  }

  /** Writes the text between two tags; false when it needs the full converter. */
  write(raw: string): boolean {
    if (raw === '') return true;
    if (raw.includes('<')) return false;
    const text = decode(raw);
    if (text === null) return false;
    let collapsed = text;
    if (SPECIAL.test(text) || text.includes('  ')) {
      collapsed = text.replace(/[ \t\r\n\f]+/g, ' ');
      if (SPECIAL.test(collapsed)) this.tidy = false;
    }
    if ((this.empty || this.last === 10 || this.pending > 0) && collapsed.charCodeAt(0) === 32)
      collapsed = collapsed.slice(1);
    if (collapsed === '' || collapsed === ' ') {
      if (collapsed === ' ' && !this.empty && this.pending === 0 && this.last !== 32) this.push(' ');
      return true;
    }
    if (this.pending > 0 && !this.empty) {
      this.trimSpaces();
      this.newlines(this.pending);
    }
    this.pending = 0;
    this.push(this.last === 32 && collapsed.charCodeAt(0) === 32 ? collapsed.slice(1) : collapsed);
    return true;
  }

  /** Drops trailing spaces (U+0020 only). */
  trimSpaces(): void {
    while (this.last === 32) {
      const part = this.parts.pop() as string;
      if (part.length > 1) this.parts.push(part.slice(0, -1));
      const tail = this.parts[this.parts.length - 1];
      this.last = tail === undefined ? 0 : tail.charCodeAt(tail.length - 1);
    }
  }

  toString(): string {
    return this.parts.join('');
  }
}

/** What the fast path gives: the text, and whether text.ts `tidyText` would only trim it. */
export interface SimpleHtmlText {
  text: string;
  tidy: boolean;
}

/** Plain text of simple HTML, or null when the HTML needs the full converter. */
export function fastHtmlToText(html: string): string | null {
  return convertSimpleHtml(html)?.text ?? null;
}

/** fastHtmlToText, saying also whether the text is already tidy. */
export function convertSimpleHtml(html: string): SimpleHtmlText | null {
  const out = new Output();
  let at = 0;
  let skipping = false;
  TAG.lastIndex = 0;
  for (let match = TAG.exec(html); match; match = TAG.exec(html)) {
    if (!skipping && !out.write(html.slice(at, match.index))) return null;
    at = TAG.lastIndex;
    const name = match[2]?.toLowerCase();
    if (!name) continue; // a comment
    const closing = match[1] === '/';
    if (name === 'img') continue;
    if (name === 'br') {
      if (closing) continue;
      out.newlines(out.pending);
      out.pending = 0;
      out.trimSpaces();
      out.newlines(1);
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
      if (!out.empty) out.pending = Math.max(out.pending, breaks);
      continue;
    }
    if (!INLINE.has(name)) return null;
  }
  if (skipping || !out.write(html.slice(at))) return null;
  return { text: out.toString().trimEnd(), tidy: out.tidy };
}
