import type { Token } from '../text/nlp.ts';
import { STOPWORDS, termOf } from '../text/words.ts';

/**
 * Concepts are what an update summary is scored on and what it should cover: word pairs as they
 * stand in the text (stemmed, function words kept inside a pair, as ROUGE-2 counts them), as in
 * the concept-coverage summarizers that did well at TAC (Gillick and Favre, 2009), plus a light
 * share for single content words so a small set of short items still has something to rank by.
 */

/** Words of attribution: "police said" is how news is told, not what happened. */
const REPORTING = new Set(['said', 'says', 'say', 'told', 'tells', 'according', 'added', 'adding', 'stated', 'statement', 'spokesman', 'spokeswoman', 'spokesperson']);
const CLITIC = /^(?:'s|’s|'|’|n't|'re|'ve|'ll|'d|'m)$/;
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

interface Key {
  term: string;
  stop: boolean;
  reporting: boolean;
}

const KEYS_LIMIT = 200_000;
/** Key of each word form (null for none): a word's key never depends on its sentence. */
const wordKeys = new Map<string, Key | null>();

function keyOf(token: Token): Key | undefined {
  if (token.type === 'number') return { term: token.normal.replace(/,/g, ''), stop: false, reporting: false };
  if (token.type !== 'word') return undefined;
  let key = wordKeys.get(token.normal);
  if (key === undefined) {
    const term = CLITIC.test(token.normal) || !HAS_LETTER_OR_DIGIT.test(token.normal) ? '' : termOf(token);
    key = term ? { term, stop: STOPWORDS.has(token.normal) || token.normal.length < 2, reporting: REPORTING.has(token.normal) } : null;
    if (wordKeys.size >= KEYS_LIMIT) wordKeys.clear();
    wordKeys.set(token.normal, key);
  }
  return key ?? undefined;
}

/**
 * The concepts of a run of tokens: each pair of neighbouring words (punctuation between them
 * does not part them, as in ROUGE) unless both are function words or one is a reporting word,
 * and each content word prefixed with "1:" so it never collides with a pair.
 */
export function conceptsOfTokens(tokens: readonly Token[]): string[] {
  const out = new Set<string>();
  let previous: Key | undefined;
  for (const token of tokens) {
    const key = keyOf(token);
    if (!key) continue;
    if (!key.stop && !key.reporting) out.add(`1:${key.term}`);
    if (previous && !(previous.stop && key.stop) && !previous.reporting && !key.reporting) out.add(`${previous.term} ${key.term}`);
    previous = key;
  }
  return [...out];
}

export function isUnigram(concept: string): boolean {
  return concept.startsWith('1:');
}

/** Content terms of a query, less the words that say what to do rather than what about. */
const INSTRUCTIONS = new Set(
  `describe description discuss discussion identify information inform detail details specific specifically aspect aspects regarding
concerning concern give provide list summarize summarise summary explain track happen happened happening occur occurred event
events development developments report reports reported news story stories related relate relating include included`.split(/\s+/),
);

export function queryTermsOf(tokens: readonly Token[]): string[] {
  const terms: string[] = [];
  for (const token of tokens) {
    const key = keyOf(token);
    if (key && !key.stop && !key.reporting && !INSTRUCTIONS.has(token.normal)) terms.push(key.term);
  }
  return terms;
}
