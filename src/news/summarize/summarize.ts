import { parseDoc, type ParsedDoc, type TermSets } from '../text/document.ts';
import { parseText } from '../text/nlp.ts';
import { containment, contentTerms, wordCount } from '../text/words.ts';
import type { Doc, SummarySentence } from '../types.ts';

export interface SummarizeOptions {
  /** Most words in the summary (whitespace-separated); never exceeded. */
  words: number;
  /** What the reader asked about; sentences about it rank higher. */
  query?: string;
}

/**
 * Summaries are built from concepts, as in the concept-coverage summarizers that did well at
 * TAC: the content-word pairs and words of the new documents, each worth the number of documents
 * that say it (what many outlets repeat is what matters), less when the baseline already says
 * it, more when it is about the query. Sentences are chosen greedily for the concept weight they
 * add per word, so a concept counts once and the summary does not repeat itself.
 */
const UNIGRAM_SHARE = 0.2;
/** Weight left to a concept the baseline already has: old news, but context for the new. */
const BASELINE_SHARE = 0.15;
const QUERY_BOOST = 1.5;
/** Concepts said by one document only count this much when several documents are summarized. */
const SINGLETON_SHARE = 0.1;
/** Lead sentences carry a story's news: a small bonus that fades with position. */
const LEAD_BONUS = 0.25;
const MIN_WORDS = 7;
const MAX_WORDS = 50;
/** A sentence that mostly repeats a baseline sentence is not an update. */
const NEAR_COPY_NOVELTY = 0.3;
/** A sentence worth less than this share of the first chosen one is not added. */
const MIN_VALUE_SHARE = 0.1;
/** Two chosen sentences never overlap more than this (share of the shorter's concepts). */
const MAX_OVERLAP = 0.6;

interface Candidate {
  text: string;
  docId: string;
  docRank: number;
  position: number;
  words: number;
  concepts: string[];
  /** Multiplier for quotes, fragments and the lead. */
  prior: number;
}

const DANGLING_START = /^(?:he|she|it|they|this|that|these|those|but|and|however|also|meanwhile|still)\b/i;

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function conceptsOf(terms: readonly string[]): string[] {
  const concepts = new Set<string>();
  for (let i = 0; i < terms.length; i += 1) {
    concepts.add(terms[i]!);
    if (i > 0) concepts.add(`${terms[i - 1]} ${terms[i]}`);
  }
  return [...concepts];
}

/** Up to how much a sentence repeats what the baselines already say (0 new, 1 copy). */
function redundancyWith(sets: TermSets, references: readonly TermSets[]): number {
  let worst = 0;
  for (const ref of references) worst = Math.max(worst, 0.5 * containment(sets.unigrams, ref.unigrams) + 0.5 * containment(sets.bigrams, ref.bigrams));
  return worst;
}

function conceptWeights(docs: readonly ParsedDoc[], baselines: readonly ParsedDoc[], query: ReadonlySet<string>): Map<string, number> {
  const documentCount = new Map<string, number>();
  for (const parsed of docs) {
    const seen = new Set<string>();
    for (const terms of [...parsed.titleTerms, ...parsed.sentenceTerms]) for (const concept of conceptsOf(terms)) seen.add(concept);
    for (const concept of seen) documentCount.set(concept, (documentCount.get(concept) ?? 0) + 1);
  }
  const known = new Set<string>();
  for (const parsed of baselines) for (const terms of [...parsed.titleTerms, ...parsed.sentenceTerms]) for (const concept of conceptsOf(terms)) known.add(concept);
  const weights = new Map<string, number>();
  for (const [concept, count] of documentCount) {
    const pair = concept.includes(' ');
    let weight = pair ? count : UNIGRAM_SHARE * count;
    if (count === 1 && docs.length >= 3) weight *= SINGLETON_SHARE;
    if (known.has(concept)) weight *= BASELINE_SHARE;
    if (concept.split(' ').some((term) => query.has(term))) weight *= QUERY_BOOST;
    weights.set(concept, weight);
  }
  return weights;
}

