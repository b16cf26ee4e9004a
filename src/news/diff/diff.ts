import { parseDoc, type ParsedDoc } from '../text/document.ts';
import { DEMONYMS, MONTHS_AND_DAYS, OUTLETS, OUTLET_PHRASES } from '../text/gazetteer.ts';
import { containment } from '../text/words.ts';
import { normalizeName, type Mention } from '../text/entities.ts';
import type { Delta, Doc, Figure } from '../types.ts';
import { restatesFigure, sameFigure } from './figure-match.ts';

export interface DiffOptions {
  /** Documents the reader has already seen: their sentences are not news either. */
  seen?: Doc[];
  /** Most novel sentences to return (default 3). */
  maxSentences?: number;
}

const MAX_NEW_ENTITIES = 12;
const MAX_NEW_FIGURES = 8;
/** Capitalized page furniture and words that are not names of anything. */
const NOT_NAMES = new Set(['advertisement', 'photo', 'license photo', 'video', 'reporting', 'editing', 'related', 'latest headlines', 'click', 'share', 'getty images', 'file', 'update', 'updated', 'breaking', 'live', 'read more', 'ap photo', 'afp photo', 'reuters photo', 'copyright']);

function figuresOf(docs: readonly ParsedDoc[]): Figure[] {
  return docs.flatMap((parsed) => parsed.figures);
}

function isOutletOrGeneric(key: string, name: string, sources: ReadonlySet<string>): boolean {
  const lower = name.toLowerCase();
  return (
    OUTLETS.has(key) || OUTLET_PHRASES.has(key) || OUTLET_PHRASES.has(lower) || sources.has(key) || sources.has(lower) ||
    NOT_NAMES.has(key) || NOT_NAMES.has(lower) || MONTHS_AND_DAYS.has(key) || DEMONYMS.has(key) || key.length < 2
  );
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Whether `text` holds `phrase` as whole words: a plain search, no pattern built per name. */
function containsWord(text: string, phrase: string): boolean {
  if (!phrase) return false;
  for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
    const before = at > 0 ? text[at - 1]! : ' ';
    const after = at + phrase.length < text.length ? text[at + phrase.length]! : ' ';
    if (!LETTER_OR_DIGIT.test(before) && !LETTER_OR_DIGIT.test(after)) return true;
  }
  return false;
}

function newEntities(story: readonly ParsedDoc[], baselines: readonly ParsedDoc[]): string[] {
  const known = new Set<string>();
  // Family names of the people the baseline names in full: a lone "Abaaoud" is one of them.
  const knownFamilies = new Set<string>();
  for (const parsed of baselines) {
    for (const mention of parsed.mentions) {
      known.add(mention.key);
      if (mention.surname && mention.key.includes(' ')) knownFamilies.add(mention.surname);
    }
  }
  // "Ibrahim Abdeslam" is new against a baseline that names Salah Abdeslam, but not against one
  // that only says "Abdeslam"; a lone "Abdeslam" is not new against either.
  const isKnown = (mention: Mention): boolean =>
    known.has(mention.key) || (mention.surname !== undefined && known.has(mention.surname)) || (!mention.key.includes(' ') && knownFamilies.has(mention.key));
  const baselineText = baselines.map((parsed) => `${parsed.doc.title}\n${parsed.doc.text}`).join('\n').toLowerCase();
  const sources = new Set(story.flatMap((parsed) => (parsed.doc.source ? [normalizeName(parsed.doc.source), parsed.doc.source.toLowerCase()] : [])));
  const counts = new Map<string, { name: string; count: number; first: number }>();
  let order = 0;
  for (const parsed of story) {
    for (const mention of parsed.mentions) {
      order += 1;
      if (isKnown(mention) || isOutletOrGeneric(mention.key, mention.name, sources)) continue;
      const entry = counts.get(mention.key);
      if (entry) {
        entry.count += 1;
        if (mention.name.length > entry.name.length) entry.name = mention.name;
      } else counts.set(mention.key, { name: mention.name, count: 1, first: order });
    }
  }
  const mentionedInBaseline = (text: string): boolean => containsWord(baselineText, text);
  return [...counts.entries()]
    // A name the baseline spells out without our spotting it (e.g. at a sentence start) is not new.
    .filter(([key, entry]) => !mentionedInBaseline(entry.name.toLowerCase()) && !mentionedInBaseline(key))
    .sort(([, a], [, b]) => b.count - a.count || a.first - b.first)
    .slice(0, MAX_NEW_ENTITIES)
    .map(([, entry]) => entry.name);
}

