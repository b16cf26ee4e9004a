/** `npm run eval`: scores the news core on the labelled set in test/eval and prints a table. */
import { readFileSync } from 'node:fs';
import { summarizeUpdate } from '../src/news/index.ts';
import { loadItems, rougeN, runEval, runFigureCases } from '../test/eval/evaluate.ts';
import type { EvalReport } from '../test/eval/evaluate.ts';

/** A TAC-style update case: the reader has read `baselines` (set A); summarize `docs` (set B). */
interface UpdateCase {
  id: string;
  query: string;
  baselines: string[];
  docs: string[];
  summary: string;
}

function updateRouge(): Array<{ id: string; recall: number; f1: number }> {
  const cases = JSON.parse(readFileSync(new URL('../test/eval/update-summaries.json', import.meta.url), 'utf8')) as UpdateCase[];
  const byId = new Map(loadItems().map((item) => [item.id, item]));
  const pick = (ids: readonly string[]) => ids.flatMap((id) => byId.get(id) ?? []);
  return cases.map((entry) => {
    const text = summarizeUpdate(pick(entry.docs), pick(entry.baselines), { words: 100, query: entry.query }).map((sentence) => sentence.text).join(' ');
    return { id: entry.id, ...rougeN(text, entry.summary, 2) };
  });
}

const report = runEval();
const stress = runFigureCases();
const pct = (value: number): string => value.toFixed(3);
const rows: Array<[string, string, string, string, string]> = [
  ['measure', 'precision', 'recall', 'F1', 'n'],
  ['story clustering (B-cubed)', pct(report.clustering.precision), pct(report.clustering.recall), pct(report.clustering.f1), `${report.items} items, ${report.stories} stories`],
  ['figure changes', pct(report.figureChanges.precision), pct(report.figureChanges.recall), pct(report.figureChanges.f1), `${report.figureChanges.reported} reported, ${report.figureChanges.expected} expected`],
  ['figure changes, stress cases', pct(stress.precision), pct(stress.recall), pct(stress.f1), `${stress.reported} reported, ${stress.expected} expected, ${stress.cases} cases, ${stress.nonFigures.length} non-figures shown`],
  ['new entities', pct(report.newEntities.precision), pct(report.newEntities.recall), pct(report.newEntities.f1), `${report.newEntities.reported} reported, ${report.newEntities.expected} expected`],
];
for (const summary of report.rouge2) rows.push([`ROUGE-2, 100 words: ${summary.id}`, '', pct(summary.recall), pct(summary.f1), '']);
const mean = (pick: (entry: EvalReport['rouge2'][number]) => number): number => report.rouge2.reduce((sum, entry) => sum + pick(entry), 0) / Math.max(1, report.rouge2.length);
rows.push(['ROUGE-2, 100 words: mean', '', pct(mean((entry) => entry.recall)), pct(mean((entry) => entry.f1)), `${report.rouge2.length} summaries`]);
// The same measure with an earlier set of items as the baseline (set A), as in TAC's update task.
const updates = updateRouge();
for (const summary of updates) rows.push([`ROUGE-2, A/B update: ${summary.id}`, '', pct(summary.recall), pct(summary.f1), '']);
const updateMean = (pick: (entry: EvalReport['rouge2'][number]) => number): number => updates.reduce((sum, entry) => sum + pick(entry), 0) / Math.max(1, updates.length);
rows.push(['ROUGE-2, A/B update: mean', '', pct(updateMean((entry) => entry.recall)), pct(updateMean((entry) => entry.f1)), `${updates.length} summaries`]);
const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
for (const row of rows) process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()}\n`);
const verbose = process.argv.includes('--verbose');
if (verbose) {
  for (const miss of report.figureChanges.misses) process.stdout.write(`missed change  ${miss}\n`);
  for (const alarm of report.figureChanges.falseAlarms) process.stdout.write(`false change   ${alarm}\n`);
  for (const miss of stress.misses) process.stdout.write(`stress: missed change  ${miss}\n`);
  for (const alarm of stress.falseAlarms) process.stdout.write(`stress: false change   ${alarm}\n`);
  for (const value of stress.nonFigures) process.stdout.write(`stress: non-figure shown  ${value}\n`);
}
