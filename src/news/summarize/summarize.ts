import { parseDoc, type ParsedDoc, type TermSets } from '../text/document.ts';
import { parseText, type Token } from '../text/nlp.ts';
import { containment, wordCount } from '../text/words.ts';
import type { Doc, SummarySentence } from '../types.ts';
import { conceptsOfTokens, isUnigram, queryTermsOf } from './concepts.ts';
import { reflowDoc } from './reflow.ts';

export interface SummarizeOptions {
  /** Most words in the summary (whitespace-separated); never exceeded. */
  words: number;
  /** What the reader asked about; sentences about it rank higher. */
  query?: string;
}

/**
 * An update summary covers the concepts (word pairs, see concepts.ts) that the new documents
 * share, as in ICSI's concept-coverage summarizer (Gillick and Favre, 2009): a concept is worth the
 * number of new documents that say it, and little below a document-frequency floor, since what
 * one outlet mentions in passing is rarely what the story is. For an update, a concept is worth
 * the share of its frequency that is new: its rate in the new documents over its rate in the new
 * and the baseline documents together, so what every baseline already said counts for little and
 * what the new documents say far more often still counts. Query words raise a concept's worth a
 * little: the documents were gathered for the query already, and ICSI did well ignoring it.
 *
 * Sentences are chosen greedily for the uncovered concept weight they add per word (the
 * cost-scaled greedy of Lin and Bilmes, 2010, with the cost softened, checked against the best
 * single sentence), with a prior that favours a story's lead and marks down fragments, questions, bare quotes and
 * sentences that lean on the one before. The words left over are filled with the start of the
 * next best sentence, cut at a word boundary and marked with an ellipsis.
 */
/** Weight of a single content word against a word pair. */
const UNIGRAM_SHARE = 0.2;
/** Weight left to a concept below the document-frequency floor. */
const SUBTHRESHOLD_SHARE = 0.1;
const QUERY_BOOST = 1.5;
/** The lead sentence's bonus; it fades with position (1 + LEAD_BONUS / (1 + position)). */
const LEAD_BONUS = 0.5;
const MIN_WORDS = 7;
/**
 * Gain is divided by length to this power: 1 is the knapsack ratio, which favours short scraps;
 * Lin and Bilmes (2010) found a scale below 1 better for summaries.
 */
const LENGTH_EXPONENT = 0.5;
const MAX_WORDS = 50;
/** A sentence that mostly repeats a baseline sentence is not an update. */
const NEAR_COPY_NOVELTY = 0.3;
/** Two chosen sentences never overlap more than this (share of the shorter's concepts). */
const MAX_OVERLAP = 0.6;
/** Fewest words worth filling with the start of a sentence. */
const MIN_FILL = 3;
const ELLIPSIS = '…';

interface Candidate {
  text: string;
  tokens: readonly Token[];
  docId: string;
  docRank: number;
  position: number;
  words: number;
  concepts: string[];
  /** Multiplier for the lead, fragments, quotes and the like. */
  prior: number;
}

