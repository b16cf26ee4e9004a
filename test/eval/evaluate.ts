/**
 * The news-core evaluation: story clustering (B-cubed), figure changes and new entities over the
 * hand-labelled items in this folder, and ROUGE-2 of 100-word update summaries against
 * hand-written ones. Used by `npm run eval` and by eval.test.ts (which asserts floors).
 */
import { readFileSync } from 'node:fs';
import { StoryIndex, cleanBaselineText, diffAgainstBaseline, summarizeUpdate } from '../../src/news/index.ts';
import { normalizeName } from '../../src/news/text/entities.ts';
import type { Doc } from '../../src/news/types.ts';

export interface EvalItem extends Doc {
  published: string;
  story: string;
  /** Expected changes against the baseline and the earlier items of the same story. */
  changes: Array<{ from: string; to: string }>;
  /** Names in the item that the baseline does not have. */
  entities: string[];
}

interface SummaryCase {
  id: string;
  query: string;
  docs: string[];
  summary: string;
}

export interface Score {
  precision: number;
  recall: number;
  f1: number;
}

export interface EvalReport {
  items: number;
  stories: number;
  clustering: Score;
  figureChanges: Score & { expected: number; reported: number; misses: string[]; falseAlarms: string[] };
  newEntities: Score & { expected: number; reported: number };
  rouge2: Array<{ id: string; recall: number; f1: number }>;
}

const here = new URL('./', import.meta.url);
const BASELINE_FILE = new URL('../../config/baseline/upi-2015-11-16-obama-cameron-putin.txt', import.meta.url);
const BASELINE_PUBLISHED = '2015-11-16T00:00:00Z';

export function loadItems(): EvalItem[] {
  return readFileSync(new URL('items.jsonl', here), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as EvalItem);
}

export function loadBaseline(): Doc {
  const { title, text } = cleanBaselineText(readFileSync(BASELINE_FILE, 'utf8'));
  return { id: 'baseline', title, text, published: '2015-11-16T12:00:00Z', source: 'UPI' };
}

function score(truePositives: number, reported: number, expected: number): Score {
  const precision = reported === 0 ? 1 : truePositives / reported;
  const recall = expected === 0 ? 1 : truePositives / expected;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

function byPublished(a: EvalItem, b: EvalItem): number {
  return a.published.localeCompare(b.published) || a.id.localeCompare(b.id);
}

/** B-cubed precision and recall of predicted clusters against the gold story labels. */
export function bcubed(gold: ReadonlyMap<string, string>, predicted: ReadonlyMap<string, string>): Score {
  const members = (labels: ReadonlyMap<string, string>): Map<string, Set<string>> => {
    const groups = new Map<string, Set<string>>();
    for (const [id, label] of labels) {
      let group = groups.get(label);
      if (!group) groups.set(label, (group = new Set()));
      group.add(id);
    }
    return groups;
  };
  const goldGroups = members(gold);
  const predictedGroups = members(predicted);
  let precision = 0;
  let recall = 0;
  for (const id of gold.keys()) {
    const mine = predictedGroups.get(predicted.get(id)!)!;
    const truth = goldGroups.get(gold.get(id)!)!;
    let both = 0;
    for (const other of mine) if (truth.has(other)) both += 1;
    precision += both / mine.size;
    recall += both / truth.size;
  }
  precision /= gold.size;
  recall /= gold.size;
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall) };
}

function evaluateClustering(items: readonly EvalItem[]): Score {
  const index = new StoryIndex({ windowHours: 72 });
  for (const item of [...items].sort(byPublished)) index.add(item);
  const gold = new Map(items.map((item) => [item.id, item.story]));
  const predicted = new Map(items.map((item) => [item.id, index.storyOf(item.id) ?? item.id]));
  return bcubed(gold, predicted);
}

/** What a reader knew before an item: the baseline (once published) and the story's earlier items. */
function referencesOf(item: EvalItem, ordered: readonly EvalItem[], baseline: Doc): Doc[] {
  const earlier = ordered.filter((other) => other.story === item.story && byPublished(other, item) < 0);
  return item.published >= BASELINE_PUBLISHED ? [baseline, ...earlier] : earlier;
}

const sameName = (a: string, b: string): boolean => {
  const x = normalizeName(a);
  const y = normalizeName(b);
  if (x === y) return true;
  const xs = x.split(' ');
  const ys = y.split(' ');
  // "Abaaoud" for "Abdelhamid Abaaoud", "Security Council" for "UN Security Council".
  const suffix = (short: string[], long: string[]): boolean => short.length < long.length && short.join(' ') === long.slice(-short.length).join(' ');
  return suffix(xs, ys) || suffix(ys, xs);
};

