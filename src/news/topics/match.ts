import type { TopicDef, TopicMatch } from '../types.ts';

/**
 * Topic matching runs for every item of every polled feed, so each keyword's first word is found
 * by a plain substring search of the lower-cased text and the rest checked by hand, instead of
 * running one Unicode regular expression per keyword over the whole text. Keywords holding punctuation inside a word ("U.S.", "AT&T") keep a
 * regular expression of their own.
 */

const EDGE_BEFORE = '(?<![\\p{L}\\p{N}_])';
const EDGE_AFTER = '(?![\\p{L}\\p{N}_])';
const WORD_ONLY = /^[\p{L}\p{N}_]+$/u;
const APOSTROPHES = new Set(["'", '’']);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function wordsOf(phrase: string): string[] {
  return phrase.trim().split(/[\s-]+/).filter(Boolean);
}

/** A phrase pattern that tolerates any spacing and hyphen-or-space between its words. */
function phrasePattern(phrase: string): string {
  return wordsOf(phrase).map(escapeRegExp).join('[\\s\\u00a0-]+');
}

function isAllCaps(alias: string): boolean {
  return /\p{Lu}/u.test(alias) && !/\p{Ll}/u.test(alias);
}

/** How a phrase is written and what may follow it. */
interface Phrase {
  /** Lower-cased words, or as written for a case-sensitive alias. */
  words: string[];
  caseSensitive: boolean;
  /** Keywords accept "refugees" for "refugee". */
  plural: boolean;
  /** Keywords take "'s" or a bare apostrophe after them; aliases only "'s". */
  possessive: 'apostrophe-or-s' | 's';
}

interface CompiledTopic {
  id: string;
  /** Word-only phrases by their first word (lower-cased). */
  phrases: Map<string, Phrase[]>;
  /** Phrases with punctuation inside a word, matched by regular expression. */
  patterns: RegExp[];
  exclusions: Map<string, Phrase[]>;
  exclusionPatterns: RegExp[];
}

function addPhrase(into: Map<string, Phrase[]>, phrase: Phrase): void {
  const first = (phrase.words[0] ?? '').toLowerCase();
  into.set(first, [...(into.get(first) ?? []), phrase]);
}

// Topic lists are small and reused for every item: compile each definition once. Keyed by
// identity first, then by content, because callers rebuild equal definitions (one per feed, per
// guild index).
const byObject = new WeakMap<TopicDef, CompiledTopic>();
const compiled = new Map<string, CompiledTopic>();
const COMPILED_MAX = 2_000;

function definitionKey(topic: TopicDef): string {
  return [topic.id, topic.keywords.join('\u0001'), topic.aliases.join('\u0001'), (topic.exclude ?? []).join('\u0001')].join('\u0000');
}