function candidatesOf(docs: readonly ParsedDoc[], baselines: readonly ParsedDoc[]): { pool: Candidate[]; nearCopies: Candidate[] } {
  const references = baselines.flatMap((parsed) => parsed.sentenceSets);
  const pool: Candidate[] = [];
  const nearCopies: Candidate[] = [];
  const seen = new Set<string>();
  docs.forEach((parsed, docRank) => {
    parsed.sentences.forEach((sentence, position) => {
      const text = clean(sentence.text);
      const terms = parsed.sentenceTerms[position] ?? [];
      // The same sentence from a syndicated copy adds nothing.
      if (terms.length === 0 || seen.has(text)) return;
      seen.add(text);
      const words = wordCount(text);
      let prior = 1 + LEAD_BONUS / (1 + position);
      // Fragments, run-on paragraphs and bare quotes make poor summary sentences.
      if (words < MIN_WORDS) prior *= 0.3;
      if (words > MAX_WORDS) prior *= 0.6;
      if (/^["“']/.test(text) && !/["”']\s*[,.]?\s*\p{Ll}+ (?:said|says|told)/u.test(text)) prior *= 0.8;
      if (/\?$/.test(text)) prior *= 0.6;
      // "He said...", "But...": a sentence leaning on one before it reads badly out of place.
      if (DANGLING_START.test(text)) prior *= 0.7;
      const candidate: Candidate = { text, docId: parsed.doc.id, docRank, position, words, concepts: conceptsOf(terms), prior };
      const novelty = 1 - redundancyWith(parsed.sentenceSets[position]!, references);
      (novelty < NEAR_COPY_NOVELTY ? nearCopies : pool).push(candidate);
    });
  });
  return { pool, nearCopies };
}

function truncate(text: string, words: number): string {
  return text.split(/\s+/).filter(Boolean).slice(0, words).join(' ');
}

function overlap(a: Candidate, b: Candidate): number {
  const small = a.concepts.length <= b.concepts.length ? a : b;
  const large = new Set(small === a ? b.concepts : a.concepts);
  if (small.concepts.length === 0) return 0;
  let shared = 0;
  for (const concept of small.concepts) if (large.has(concept)) shared += 1;
  return shared / small.concepts.length;
}

/** Greedy concept coverage within the word budget: best added weight per word first. */
function choose(pool: readonly Candidate[], weights: ReadonlyMap<string, number>, budget: number): Candidate[] {
  const covered = new Set<string>();
  const chosen: Candidate[] = [];
  let used = 0;
  let firstValue: number | undefined;
  const remaining = new Set(pool);
  for (;;) {
    let best: { candidate: Candidate; value: number } | undefined;
    for (const candidate of remaining) {
      if (used + candidate.words > budget) continue;
      let gain = 0;
      for (const concept of candidate.concepts) if (!covered.has(concept)) gain += weights.get(concept) ?? 0;
      // Per word, softened so a long informative sentence is not beaten by a short scrap.
      const value = (candidate.prior * gain) / Math.sqrt(Math.max(candidate.words, MIN_WORDS));
      if (value > 0 && (!best || value > best.value)) best = { candidate, value };
    }
    // A sentence worth a small share of the first adds filler, not news: stop there.
    if (!best || best.value < MIN_VALUE_SHARE * (firstValue ?? best.value)) break;
    firstValue ??= best.value;
    remaining.delete(best.candidate);
    if (chosen.some((other) => overlap(best.candidate, other) > MAX_OVERLAP)) continue;
    chosen.push(best.candidate);
    used += best.candidate.words;
    for (const concept of best.candidate.concepts) covered.add(concept);
  }
  return chosen;
}

/**
 * An extractive update summary: the sentences of `docs` that best cover what they say (and the
 * query), say what the baselines do not, and do not repeat each other, within `words` words.
 */
export function summarizeUpdate(docs: readonly Doc[], baselines: readonly Doc[], opts: SummarizeOptions): SummarySentence[] {
  const budget = Math.floor(opts.words);
  if (!(budget > 0) || docs.length === 0) return [];
  const parsed = docs.map(parseDoc);
  const query = new Set<string>();
  if (opts.query) for (const sentence of parseText(opts.query)) for (const term of contentTerms(sentence.tokens)) query.add(term);
  const baselineDocs = baselines.map(parseDoc);
  const weights = conceptWeights(parsed, baselineDocs, query);
  const { pool, nearCopies } = candidatesOf(parsed, baselineDocs);
  // Only when the documents say nothing new does the summary fall back to what they repeat.
  const candidates = pool.length > 0 ? pool : nearCopies;
  if (candidates.length === 0) return [];

  const chosen = choose(candidates, weights, budget);
  if (chosen.length === 0) {
    const score = (candidate: Candidate): number => candidate.prior * candidate.concepts.reduce((sum, concept) => sum + (weights.get(concept) ?? 0), 0);
    const top = candidates.reduce((a, b) => (score(b) > score(a) ? b : a));
    return [{ text: truncate(top.text, budget), docId: top.docId }];
  }
  // Read in document order, so a story's sentences keep their sequence.
  chosen.sort((a, b) => a.docRank - b.docRank || a.position - b.position);
  return chosen.map((candidate) => ({ text: candidate.text, docId: candidate.docId }));
}