function changedAndNewFigures(story: readonly ParsedDoc[], baselines: readonly ParsedDoc[], seen: readonly ParsedDoc[]): Delta['figures'] {
  // Later references are newer: a change is reported from the latest known value.
  const reference = figuresOf(baselines);
  const already = figuresOf(seen);
  const changed: Delta['figures']['changed'] = [];
  const added: Delta['figures']['new'] = [];
  const reportedChanges = new Map<Figure, Set<string>>();
  const reportedNew: Figure[] = [];
  for (const figure of figuresOf(story)) {
    if (already.some((other) => restatesFigure(figure, other) || (other.value === figure.value && sameFigure(figure, other)))) continue;
    let latest: Figure | undefined;
    let sameValueKnown = false;
    for (const other of reference) {
      if (restatesFigure(figure, other)) {
        sameValueKnown = true;
        break;
      }
      if (!sameFigure(figure, other)) continue;
      if (other.value === figure.value) sameValueKnown = true;
      latest = other;
    }
    if (sameValueKnown) continue;
    if (latest) {
      // A headline and its body often give the same update: report it once.
      const values = reportedChanges.get(latest) ?? new Set<string>();
      if (values.has(figure.value)) continue;
      values.add(figure.value);
      reportedChanges.set(latest, values);
      changed.push({ what: figure.what, from: latest.value, to: figure.value, evidence: figure.evidence });
      continue;
    }
    if (reportedNew.some((other) => other.value === figure.value && (sameFigure(figure, other) || other.what === figure.what))) continue;
    if (added.length >= MAX_NEW_FIGURES) continue;
    reportedNew.push(figure);
    added.push({ what: figure.what, value: figure.value, evidence: figure.evidence });
  }
  return { changed, new: added };
}

interface Candidate {
  text: string;
  unigrams: Set<string>;
  score: number;
}

function novelSentences(story: readonly ParsedDoc[], references: readonly ParsedDoc[], delta: Omit<Delta, 'sentences'>, max: number): string[] {
  const refSets = references.flatMap((parsed) => parsed.sentenceSets);
  const newNames = delta.entities.new.map((name) => name.toLowerCase());
  const figureEvidence = new Set([...delta.figures.changed, ...delta.figures.new].map((figure) => figure.evidence));
  const candidates: Candidate[] = [];
  const headline = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  for (const parsed of story) {
    // A headline-only item's "sentence" is its title: the story's headline already shows it.
    if (parsed.sentences === parsed.titleSentences) continue;
    const title = headline(parsed.doc.title);
    parsed.sentences.forEach((sentence, position) => {
      if (headline(sentence.text) === title) return;
      const terms = parsed.sentenceTerms[position] ?? [];
      const words = sentence.text.split(/\s+/).length;
      if (words < 5 || terms.length < 3) return;
      const { unigrams, bigrams: pairs } = parsed.sentenceSets[position]!;
      let overlap = 0;
      for (const ref of refSets) {
        const uni = containment(unigrams, ref.unigrams);
        // The bigram share can add at most 0.5: skip it when it cannot raise the overlap.
        if (uni >= 0.8) overlap = 1;
        else if ((uni + 1) / 2 > overlap) overlap = Math.max(overlap, (uni + containment(pairs, ref.bigrams)) / 2);
        // Past 0.5 the sentence is dropped whatever the other references say.
        if (overlap >= 0.5) break;
      }
      if (overlap >= 0.5) return;
      const lower = sentence.text.toLowerCase();
      const names = newNames.filter((name) => lower.includes(name)).length;
      const figures = figureEvidence.has(sentence.text) ? 1 : 0;
      const score = 2 * names + 2.5 * figures + Math.log1p(unigrams.size) + (1 - overlap) + 1 / (1 + position);
      candidates.push({ text: sentence.text, unigrams, score });
    });
  }
  candidates.sort((a, b) => b.score - a.score);
  const chosen: Candidate[] = [];
  for (const candidate of candidates) {
    if (chosen.length >= max) break;
    if (chosen.some((other) => containment(candidate.unigrams, other.unigrams) >= 0.6)) continue;
    chosen.push(candidate);
  }
  return chosen.map((candidate) => candidate.text);
}

/**
 * What a story's documents add to its baselines: names the baselines never mention, figures that
 * moved or are new, and the most informative sentences they do not already say.
 */
export function diffAgainstBaseline(story: readonly Doc[], baselines: readonly Doc[], opts: DiffOptions = {}): Delta {
  const storyDocs = story.map(parseDoc);
  const baselineDocs = baselines.map(parseDoc);
  const seenDocs = (opts.seen ?? []).map(parseDoc);
  const entities = { new: newEntities(storyDocs, baselineDocs) };
  const figures = changedAndNewFigures(storyDocs, baselineDocs, seenDocs);
  const sentences = novelSentences(storyDocs, [...baselineDocs, ...seenDocs], { entities, figures }, opts.maxSentences ?? 3);
  return { entities, figures, sentences };
}