function compile(topic: TopicDef): CompiledTopic {
  const same = byObject.get(topic);
  if (same) return same;
  const key = definitionKey(topic);
  const known = compiled.get(key);
  if (known) {
    byObject.set(topic, known);
    return known;
  }
  if (compiled.size >= COMPILED_MAX) compiled.clear();
  const result: CompiledTopic = { id: topic.id, phrases: new Map(), patterns: [], exclusions: new Map(), exclusionPatterns: [] };
  for (const keyword of topic.keywords) {
    const words = wordsOf(keyword);
    if (words.length === 0) continue;
    if (words.every((word) => WORD_ONLY.test(word)))
      addPhrase(result.phrases, { words: words.map((word) => word.toLowerCase()), caseSensitive: false, plural: true, possessive: 'apostrophe-or-s' });
    // Plurals and possessives of a keyword count: "refugees", "Syria's".
    else result.patterns.push(new RegExp(`${EDGE_BEFORE}${phrasePattern(keyword)}(?:e?s)?(?:['’]s?)?${EDGE_AFTER}`, 'giu'));
  }
  for (const alias of topic.aliases) {
    const words = wordsOf(alias);
    if (words.length === 0) continue;
    // "IS" the group, not "is": all-caps aliases must be written in capitals.
    const caseSensitive = isAllCaps(alias);
    if (words.every((word) => WORD_ONLY.test(word)))
      addPhrase(result.phrases, {
        words: caseSensitive ? words : words.map((word) => word.toLowerCase()),
        caseSensitive,
        plural: false,
        possessive: 's',
      });
    else result.patterns.push(new RegExp(`${EDGE_BEFORE}${phrasePattern(alias)}(?:['’]s)?${EDGE_AFTER}`, caseSensitive ? 'gu' : 'giu'));
  }
  for (const phrase of topic.exclude ?? []) {
    const words = wordsOf(phrase);
    if (words.length === 0) continue;
    if (words.every((word) => WORD_ONLY.test(word)))
      addPhrase(result.exclusions, { words: words.map((word) => word.toLowerCase()), caseSensitive: false, plural: false, possessive: 's' });
    else result.exclusionPatterns.push(new RegExp(`${EDGE_BEFORE}${phrasePattern(phrase)}${EDGE_AFTER}`, 'iu'));
  }
  compiled.set(key, result);
  byObject.set(topic, result);
  return result;
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** Whether the character at `index` (a UTF-16 position) is a word character; false past either end. */
function isWordAt(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  const code = text.charCodeAt(index);
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
  // The second half of a surrogate pair belongs to the character that starts one unit earlier.
  const point = code >= 0xdc00 && code <= 0xdfff && index > 0 ? (text.codePointAt(index - 1) ?? code) : (text.codePointAt(index) ?? code);
  return WORD_CHAR.test(String.fromCodePoint(point));
}

function isGap(code: number): boolean {
  return code === 32 || code === 45 || code === 0xa0 || (code >= 9 && code <= 13) || (code > 127 && /\s/.test(String.fromCharCode(code)));
}

/** A document as written and lower-cased, with the same positions in both. */
interface Doc {
  text: string;
  lower: string;
}

/** The end of `phrase` when it starts at `start`, or -1 when it does not match there. */
function phraseEnd(doc: Doc, start: number, phrase: Phrase): number {
  const source = phrase.caseSensitive ? doc.text : doc.lower;
  let pos = start;
  for (let index = 0; index < phrase.words.length; index += 1) {
    if (index > 0) {
      const gapStart = pos;
      while (pos < source.length && isGap(source.charCodeAt(pos))) pos += 1;
      if (pos === gapStart) return -1;
    }
    const word = phrase.words[index] as string;
    if (!source.startsWith(word, pos)) return -1;
    pos += word.length;
    if (index === phrase.words.length - 1 && phrase.plural) {
      if (doc.lower.startsWith('es', pos) && !isWordAt(doc.lower, pos + 2)) pos += 2;
      else if (doc.lower.startsWith('s', pos) && !isWordAt(doc.lower, pos + 1)) pos += 1;
    }
    if (isWordAt(doc.lower, pos)) return -1;
  }
  const next = doc.text[pos];
  if (next !== undefined && APOSTROPHES.has(next)) {
    if (doc.lower[pos + 1] === 's' && !isWordAt(doc.lower, pos + 2)) pos += 2;
    // A bare apostrophe belongs to a keyword when no word follows it directly ("refugees' camps").
    else if (phrase.possessive === 'apostrophe-or-s' && !isWordAt(doc.lower, pos + 1)) pos += 1;
  }
  return pos;
}

/** Where each phrase of a table occurs in the document: [start, end, phrase]. */
function occurrences(doc: Doc, table: Map<string, Phrase[]>): Array<[number, number, Phrase]> {
  const found: Array<[number, number, Phrase]> = [];
  for (const [first, phrases] of table) {
    // A native substring search finds the candidates; the checks above confirm them.
    for (let at = doc.lower.indexOf(first); at >= 0; at = doc.lower.indexOf(first, at + 1)) {
      if (isWordAt(doc.lower, at - 1)) continue;
      for (const phrase of phrases) {
        const end = phraseEnd(doc, at, phrase);
        if (end >= 0) found.push([at, end, phrase]);
      }
    }
  }
  return found;
}

/** Capitals in a row, e.g. a shouted headline, where "IS" is just the verb. */
function inShoutedText(text: string, index: number): boolean {
  const window = text.slice(Math.max(0, index - 20), index + 20);
  const letters = window.replace(/[^\p{L}]/gu, '');
  return letters.length >= 12 && !/\p{Ll}/u.test(letters);
}

/**
 * The topics a document is about, each with the words that matched, in order of appearance.
 * A topic whose exclusion phrase occurs in the document does not match.
 */
export function matchTopics(doc: { title: string; text: string }, topics: readonly TopicDef[]): TopicMatch[] {
  const text = `${doc.title}\n${doc.text}`;
  let lower = text.toLowerCase();
  // Lower-casing can change a few characters' lengths (e.g. "İ"); keep positions aligned then.
  if (lower.length !== text.length) lower = [...text].map((char) => (char.toLowerCase().length === char.length ? char.toLowerCase() : char)).join('');
  const words: Doc = { text, lower };
  const matches: TopicMatch[] = [];
  for (const topic of topics) {
    const { phrases, patterns, exclusions, exclusionPatterns } = compile(topic);
    const found: Array<{ index: number; word: string }> = [];
    for (const [start, end, phrase] of occurrences(words, phrases)) {
      if (phrase.caseSensitive && inShoutedText(text, start)) continue;
      found.push({ index: start, word: text.slice(start, end) });
    }
    for (const pattern of patterns) {
      pattern.lastIndex = 0;
      for (const match of text.matchAll(pattern)) {
        if (!pattern.flags.includes('i') && inShoutedText(text, match.index)) continue;
        found.push({ index: match.index, word: match[0] });
      }
    }
    if (found.length === 0) continue;
    if (occurrences(words, exclusions).length > 0 || exclusionPatterns.some((pattern) => pattern.test(text))) continue;
    found.sort((a, b) => a.index - b.index);
    const matched: string[] = [];
    for (const { word } of found) if (!matched.includes(word)) matched.push(word);
    matches.push({ topic: topic.id, matched });
  }
  return matches;
}
