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
  exclusions: RegExp[];
}

// Topic lists are small and reused for every item: compile each definition once.
const compiled = new WeakMap<TopicDef, CompiledTopic>();

function compile(topic: TopicDef): CompiledTopic {
  const known = compiled.get(topic);
  if (known) return known;
  const patterns: RegExp[] = [];
  for (const keyword of topic.keywords) {
    if (!keyword.trim()) continue;
    // Plurals and possessives of a keyword count: "refugees", "Syria's".
    patterns.push(new RegExp(`${EDGE_BEFORE}${phrasePattern(keyword)}(?:e?s)?(?:['’]s?)?${EDGE_AFTER}`, 'giu'));
  }
  for (const alias of topic.aliases) {
    if (!alias.trim()) continue;
    // "IS" the group, not "is": all-caps aliases must be written in capitals.
    const flags = isAllCaps(alias) ? 'gu' : 'giu';
    patterns.push(new RegExp(`${EDGE_BEFORE}${phrasePattern(alias)}(?:['’]s)?${EDGE_AFTER}`, flags));
  }
  const exclusions = (topic.exclude ?? [])
    .filter((phrase) => phrase.trim())
    .map((phrase) => new RegExp(`${EDGE_BEFORE}${phrasePattern(phrase)}${EDGE_AFTER}`, 'iu'));
  const result = { id: topic.id, patterns, exclusions };
  compiled.set(topic, result);
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
  const matches: TopicMatch[] = [];
  for (const topic of topics) {
    const { patterns, exclusions } = compile(topic);
    if (exclusions.some((pattern) => pattern.test(text))) continue;
    const found: Array<{ index: number; word: string }> = [];
    for (const pattern of patterns) {
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
