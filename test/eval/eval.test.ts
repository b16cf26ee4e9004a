import { describe, expect, it } from 'vitest';
import { bcubed, rougeN, runEval, runFigureCases } from './evaluate.ts';

// Floors sit a little below what the core reaches today, so a regression fails but noise does not.
describe('news-core evaluation set', () => {
  const report = runEval();

  it('clusters the items into their stories', () => {
    expect(report.items).toBeGreaterThanOrEqual(90);
    expect(report.clustering.precision).toBeGreaterThanOrEqual(0.93);
    expect(report.clustering.recall).toBeGreaterThanOrEqual(0.93);
    expect(report.clustering.f1).toBeGreaterThanOrEqual(0.93);
  });

  it('finds the figure changes and no false ones', () => {
    expect(report.figureChanges.precision).toBeGreaterThanOrEqual(0.9);
    expect(report.figureChanges.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('finds the figure changes of the stress cases, and shows no dates, ages or labels', () => {
    const stress = runFigureCases();
    expect(stress.cases).toBeGreaterThanOrEqual(20);
    expect(stress.precision).toBeGreaterThanOrEqual(0.9);
    expect(stress.recall).toBeGreaterThanOrEqual(0.9);
    expect(stress.nonFigures).toEqual([]);
  });

  it('finds the new names', () => {
    expect(report.newEntities.precision).toBeGreaterThanOrEqual(0.86);
    expect(report.newEntities.recall).toBeGreaterThanOrEqual(0.89);
  });

  it('writes update summaries that share bigrams with the hand-written ones', () => {
    const mean = report.rouge2.reduce((sum, entry) => sum + entry.recall, 0) / report.rouge2.length;
    expect(report.rouge2.length).toBeGreaterThanOrEqual(5);
    expect(mean).toBeGreaterThanOrEqual(0.25);
  });
});

describe('scoring helpers', () => {
  it('computes B-cubed on a known case', () => {
    const gold = new Map([['a', 'x'], ['b', 'x'], ['c', 'y']]);
    expect(bcubed(gold, new Map([['a', '1'], ['b', '1'], ['c', '2']])).f1).toBe(1);
    const merged = bcubed(gold, new Map([['a', '1'], ['b', '1'], ['c', '1']]));
    expect(merged.recall).toBe(1);
    expect(merged.precision).toBeCloseTo(5 / 9);
  });

  it('computes ROUGE-2 recall with clipped counts', () => {
    expect(rougeN('the toll rose to 130', 'the toll rose to 130', 2).recall).toBe(1);
    expect(rougeN('the toll rose', 'the toll rose to 130', 2).recall).toBe(0.5);
  });
});