export function runEval(): EvalReport {
  const items = loadItems();
  const baseline = loadBaseline();
  const ordered = [...items].sort(byPublished);

  let changeHits = 0;
  let changeReported = 0;
  let changeExpected = 0;
  const misses: string[] = [];
  const falseAlarms: string[] = [];
  let entityHits = 0;
  let entityReported = 0;
  let entityExpected = 0;

  for (const item of ordered) {
    const references = referencesOf(item, ordered, baseline);
    const delta = diffAgainstBaseline([item], references);
    const expected = [...item.changes];
    changeExpected += expected.length;
    for (const change of delta.figures.changed) {
      changeReported += 1;
      const at = expected.findIndex((gold) => gold.from === change.from && gold.to === change.to);
      if (at >= 0) {
        changeHits += 1;
        expected.splice(at, 1);
      } else falseAlarms.push(`${item.id}: ${change.what}: ${change.from} -> ${change.to}`);
    }
    for (const gold of expected) misses.push(`${item.id}: ${gold.from} -> ${gold.to}`);

    // New names are judged against the baseline alone, as the brief shows them.
    const names = item.published >= BASELINE_PUBLISHED ? diffAgainstBaseline([item], [baseline]).entities.new : delta.entities.new;
    const wanted = [...item.entities];
    entityExpected += wanted.length;
    for (const name of names) {
      entityReported += 1;
      const at = wanted.findIndex((gold) => sameName(gold, name));
      if (at >= 0) {
        entityHits += 1;
        wanted.splice(at, 1);
      }
    }
  }

  const cases = JSON.parse(readFileSync(new URL('summaries.json', here), 'utf8')) as SummaryCase[];
  const byId = new Map(items.map((item) => [item.id, item]));
  const rouge2 = cases.map((entry) => {
    const docs = entry.docs.map((id) => byId.get(id)).filter((doc): doc is EvalItem => doc !== undefined);
    const summary = summarizeUpdate(docs, [baseline], { words: 100, query: entry.query }).map((sentence) => sentence.text).join(' ');
    return { id: entry.id, ...rougeN(summary, entry.summary, 2) };
  });

  return {
    items: items.length,
    stories: new Set(items.map((item) => item.story)).size,
    clustering: evaluateClustering(items),
    figureChanges: { ...score(changeHits, changeReported, changeExpected), expected: changeExpected, reported: changeReported, misses, falseAlarms },
    newEntities: { ...score(entityHits, entityReported, entityExpected), expected: entityExpected, reported: entityReported },
    rouge2,
  };
}

/** A hand-written figure case: baselines (\`"upi"\` is the config baseline) and one item, with labels. */
interface FigureCase {
  id: string;
  style: string;
  baselines: Array<'upi' | { title: string; text: string }>;
  item: { title: string; text: string };
  /** Figure changes the item makes against its baselines, as values. */
  changes: Array<{ from: string; to: string }>;
  /** Numbers in the item that count nothing (dates, times, ages, labels) or repeat a known figure: never reported. */
  notFigures: string[];
}

export interface FigureCaseReport extends Score {
  cases: number;
  expected: number;
  reported: number;
  misses: string[];
  falseAlarms: string[];
  /** Numbers labelled as no figure (or no news) that were reported as changed or new. */
  nonFigures: string[];
}

export function loadFigureCases(): FigureCase[] {
  return readFileSync(new URL('figure-cases.jsonl', here), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as FigureCase);
}

/** Figure-change precision and recall over the stress cases in figure-cases.jsonl. */
export function runFigureCases(): FigureCaseReport {
  const cases = loadFigureCases();
  const upi = loadBaseline();
  let hits = 0;
  let reported = 0;
  let expectedTotal = 0;
  const misses: string[] = [];
  const falseAlarms: string[] = [];
  const nonFigures: string[] = [];
  for (const entry of cases) {
    const baselines: Doc[] = entry.baselines.map((ref, index) =>
      ref === 'upi' ? upi : { id: `${entry.id}-base-${index}`, title: ref.title, text: ref.text, published: '2015-11-16T12:00:00Z', source: 'Wire' },
    );
    const item: Doc = { id: entry.id, title: entry.item.title, text: entry.item.text, published: '2015-11-20T12:00:00Z', source: 'Wire' };
    const delta = diffAgainstBaseline([item], baselines);
    const expected = [...entry.changes];
    expectedTotal += expected.length;
    for (const change of delta.figures.changed) {
      reported += 1;
      const at = expected.findIndex((gold) => gold.from === change.from && gold.to === change.to);
      if (at >= 0) {
        hits += 1;
        expected.splice(at, 1);
      } else falseAlarms.push(`${entry.id}: ${change.what}: ${change.from} -> ${change.to}`);
    }
    for (const gold of expected) misses.push(`${entry.id}: ${gold.from} -> ${gold.to}`);
    const shown = [...delta.figures.changed.map((change) => change.to), ...delta.figures.new.map((figure) => figure.value)];
    for (const value of entry.notFigures) if (shown.includes(value)) nonFigures.push(`${entry.id}: ${value}`);
  }
  return { ...score(hits, reported, expectedTotal), cases: cases.length, expected: expectedTotal, reported, misses, falseAlarms, nonFigures };
}

function ngrams(text: string, n: number): Map<string, number> {
  // Lower-cased word n-grams without punctuation, as ROUGE does (no stemming, no stopword removal).
  const words = text.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, ' ').split(/\s+/).filter(Boolean);
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= words.length; i += 1) {
    const gram = words.slice(i, i + n).join(' ');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/** ROUGE-N recall and F1 of a candidate against one reference (clipped n-gram counts). */
export function rougeN(candidate: string, reference: string, n: number): { recall: number; f1: number } {
  const cand = ngrams(candidate, n);
  const ref = ngrams(reference, n);
  let overlap = 0;
  let refTotal = 0;
  let candTotal = 0;
  for (const [gram, count] of ref) {
    refTotal += count;
    overlap += Math.min(count, cand.get(gram) ?? 0);
  }
  for (const count of cand.values()) candTotal += count;
  const recall = refTotal ? overlap / refTotal : 0;
  const precision = candTotal ? overlap / candTotal : 0;
  return { recall, f1: recall + precision ? (2 * recall * precision) / (recall + precision) : 0 };
}
