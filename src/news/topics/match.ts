import type { TopicDef, TopicMatch } from '../types.ts';

const EDGE_BEFORE = '(?<![\\p{L}\\p{N}_])';
const EDGE_AFTER = '(?![\\p{L}\\p{N}_])';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A phrase pattern that tolerates any spacing and hyphen-or-space between its words. */
function phrasePattern(phrase: string): string {
  return phrase
    .trim()
    .split(/[\s-]+/)
    .map(escapeRegExp)
    .join('[\\s\\u00a0-]+');
}

function isAllCaps(alias: string): boolean {
  return /\p{Lu}/u.test(alias) && !/\p{Ll}/u.test(alias);
}

interface CompiledTopic {
  id: string;
  patterns: RegExp[];
  /** A lower-cased word each pattern's matches must contain: a plain search rules most texts out first. */
  cues: string[];
  exclusions: RegExp[];
}

function cueOf(phrase: string): string {
  return phrase.trim().toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean)[0] ?? '';
}

// Topic lists are small and reused for every item: compile each definition once. Keyed by content,
// not identity, because callers rebuild equal definitions (one per feed, per guild index).
const compiled = new Map<string, CompiledTopic>();
const COMPILED_MAX = 2_000;

function definitionKey(topic: TopicDef): string {
  return [topic.id, topic.keywords.join('\u0001'), topic.aliases.join('\u0001'), (topic.exclude ?? []).join('\u0001')].join('\u0000');
}

function compile(topic: TopicDef): CompiledTopic {
  const key = definitionKey(topic);
  const known = compiled.get(key);
  if (known) return known;
  if (compiled.size >= COMPILED_MAX) compiled.clear();
  const patterns: RegExp[] = [];
  const cues: string[] = [];
  for (const keyword of topic.keywords) {
    if (!keyword.trim()) continue;
    cues.push(cueOf(keyword));
    // Plurals and possessives of a keyword count: "refugees", "Syria's".
    patterns.push(new RegExp(`${EDGE_BEFORE}${phrasePattern(keyword)}(?:e?s)?(?:['’]s?)?${EDGE_AFTER}`, 'giu'));
  }
  for (const alias of topic.aliases) {
    if (!alias.trim()) continue;
    cues.push(cueOf(alias));
    // "IS" the group, not "is": all-caps aliases must be written in capitals.
    const flags = isAllCaps(alias) ? 'gu' : 'giu';
    patterns.push(new RegExp(`${EDGE_BEFORE}${phrasePattern(alias)}(?:['’]s)?${EDGE_AFTER}`, flags));
  }
  const exclusions = (topic.exclude ?? [])
    .filter((phrase) => phrase.trim())
    .map((phrase) => new RegExp(`${EDGE_BEFORE}${phrasePattern(phrase)}${EDGE_AFTER}`, 'iu'));
  const result = { id: topic.id, patterns, cues, exclusions };
  compiled.set(key, result);
  return result;
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
  const words = new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u));
  // A keyword's first word must be in the text, perhaps as a plural ("refugees").
  const has = (cue: string): boolean => words.has(cue) || words.has(`${cue}s`) || words.has(`${cue}es`);
  const matches: TopicMatch[] = [];
  for (const topic of topics) {
    const { patterns, cues, exclusions } = compile(topic);
    if (!cues.some(has)) continue;
    if (exclusions.some((pattern) => pattern.test(text))) continue;
    const found: Array<{ index: number; word: string }> = [];
    for (const [at, pattern] of patterns.entries()) {
      if (!has(cues[at]!)) continue;
      pattern.lastIndex = 0;
      for (const match of text.matchAll(pattern)) {
        if (!pattern.flags.includes('i') && inShoutedText(text, match.index)) continue;
        found.push({ index: match.index, word: match[0] });
      }
    }
    if (found.length === 0) continue;
    found.sort((a, b) => a.index - b.index);
    const matched: string[] = [];
    for (const { word } of found) if (!matched.includes(word)) matched.push(word);
    matches.push({ topic: topic.id, matched });
  }
  return matches;
}
