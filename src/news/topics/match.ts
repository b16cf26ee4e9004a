import type { TopicDef, TopicMatch } from '../types.ts';

/**
 * Topic matching runs for every item of every polled feed. Searching the text once per keyword
 * (even with a native substring search) costs a full pass per keyword and thousands of false
 * starts for short first words such as the "g" of "G-20", so the whole topic list is compiled
 * into one table keyed by first word and the text is cut into word tokens once, each token looked
 * up in that table and the phrase then checked by hand. Keywords holding punctuation inside a
 * word ("U.S.", "AT&T") keep a regular expression of their own.
 */

const EDGE_BEFORE = '(?<![\\p{L}\\p{N}_])';
const EDGE_AFTER = '(?![\\p{L}\\p{N}_])';
const WORD_ONLY = /^[\p{L}\p{N}_]+$/u;
const APOSTROPHES = new Set(["'", '’']);
/** Marks a first word searched for as written (a lower-cased word never starts with it). */
const CASED = '\u0000';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function wordsOf(phrase: string): string[] {
  return phrase
    .trim()
    .split(/[\s-]+/)
    .filter(Boolean);
}

/** A phrase pattern that tolerates any spacing and hyphen-or-space between its words. */
function phrasePattern(phrase: string): string {
  return wordsOf(phrase).map(escapeRegExp).join('[\\s\\u00a0-]+');
}

/**
 * Lower case at the same UTF-16 positions as the original, so a match in the lower-cased text is
 * a match at the same place in the text as written. A character whose lower case is longer keeps
 * its first character when that is as long ("İ" -> "i", not "i" and a combining dot), else stays
 * as it is. Keywords and documents go through the same function, so "İstanbul" matches
 * "İSTANBUL" and "Istanbul" alike.
 */
function lowerInPlace(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  return [...text]
    .map((char) => {
      const low = char.toLowerCase();
      if (low.length === char.length) return low;
      const first = String.fromCodePoint(low.codePointAt(0) ?? 0);
      return first.length === char.length ? first : char;
    })
    .join('');
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
  /** Word-only phrases by their first word (lower-cased, or CASED and as written). */
  phrases: Map<string, Phrase[]>;
  /** Phrases with punctuation inside a word, matched by regular expression. */
  patterns: RegExp[];
  exclusions: Map<string, Phrase[]>;
  exclusionPatterns: RegExp[];
}

/**
 * Phrases are filed by their first word as it is searched for: lower-cased, or as written for a
 * case-sensitive alias, so "IS" is looked for in capitals and not at every "is", "this" and "his".
 */
function addPhrase(into: Map<string, Phrase[]>, phrase: Phrase): void {
  const first = phrase.words[0] ?? '';
  const key = phrase.caseSensitive ? `${CASED}${first}` : lowerInPlace(first);
  into.set(key, [...(into.get(key) ?? []), phrase]);
}

// A definition's regular expressions are shared by every topic list it appears in (guild indexes
// rebuild equal definitions), so definitions are compiled and cached one by one as well.
const compiled = new Map<string, CompiledTopic>();
const COMPILED_MAX = 2_000;

function definitionKey(topic: TopicDef): string {
  return [
    topic.id,
    topic.keywords.join('\u0001'),
    topic.aliases.join('\u0001'),
    (topic.exclude ?? []).join('\u0001'),
  ].join('\u0000');
}