const DANGLING_START = /^(?:he|she|it|they|this|that|these|those|but|and|or|so|however|also|meanwhile|still|then|there|here)\b/i;
const ENDS_SENTENCE = /[.!?]["'”’)\]]*$/;

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Document frequency of each concept over the documents' titles and sentences. */
function documentFrequency(docs: readonly ParsedDoc[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const parsed of docs) {
    const seen = new Set<string>();
    const sentences = parsed.sentences === parsed.titleSentences ? parsed.sentences : [...parsed.titleSentences, ...parsed.sentences];
    for (const sentence of sentences) for (const concept of conceptsOfTokens(sentence.tokens)) seen.add(concept);
    for (const concept of seen) counts.set(concept, (counts.get(concept) ?? 0) + 1);
  }
  return counts;
}

/** The document-frequency floor: ICSI kept concepts in 3 of 10 documents; 2 from 3 documents on. */
function minimumFrequency(documents: number): number {
  return documents >= 3 ? Math.max(2, Math.round(documents / 4)) : 1;
}

function conceptWeights(docs: readonly ParsedDoc[], baselines: readonly ParsedDoc[], query: ReadonlySet<string>): Map<string, number> {
  const inNew = documentFrequency(docs);
  const inBaseline = documentFrequency(baselines);
  const floor = minimumFrequency(docs.length);
  const weights = new Map<string, number>();
  for (const [concept, count] of inNew) {
    let weight = count >= floor ? count : SUBTHRESHOLD_SHARE * count;
    const unigram = isUnigram(concept);
    if (unigram) weight *= UNIGRAM_SHARE;
    const known = inBaseline.get(concept) ?? 0;
    if (known > 0) {
      const rateNew = count / docs.length;
      const rateOld = known / baselines.length;
      weight *= (rateNew / (rateNew + rateOld));
    }
    const terms = unigram ? [concept.slice(2)] : concept.split(' ');
    if (terms.some((term) => query.has(term))) weight *= QUERY_BOOST;
    weights.set(concept, weight);
  }
  return weights;
}

/** Up to how much a sentence repeats what the baselines already say (0 new, 1 copy). */
function redundancyWith(sets: TermSets, references: readonly TermSets[]): number {
  let worst = 0;
  for (const ref of references) worst = Math.max(worst, 0.5 * containment(sets.unigrams, ref.unigrams) + 0.5 * containment(sets.bigrams, ref.bigrams));
  return worst;
}

/** How fit a sentence is to stand in a summary on its own, apart from what it says. */
function priorOf(text: string, words: number, position: number): number {
  let prior = 1 + LEAD_BONUS / (1 + position);
  // Fragments, run-on paragraphs and bare quotes make poor summary sentences.
  if (words < MIN_WORDS) prior *= 0.3;
  if (words > MAX_WORDS) prior *= 0.6;
  if (/^["“']/.test(text) && !/["”']\s*[,.]?\s*\p{Ll}+ (?:said|says|told)/u.test(text)) prior *= 0.8;
  if (/\?["”']?$/.test(text)) prior *= 0.6;
  // A line that does not end as a sentence does is a headline, caption or byline.
  if (!ENDS_SENTENCE.test(text)) prior *= 0.6;
  if (/https?:\/\/|www\.|@\w/.test(text)) prior *= 0.3;
  // "He said...", "But...": a sentence leaning on one before it reads badly out of place.
  if (DANGLING_START.test(text)) prior *= 0.7;
  return prior;
}

function candidatesOf(docs: readonly ParsedDoc[], baselines: readonly ParsedDoc[]): { pool: Candidate[]; nearCopies: Candidate[] } {
  const references = baselines.flatMap((parsed) => parsed.sentenceSets);
  const pool: Candidate[] = [];
  const nearCopies: Candidate[] = [];
  const seen = new Set<string>();
  docs.forEach((parsed, docRank) => {
    parsed.sentences.forEach((sentence, position) => {
      const text = clean(sentence.text);
      const concepts = conceptsOfTokens(sentence.tokens);
      // The same sentence from a syndicated copy adds nothing.
      if (concepts.length === 0 || seen.has(text)) return;
      seen.add(text);
      const words = wordCount(text);
      const candidate: Candidate = { text, tokens: sentence.tokens, docId: parsed.doc.id, docRank, position, words, concepts, prior: priorOf(text, words, position) };
      const novelty = 1 - redundancyWith(parsed.sentenceSets[position]!, references);
      (novelty < NEAR_COPY_NOVELTY ? nearCopies : pool).push(candidate);
    });
  });
  return { pool, nearCopies };
}

function gainOf(concepts: readonly string[], weights: ReadonlyMap<string, number>, covered: ReadonlySet<string>): number {
  let gain = 0;
  for (const concept of concepts) if (!covered.has(concept)) gain += weights.get(concept) ?? 0;
  return gain;
}

function overlap(a: Candidate, b: Candidate): number {
  const small = a.concepts.length <= b.concepts.length ? a : b;
  const large = new Set(small === a ? b.concepts : a.concepts);
  if (small.concepts.length === 0) return 0;
  let shared = 0;
  for (const concept of small.concepts) if (large.has(concept)) shared += 1;
  return shared / small.concepts.length;
}

/** Prior-weighted concept weight of a set of sentences, each concept counted once. */
function valueOf(chosen: readonly Candidate[], weights: ReadonlyMap<string, number>): number {
  const covered = new Set<string>();
  let value = 0;
  for (const candidate of chosen) {
    value += candidate.prior * gainOf(candidate.concepts, weights, covered);
    for (const concept of candidate.concepts) covered.add(concept);
  }
  return value;
}

/** Greedy concept coverage within the word budget: best added weight per word first. */
function chooseGreedy(pool: readonly Candidate[], weights: ReadonlyMap<string, number>, budget: number): Candidate[] {
  const covered = new Set<string>();
  const chosen: Candidate[] = [];
  let used = 0;
  const remaining = new Set(pool);
  for (;;) {
    let best: { candidate: Candidate; value: number } | undefined;
    for (const candidate of remaining) {
      if (used + candidate.words > budget) {
        remaining.delete(candidate);
        continue;
      }
      const value = (candidate.prior * gainOf(candidate.concepts, weights, covered)) / Math.max(candidate.words, MIN_WORDS) ** LENGTH_EXPONENT;
      if (value > 0 && (!best || value > best.value)) best = { candidate, value };
    }
    if (!best) break;
    remaining.delete(best.candidate);
    if (chosen.some((other) => overlap(best.candidate, other) > MAX_OVERLAP)) continue;
    chosen.push(best.candidate);
    used += best.candidate.words;
    for (const concept of best.candidate.concepts) covered.add(concept);
  }
  return chosen;
}

function choose(pool: readonly Candidate[], weights: ReadonlyMap<string, number>, budget: number): Candidate[] {
  const greedy = chooseGreedy(pool, weights, budget);
  // Cost-scaled greedy can be beaten by one long sentence that says much: keep the better.
  let single: Candidate | undefined;
  let singleValue = 0;
  for (const candidate of pool) {
    if (candidate.words > budget) continue;
    const value = candidate.prior * gainOf(candidate.concepts, weights, new Set());
    if (value > singleValue) [single, singleValue] = [candidate, value];
  }
  return single && singleValue > valueOf(greedy, weights) ? [single] : greedy;
}

/** The first `words` words of a candidate, with the concepts they hold. */
function prefixOf(candidate: Candidate, words: number): { text: string; concepts: string[] } {
  const text = candidate.text.split(' ').slice(0, words).join(' ');
  // Whitespace-separated words start at tokens with a space before them (and at the first).
  const tokens: Token[] = [];
  let started = 0;
  for (const [index, token] of candidate.tokens.entries()) {
    if (index === 0 || token.spaceBefore) started += 1;
    if (started > words) break;
    tokens.push(token);
  }
  return { text, concepts: conceptsOfTokens(tokens) };
}

/** The start of the sentence that best fills `words` words, or undefined when none adds anything. */
function fill(pool: readonly Candidate[], chosen: readonly Candidate[], weights: ReadonlyMap<string, number>, words: number): Candidate | undefined {
  const covered = new Set(chosen.flatMap((candidate) => candidate.concepts));
  const taken = new Set(chosen);
  let best: { candidate: Candidate; value: number } | undefined;
  for (const candidate of pool) {
    if (taken.has(candidate) || chosen.some((other) => overlap(candidate, other) > MAX_OVERLAP)) continue;
    const prefix = candidate.words <= words ? { text: candidate.text, concepts: candidate.concepts } : prefixOf(candidate, words);
    const value = candidate.prior * gainOf(prefix.concepts, weights, covered);
    if (value > 0 && (!best || value > best.value)) {
      const text = candidate.words <= words ? prefix.text : `${prefix.text.replace(/[\s,;:.!?—–-]+$/u, '')}${ELLIPSIS}`;
      best = { candidate: { ...candidate, text, concepts: prefix.concepts, words: wordCount(text) }, value };
    }
  }
  return best?.candidate;
}

function queryTerms(query: string | undefined): Set<string> {
  const terms = new Set<string>();
  if (query) for (const sentence of parseText(query)) for (const term of queryTermsOf(sentence.tokens)) terms.add(term);
  return terms;
}

/**
 * An extractive update summary: the sentences of `docs` that best cover what they say (and the
 * query), say what the baselines do not, and do not repeat each other, within `words` words.
 */
export function summarizeUpdate(docs: readonly Doc[], baselines: readonly Doc[], opts: SummarizeOptions): SummarySentence[] {
  const budget = Math.floor(opts.words);
  if (!(budget > 0) || docs.length === 0) return [];
  const prepared = docs.map(reflowDoc);
  const parsed = prepared.map((doc) => parseDoc(doc));
  const baselineDocs = baselines.map((doc) => parseDoc(reflowDoc(doc)));
  const query = queryTerms(opts.query);
  const weights = conceptWeights(parsed, baselineDocs, query);
  const { pool, nearCopies } = candidatesOf(parsed, baselineDocs);
  // Only when the documents say nothing new does the summary fall back to what they repeat.
  const candidates = pool.length > 0 ? pool : nearCopies;
  if (candidates.length === 0) return [];

  const chosen = choose(candidates, weights, budget);
  // Read in document order, so a story's sentences keep their sequence.
  chosen.sort((a, b) => a.docRank - b.docRank || a.position - b.position);
  const used = chosen.reduce((sum, candidate) => sum + candidate.words, 0);
  const left = budget - used;
  const last = left >= Math.min(MIN_FILL, budget) ? fill(candidates, chosen, weights, left) : undefined;
  const sentences = last ? [...chosen, last] : chosen;
  const docIds = new Map(prepared.map((doc, index) => [doc.id, docs[index]!.id]));
  return sentences.map((candidate) => ({ text: candidate.text, docId: docIds.get(candidate.docId) ?? candidate.docId }));
}
