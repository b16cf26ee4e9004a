import { compile } from 'html-to-text';
import { convertSimpleHtml } from './fast-html.ts';

/** Item text cap, chars: enough for any news article, small enough to keep a store row sane. */
export const MAX_TEXT_CHARS = 20_000;
/** Title cap, chars. A title longer than this is a broken or hostile feed, not a headline. */
export const MAX_TITLE_CHARS = 300;
/** Input cap before HTML conversion, so a huge body costs bounded time. */
const MAX_HTML_INPUT = 400_000;

// Controls other than tab/newline and the non-characters XML forbids: invisible junk at best,
// terminal escapes at worst.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g;

const SKIP = [
  'img',
  'script',
  'style',
  'noscript',
  'iframe',
  'object',
  'embed',
  'video',
  'audio',
  'svg',
  'canvas',
  'form',
  'button',
  'select',
  'input',
  'hr',
  'head',
  'title',
];

// Compiled once: html-to-text builds its selector tables per compile, which dominates small inputs.
const bodyToText = compile({
  wordwrap: false,
  limits: { maxInputLength: MAX_HTML_INPUT },
  selectors: [
    ...SKIP.map((selector) => ({ selector, format: 'skip' })),
    // Links read as their words: a URL in the middle of a sentence is noise to a reader and to
    // the news core's sentence splitter.
    { selector: 'a', options: { ignoreHref: true } },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block' },
    { selector: 'th', format: 'inline' },
    { selector: 'td', format: 'inline' },
    { selector: 'ul', options: { itemPrefix: '- ' } },
  ],
});

// Inline markup only: an unclosed <object> or <iframe> in a title would otherwise swallow the rest.
const CONTAINERS = new Set(['iframe', 'object', 'embed', 'video', 'audio', 'form']);
const INLINE_SKIP = SKIP.filter((selector) => !CONTAINERS.has(selector));

const inlineToText = compile({
  wordwrap: false,
  limits: { maxInputLength: MAX_TITLE_CHARS * 8 },
  selectors: [
    ...INLINE_SKIP.map((selector) => ({ selector, format: 'skip' })),
    { selector: 'a', options: { ignoreHref: true } },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
  ],
});

const HAS_TAG = /<\/?[a-z][\w:-]*[\s/>]/i;
const HAS_ENTITY = /&(?:#\d+|#x[\da-f]+|[a-z]\w*);/i;
const LOOKS_LIKE_HTML = new RegExp(`${HAS_TAG.source}|${HAS_ENTITY.source}`, 'i');

/** Cuts at a word boundary and marks the cut with an ellipsis; never longer than `max`. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

// What tidyText changes besides spaces and line breaks: controls, CR, tab, no-break space.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNTIDY = /[\u0000-\u0009\u000b-\u001f\u007f-\u00a0\ufffe\uffff]/;

/**
 * Converted text made tidy: controls dropped, CR and CRLF read as LF, runs of spaces, tabs and
 * no-break spaces as one space, no space around a line break, at most one blank line, trimmed.
 * Most text is tidy already; finding that out takes one character-class scan and a few substring
 * searches, much less than the five replace passes that tidy it.
 */
export function tidyText(text: string): string {
  const untidy =
    UNTIDY.test(text) ||
    text.includes('  ') ||
    text.includes(' \n') ||
    text.includes('\n ') ||
    text.includes('\n\n\n');
  if (!untidy) return text.trim();
  return text
    .replace(CONTROL, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Plain text from an HTML or plain-text body: paragraphs as blank-line separated blocks. Simple
 * HTML takes the fast path (fast-html.ts); `fast: false` forces the full converter (tests compare the two).
 */
export function htmlToText(body: string, opts: { isText?: boolean; fast?: boolean } = {}): string {
  let text: string;
  if (opts.isText || !LOOKS_LIKE_HTML.test(body)) {
    text = tidyText(body.slice(0, MAX_HTML_INPUT));
  } else {
    const fast = opts.fast === false || body.length > MAX_HTML_INPUT ? null : convertSimpleHtml(body);
    if (fast !== null) {
      text = fast.tidy ? fast.text.trim() : tidyText(fast.text);
    } else if (!HAS_TAG.test(body)) {
      // Plain text with entities: decode them but keep its blank-line paragraphs, which the HTML
      // converter would otherwise fold into one.
      text = tidyText(bodyToText(body.replace(/\n[ \t]*\n\s*/g, '<br><br>')));
    } else {
      text = tidyText(bodyToText(body));
    }
  }
  return clip(text, MAX_TEXT_CHARS);
}

/**
 * One line of plain text from a title that may hold entities or tags. A title known to be text
 * keeps its '<' characters ("History of the <blink> tag") but still has entities decoded, since
 * the XML repair may have left "&nbsp;" as text.
 */
export function cleanTitle(raw: string, opts: { isText?: boolean } = {}): string {
  // Cut before converting: a 1 MB title must not cost 1 MB of HTML parsing.
  const head = raw.length > MAX_TITLE_CHARS * 8 ? raw.slice(0, MAX_TITLE_CHARS * 8) : raw;
  let text = head;
  if (opts.isText) {
    if (HAS_ENTITY.test(head)) text = inlineToText(head.replace(/</g, '&lt;'));
  } else if (LOOKS_LIKE_HTML.test(head)) {
    text = inlineToText(head);
  }
  return clip(text.replace(CONTROL, '').replace(/\s+/g, ' ').trim(), MAX_TITLE_CHARS);
}

/** A title for an item that has none: the first words of its text. */
export function titleFromText(text: string, maxWords = 12): string {
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length === 0) return '';
  const head = words.slice(0, maxWords).join(' ');
  return clip(words.length > maxWords ? `${head}…` : head, MAX_TITLE_CHARS);
}