function compile(topic: TopicDef): CompiledTopic {
  const key = definitionKey(topic);
  const known = compiled.get(key);
  if (known) return known;
  if (compiled.size >= COMPILED_MAX) compiled.clear();
  const result: CompiledTopic = {
    id: topic.id,
    phrases: new Map(),
    patterns: [],
    exclusions: new Map(),
    exclusionPatterns: [],
  };
  for (const keyword of topic.keywords) {
    const words = wordsOf(keyword);
    if (words.length === 0) continue;
    if (words.every((word) => WORD_ONLY.test(word)))
      addPhrase(result.phrases, {
        words: words.map(lowerInPlace),
        caseSensitive: false,
        plural: true,
        possessive: 'apostrophe-or-s',
      });
    // Plurals and possessives of a keyword count: "refugees", "Syria's".
    else
      result.patterns.push(
        new RegExp(`${EDGE_BEFORE}${phrasePattern(keyword)}(?:e?s)?(?:['’]s?)?${EDGE_AFTER}`, 'giu'),
      );
  }
  for (const alias of topic.aliases) {
    const words = wordsOf(alias);
    if (words.length === 0) continue;
    // "IS" the group, not "is": all-caps aliases must be written in capitals.
    const caseSensitive = isAllCaps(alias);
    if (words.every((word) => WORD_ONLY.test(word)))
      addPhrase(result.phrases, {
        words: caseSensitive ? words : words.map(lowerInPlace),
        caseSensitive,
        plural: false,
        possessive: 's',
      });
    else
      result.patterns.push(
        new RegExp(
          `${EDGE_BEFORE}${phrasePattern(alias)}(?:['’]s)?${EDGE_AFTER}`,
          caseSensitive ? 'gu' : 'giu',
        ),
      );
  }
  for (const phrase of topic.exclude ?? []) {
    const words = wordsOf(phrase);
    if (words.length === 0) continue;
    if (words.every((word) => WORD_ONLY.test(word)))
      addPhrase(result.exclusions, {
        words: words.map(lowerInPlace),
        caseSensitive: false,
        plural: false,
        possessive: 's',
      });
    else
      result.exclusionPatterns.push(new RegExp(`${EDGE_BEFORE}${phrasePattern(phrase)}${EDGE_AFTER}`, 'iu'));
  }
  compiled.set(key, result);
  return result;
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;
/** Word-ness of each ASCII code: a-z, A-Z, 0-9 and "_". */
const ASCII_WORD = new Uint8Array(128);
for (let code = 0; code < 128; code += 1)
  ASCII_WORD[code] = /[A-Za-z0-9_]/.test(String.fromCharCode(code)) ? 1 : 0;
/** Word-ness of other BMP codes, filled on first sight (0 unknown, 1 word, 2 not): the Unicode test is slow. */
const BMP_WORD = new Uint8Array(0x10000);

/** Whether the character at `index` (a UTF-16 position) is a word character; false past either end. */
function isWordAt(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  return isWordCode(text, index, text.charCodeAt(index));
}

/** isWordAt for the code already read at `index`. */
function isWordCode(text: string, index: number, code: number): boolean {
  if (code < 128) return ASCII_WORD[code] === 1;
  if (code < 0xd800 || code > 0xdfff) {
    let known = BMP_WORD[code];
    if (known === 0) BMP_WORD[code] = known = WORD_CHAR.test(String.fromCharCode(code)) ? 1 : 2;
    return known === 1;
  }
  // The second half of a surrogate pair belongs to the character that starts one unit earlier.
  const point =
    code >= 0xdc00 && index > 0 ? (text.codePointAt(index - 1) ?? code) : (text.codePointAt(index) ?? code);
  return WORD_CHAR.test(String.fromCodePoint(point));
}

function isGap(code: number): boolean {
  return (
    code === 32 ||
    code === 45 ||
    code === 0xa0 ||
    (code >= 9 && code <= 13) ||
    (code > 127 && /\s/.test(String.fromCharCode(code)))
  );
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

/** A phrase of one topic of a list. */
interface Entry {
  topic: number;
  phrase: Phrase;
  /**
   * Where the phrase comes in its topic's first-word order: phrases that match at the same
   * position are reported in that order, as when each first word was searched for in turn.
   */
  order: number;
  exclusion: boolean;
}

/**
 * Phrases filed under one first word, found through the hash of the token they start with: a
 * token's hash picks a bucket, and a slot there is checked against the text where the token
 * stands, so no token is cut out of the text to be looked up.
 */
interface Slot {
  /** The first word: lower-cased, or as written for a case-sensitive alias. */
  word: string;
  /** Units the token has beyond the word: 0, or 1 ("s") and 2 ("es") for a single-word keyword's plural. */
  suffix: number;
  /** Compared with the text as written instead of lower-cased. */
  cased: boolean;
  entries: Entry[];
}

/** A whole topic list, compiled for one pass over a document. */
interface CompiledList {
  topics: CompiledTopic[];
  /** Slots by the bucket of their token's hash (see tokenHash): the hash of the lower-cased token. */
  slots: Array<Slot[] | undefined>;
  /** Tokens longer than this cannot start any phrase. */
  longest: number;
  /**
   * Finds the places a slot's word may start (see finderOf); null where it cannot be built, and
   * every token is looked up instead.
   */
  finder: Finder | null;
}

/** Where phrases may start: `search` (global); `ascii` when each of its matches is ASCII word characters only. */
interface Finder {
  search: RegExp;
  ascii: boolean;
}

const BUCKET_BITS = 12;

/** A step of the token hash the scan computes over char codes. */
function hashStep(hash: number, code: number): number {
  return (Math.imul(hash, 31) + code) | 0;
}

function bucketOf(hash: number): number {
  return Math.imul(hash, 0x9e3779b1) >>> (32 - BUCKET_BITS);
}

function tokenHash(word: string): number {
  let hash = 0;
  for (let index = 0; index < word.length; index += 1) hash = hashStep(hash, word.charCodeAt(index));
  return hash;
}

function compileList(topics: readonly TopicDef[]): CompiledList {
  const list: CompiledList = {
    topics: [],
    slots: new Array<Slot[] | undefined>(1 << BUCKET_BITS).fill(undefined),
    longest: 0,
    finder: null,
  };
  const slots = new Map<string, Slot>();
  const file = (word: string, suffix: string, cased: boolean, entry: Entry): void => {
    const id = `${cased ? 'c' : 'w'}${suffix}:${word}`;
    const known = slots.get(id);
    if (known) {
      known.entries.push(entry);
      return;
    }
    const slot: Slot = { word, suffix: suffix.length, cased, entries: [entry] };
    slots.set(id, slot);
    // The scan hashes the lower-cased text; a cased word keeps its length lower-cased (lowerInPlace).
    const bucket = bucketOf(tokenHash(`${cased ? lowerInPlace(word) : word}${suffix}`));
    (list.slots[bucket] ??= []).push(slot);
  };
  const fileAll = (topic: number, table: Map<string, Phrase[]>, exclusion: boolean): void => {
    let order = 0;
    for (const [key, phrases] of table) {
      const cased = key.startsWith(CASED);
      const first = cased ? key.slice(CASED.length) : key;
      const entries = phrases.map((phrase) => ({ topic, phrase, order: order++, exclusion }));
      // A phrase's words are all word characters (others are patterns), and lowerInPlace keeps
      // them so, at the same length: each first word is one whole token of the lower-cased text.
      list.longest = Math.max(list.longest, first.length);
      for (const entry of entries) {
        file(first, '', cased, entry);
        // A plural only ever extends the last word, so a longer phrase's first word is always a whole token.
        if (entry.phrase.plural && entry.phrase.words.length === 1) {
          file(first, 's', false, entry);
          file(first, 'es', false, entry);
        }
      }
    }
  };
  topics.forEach((topic, index) => {
    const one = compile(topic);
    list.topics.push(one);
    fileAll(index, one.phrases, false);
    fileAll(index, one.exclusions, true);
  });
  // Room for a plural's "es".
  list.longest += 2;
  list.finder = finderOf([...slots.values()]);
  return list;
}

/** A UTF-16 unit as a regular-expression escape, so no word character can mean syntax. */
function unitEscape(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * What a cased word's character may be in the lower-cased text: itself (lowerInPlace keeps a
 * character whose lower case is longer), its lower case or that lower case's first character, and
 * for a capital sigma the final form the lower-casing of a whole text gives at a word's end.
 */
function loweredForms(char: string): string[] {
  // An ASCII capital has one lower case, whatever surrounds it.
  if (char.charCodeAt(0) < 128) return [char.toLowerCase()];
  const forms = new Set([char, char.toLowerCase().charAt(0)]);
  if (char === 'Σ') forms.add('ς');
  return [...forms];
}

const FINDER_MAX_WORDS = 150;

/**
 * Most tokens of a text start no phrase, and cutting each one out and hashing it was most of what
 * matching cost (the scan ran at about 120 M characters a second in the parse thread). A regular
 * expression of every slot's word, run by V8's compiled matcher, jumps between the only places a
 * phrase can start instead: a sound superset of them (each place is then checked as before), so
 * it finds no fewer hits. ASCII words are anchored at `\b` (ASCII-only without the u flag, which
 * would make the whole search several times slower: a non-ASCII letter before such a word still
 * stops it, by the check). No lookahead: it would keep V8 from its fast first-character checks
 * (twice the time); where every word is ASCII the start of a match is found by walking back from
 * its end, else read from the match. Astral characters are left to the token lookup.
 */
function finderOf(slots: readonly Slot[]): Finder | null {
  const anchored = new Set<string>();
  const loose = new Set<string>();
  let ascii = true;
  for (const slot of slots) {
    if (/[\ud800-\udfff]/.test(slot.word)) return null;
    const classes = [...slot.word].map((char) => (slot.cased ? loweredForms(char) : [char]));
    // The whole token: the word and its plural ending, so "g" (of "G-20") is not looked for in "government".
    for (const char of slot.suffix === 2 ? 'es' : slot.suffix === 1 ? 's' : '') classes.push([char]);
    const asciiForm = (form: string): boolean => isAsciiWord(form.charCodeAt(0));
    ascii &&= classes.every((forms) => forms.every(asciiForm));
    const source = classes
      .map((forms) =>
        forms.length === 1
          ? unitEscape((forms[0] as string).charCodeAt(0))
          : `[${forms.map((form) => unitEscape(form.charCodeAt(0))).join('')}]`,
      )
      .join('');
    ((classes[0] ?? []).every(asciiForm) ? anchored : loose).add(source);
  }
  // With more first words V8's matcher tries alternatives at too many places, and the token
  // lookup, whose cost does not grow with the list, is as fast or faster (150 common words: 28 us
  // a document either way; 500: 45 against 50; 3,000: 69 against 120).
  if (anchored.size + loose.size === 0 || anchored.size + loose.size > FINDER_MAX_WORDS) return null;
  const parts: string[] = [];
  // Followed by no ASCII word character: a token's end (a letter beyond ASCII is left to the check).
  const end = '(?![0-9A-Z_a-z])';
  if (anchored.size > 0) parts.push(`\\b(?:${[...anchored].join('|')})${end}`);
  if (loose.size > 0) parts.push(`(?:${[...loose].join('|')})${end}`);
  return { search: new RegExp(parts.join('|'), 'g'), ascii };
}

// Callers hand over new but equal lists on every call (the parse worker gets them by structured
// clone), so compiled lists are cached by content; the same list object skips building the key.
const listByObject = new WeakMap<readonly TopicDef[], CompiledList>();
const lists = new Map<string, CompiledList>();
const LISTS_MAX = 200;

function compiledList(topics: readonly TopicDef[]): CompiledList {
  const same = listByObject.get(topics);
  if (same) return same;
  const key = JSON.stringify(
    topics.map((topic) => [topic.id, topic.keywords, topic.aliases, topic.exclude ?? []]),
  );
  let list = lists.get(key);
  if (!list) {
    list = compileList(topics);
    if (lists.size >= LISTS_MAX) lists.delete(lists.keys().next().value as string);
    lists.set(key, list);
  }
  listByObject.set(topics, list);
  return list;
}

/** A phrase found in the document, from `index` to `end`. */
interface Hit {
  index: number;
  end: number;
  entry: Entry;
}

/** Where the entries' phrases occur in the document, for those starting at a word start `at`. */
function confirm(
  doc: Doc,
  at: number,
  entries: Entry[] | undefined,
  hits: Hit[][],
  excluded: boolean[],
): void {
  if (!entries) return;
  for (const entry of entries) {
    if (entry.exclusion && excluded[entry.topic]) continue;
    const end = phraseEnd(doc, at, entry.phrase);
    if (end < 0) continue;
    if (entry.exclusion) excluded[entry.topic] = true;
    else (hits[entry.topic] ??= []).push({ index: at, end, entry });
  }
}

/** Every phrase of the list in the document: at the places the finder points to, else at every word token. */
function scan(doc: Doc, list: CompiledList, hits: Hit[][], excluded: boolean[]): void {
  const { finder } = list;
  if (finder === null) {
    for (let pos = 0; pos < doc.lower.length;) pos = tokenAt(doc, list, pos, hits, excluded);
    return;
  }
  const { lower } = doc;
  const { search, ascii } = finder;
  search.lastIndex = 0;
  for (;;) {
    let start: number;
    if (ascii) {
      if (!search.test(lower)) return;
      // The match is a run of ASCII word characters after a \b: its start is where that run starts.
      start = search.lastIndex - 1;
      while (start > 0 && isAsciiWord(lower.charCodeAt(start - 1))) start -= 1;
    } else {
      const match = search.exec(lower);
      if (match === null) return;
      start = match.index;
    }
    const before = start > 0 ? lower.charCodeAt(start - 1) : 32;
    // Inside a token (after a letter `\b` does not know): no phrase starts here.
    if (before < 128 ? ASCII_WORD[before] === 1 : isWordCode(lower, start - 1, before))
      search.lastIndex = start + 1;
    else search.lastIndex = tokenAt(doc, list, start, hits, excluded);
  }
}

function isAsciiWord(code: number): boolean {
  return code < 128 && ASCII_WORD[code] === 1;
}

/**
 * Looks up the token starting at `from` and records the phrases starting there; returns where the
 * token ends (`from + 1` when no word character stands there).
 */
function tokenAt(doc: Doc, list: CompiledList, from: number, hits: Hit[][], excluded: boolean[]): number {
  const { text, lower } = doc;
  const { slots, longest } = list;
  const length = lower.length;
  let pos = from;
  let code = lower.charCodeAt(pos);
  if (code < 128 ? ASCII_WORD[code] === 0 : !isWordCode(lower, pos, code)) return pos + 1;
  const start = pos;
  let hash = hashStep(0, code);
  for (pos += 1; pos < length; pos += 1) {
    code = lower.charCodeAt(pos);
    if (code < 128 ? ASCII_WORD[code] === 0 : !isWordCode(lower, pos, code)) break;
    hash = hashStep(hash, code);
  }
  const size = pos - start;
  if (size > longest) return pos;
  const candidates = slots[bucketOf(hash)];
  if (candidates === undefined) return pos;
  for (const slot of candidates) {
    if (slot.word.length + slot.suffix !== size || !(slot.cased ? text : lower).startsWith(slot.word, start))
      continue;
    // A plural's token ends in "s" or "es" (the hash was of the whole token).
    if (
      slot.suffix > 0 &&
      (lower.charCodeAt(pos - 1) !== 115 || (slot.suffix === 2 && lower.charCodeAt(pos - 2) !== 101))
    )
      continue;
    confirm(doc, start, slot.entries, hits, excluded);
  }
  return pos;
}

const LETTER = /\p{L}/u;
const LOWER_LETTER = /\p{Ll}/u;

/**
 * Capitals in a row, e.g. a shouted headline, where "IS" is just the verb: at least 12 letters
 * (counted in UTF-16 units) within 20 units either side, none of them lower-case. Walked by hand
 * because a first lower-case ASCII letter settles it, and each alias hit asks.
 */
function inShoutedText(text: string, index: number): boolean {
  const window = text.slice(Math.max(0, index - 20), index + 20);
  let letters = 0;
  for (let at = 0; at < window.length; at += 1) {
    const code = window.charCodeAt(at);
    if (code < 128) {
      if (code >= 97 && code <= 122) return false;
      if (code >= 65 && code <= 90) letters += 1;
      continue;
    }
    const char = String.fromCodePoint(window.codePointAt(at) ?? code);
    at += char.length - 1;
    if (LOWER_LETTER.test(char)) return false;
    if (LETTER.test(char)) letters += char.length;
  }
  return letters >= 12;
}

const byPlace = (a: Hit, b: Hit): number => a.index - b.index || a.entry.order - b.entry.order;
const byIndex = (a: { index: number }, b: { index: number }): number => a.index - b.index;

/**
 * Whether a list is sorted already. The scan finds hits in text order, so they mostly are; a
 * sort, even of a sorted list, copies it (a tenth of what a parse allocated in the feeds bench).
 */
function inOrder<T>(list: readonly T[], compare: (a: T, b: T) => number): boolean {
  for (let at = 1; at < list.length; at += 1) if (compare(list[at - 1] as T, list[at] as T) > 0) return false;
  return true;
}

/**
 * The topics a document is about, each with the words that matched, in order of appearance.
 * A topic whose exclusion phrase occurs in the document does not match.
 */
export function matchTopics(doc: { title: string; text: string }, topics: readonly TopicDef[]): TopicMatch[] {
  const text = `${doc.title}\n${doc.text}`;
  const lower = lowerInPlace(text);
  const words: Doc = { text, lower };
  const list = compiledList(topics);
  const hits: Hit[][] = [];
  const excluded: boolean[] = [];
  scan(words, list, hits, excluded);
  const matches: TopicMatch[] = [];
  list.topics.forEach(({ id, patterns, exclusionPatterns }, topic) => {
    const found: Array<{ index: number; word: string }> = [];
    const phraseHits = hits[topic] ?? [];
    if (!inOrder(phraseHits, byPlace)) phraseHits.sort(byPlace);
    for (const { index, end, entry } of phraseHits) {
      if (entry.phrase.caseSensitive && inShoutedText(text, index)) continue;
      found.push({ index, word: text.slice(index, end) });
    }
    for (const pattern of patterns) {
      pattern.lastIndex = 0;
      for (const match of text.matchAll(pattern)) {
        if (!pattern.flags.includes('i') && inShoutedText(text, match.index)) continue;
        found.push({ index: match.index, word: match[0] });
      }
    }
    if (found.length === 0) return;
    if (excluded[topic] === true || exclusionPatterns.some((pattern) => pattern.test(text))) return;
    if (!inOrder(found, byIndex)) found.sort(byIndex);
    const matched: string[] = [];
    for (const { word } of found) if (!matched.includes(word)) matched.push(word);
    matches.push({ topic: id, matched });
  });
  return matches;
}
