import { parseDoc, type ParsedDoc } from '../text/document.ts';
import { parseText } from '../text/nlp.ts';
import { bigrams, containment, contentTerms, cosine, norm, termFrequencies, wordCount, type Vector } from '../text/words.ts';
import type { Doc, SummarySentence } from '../types.ts';

export interface SummarizeOptions {
  /** Most words in the summary (whitespace-separated); never exceeded. */
  words: number;
  /** What the reader asked about; sentences about it rank higher. */
  query?: string;
}

/** Balance of importance against redundancy in maximal marginal relevance. */
const MMR_LAMBDA = 0.7;
const MIN_WORDS = 6;
const MAX_WORDS = 55;
const NEAR_COPY_NOVELTY = 0.25;

interface Candidate {
  text: string;
  docId: string;
  docRank: number;
  position: number;
  words: number;
  vector: Vector;
  vectorNorm: number;
  unigrams: Set<string>;
  score: number;
}

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Up to how much a sentence repeats what the baselines already say (0 new, 1 copy). */
function redundancyWith(terms: readonly string[], references: ReadonlyArray<{ unigrams: Set<string>; bigrams: Set<string> }>): number {
  const unigrams = new Set(terms);
  const pairs = new Set(bigrams(terms));
  let worst = 0;
  for (const ref of references) worst = Math.max(worst, 0.5 * containment(unigrams, ref.unigrams) + 0.5 * containment(pairs, ref.bigrams));
  return worst;
}

function candidatesOf(docs: readonly ParsedDoc[], baselines: readonly ParsedDoc[], query: Vector): Candidate[] {
  const references = baselines.flatMap((parsed) => parsed.sentenceTerms.map((terms) => ({ unigrams: new Set(terms), bigrams: new Set(bigrams(terms)) })));
  // The centre of the documents: what most of them talk about.
  const centre: Vector = new Map();
  for (const parsed of docs) for (const terms of parsed.sentenceTerms) termFrequencies([...new Set(terms)], 1, centre);
  for (const parsed of docs) for (const sentence of parsed.titleSentences) termFrequencies([...new Set(contentTerms(sentence.tokens))], 1, centre);
  const centreNorm = norm(centre);
  const queryNorm = norm(query);

  const candidates: Candidate[] = [];
  const nearCopies: Candidate[] = [];
  docs.forEach((parsed, docRank) => {
    parsed.sentences.forEach((sentence, position) => {
      const text = clean(sentence.text);
      const words = wordCount(text);
      const terms = parsed.sentenceTerms[position] ?? [];
      if (terms.length === 0) return;
      const vector = termFrequencies(terms);
      const vectorNorm = norm(vector);
      const centrality = cosine(vector, centre, vectorNorm, centreNorm);
      const relevance = queryNorm > 0 ? cosine(vector, query, vectorNorm, queryNorm) : 0;
      const lead = 1 / (1 + position);
      const novelty = 1 - redundancyWith(terms, references);
      let score = 0.45 * centrality + 0.3 * lead + (queryNorm > 0 ? 0.35 * relevance : 0);
      score *= 0.4 + 0.6 * novelty;
      // Fragments and run-on paragraphs make poor summary sentences.
      if (words < MIN_WORDS) score *= 0.3;
      if (words > MAX_WORDS) score *= 0.6;
      if (/^["“']/.test(text) && !/["”']\s*[,.]?\s*\p{Ll}+ (?:said|says|told)/u.test(text)) score *= 0.85;
      // A near copy of a baseline sentence is not an update, however central.
      const candidate = { text, docId: parsed.doc.id, docRank, position, words, vector, vectorNorm, unigrams: new Set(terms), score };
      (novelty < NEAR_COPY_NOVELTY ? nearCopies : candidates).push(candidate);
    });
  });
  // Only when the documents say nothing new does the summary fall back to what they repeat.
  return candidates.length > 0 ? candidates : nearCopies;
}

function truncate(text: string, words: number): string {
  return text.split(/\s+/).filter(Boolean).slice(0, words).join(' ');
}

/**
 * An extractive update summary: the sentences of `docs` that best cover them (and the query),
 * say what the baselines do not, and do not repeat each other, within `words` words.
 */
export function summarizeUpdate(docs: readonly Doc[], baselines: readonly Doc[], opts: SummarizeOptions): SummarySentence[] {
  const budget = Math.floor(opts.words);
  if (!(budget > 0) || docs.length === 0) return [];
  const parsed = docs.map(parseDoc);
  const query: Vector = new Map();
  if (opts.query) for (const sentence of parseText(opts.query)) termFrequencies(contentTerms(sentence.tokens), 1, query);
  const pool = candidatesOf(parsed, baselines.map(parseDoc), query);
  if (pool.length === 0) return [];

  const chosen: Candidate[] = [];
  let used = 0;
  const remaining = new Set(pool);
  while (remaining.size > 0) {
    let best: { candidate: Candidate; value: number } | undefined;
    for (const candidate of remaining) {
      if (used + candidate.words > budget) continue;
      let similarity = 0;
      for (const other of chosen) similarity = Math.max(similarity, cosine(candidate.vector, other.vector, candidate.vectorNorm, other.vectorNorm));
      const value = MMR_LAMBDA * candidate.score - (1 - MMR_LAMBDA) * similarity;
      if (similarity < 0.7 && (!best || value > best.value)) best = { candidate, value };
    }
    if (!best) break;
    chosen.push(best.candidate);
    used += best.candidate.words;
    remaining.delete(best.candidate);
  }

  if (chosen.length === 0) {
    const top = pool.reduce((a, b) => (b.score > a.score ? b : a));
    return [{ text: truncate(top.text, budget), docId: top.docId }];
  }
  // Read in document order, so a story's sentences keep their sequence.
  chosen.sort((a, b) => a.docRank - b.docRank || a.position - b.position);
  return chosen.map((candidate) => ({ text: candidate.text, docId: candidate.docId }));
}
