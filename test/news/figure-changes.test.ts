import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeText, cleanBaselineText, diffAgainstBaseline } from '../../src/news/index.ts';
import type { Doc } from '../../src/news/types.ts';

// Hard cases of figure-change detection found by the stress set in test/eval/figure-cases.jsonl.
const raw = readFileSync(new URL('../../config/baseline/upi-2015-11-16-obama-cameron-putin.txt', import.meta.url), 'utf8');
const upi: Doc = { id: 'baseline', ...cleanBaselineText(raw), published: '2015-11-16T12:00:00Z', source: 'UPI' };
const doc = (id: string, title: string, text: string): Doc => ({ id, title, text, published: '2015-11-20T12:00:00Z', source: 'Wire' });
const changes = (item: Doc, baselines: Doc[] = [upi]): string[][] => diffAgainstBaseline([item], baselines).figures.changed.map((change) => [change.from, change.to]);
const shown = (item: Doc, baselines: Doc[] = [upi]): string[] => {
  const delta = diffAgainstBaseline([item], baselines);
  return [...delta.figures.changed.map((change) => change.to), ...delta.figures.new.map((figure) => figure.value)];
};

describe('figure changes: how updates are worded', () => {
  it('reads "up to" after a toll or a revision verb as the new value, not as "at most"', () => {
    expect(changes(doc('h', 'Authorities revise Paris attack toll up to 130', ''))).toEqual([['129', '130']]);
    expect(analyzeText('Up to 500 people may have died in the quake.').figures[0]).toMatchObject({ qualifier: 'at most', event: 'DEATH' });
  });

  it('takes what a revision verb raised from its object: "raised their offer of aid to $3.2 billion"', () => {
    const before = doc('b', 'EU offers aid', 'European Union leaders offered $1.5 billion in aid to help Turkey care for Syrian refugees.');
    const after = doc('a', 'EU raises offer', 'European Union leaders raised their offer of aid to help Turkey care for Syrian refugees to $3.2 billion on Sunday.');
    expect(changes(after, [before])).toEqual([['1500000000', '3200000000']]);
  });

  it('counts money by its currency, so dollars never change into people', () => {
    const [money] = analyzeText('Donors pledged $1.5 billion for Syrians displaced by the war.').figures;
    expect(money).toMatchObject({ value: '1500000000', counted: 'usd' });
    expect(money?.what).toContain('dollars');
    const people = doc('p', 'Refugees', 'Donors said 1.5 billion people had been displaced.');
    expect(changes(doc('m', 'Aid', 'Donors pledged $2 billion for people displaced.'), [people])).toEqual([]);
  });

  it('lets a range opened by "between" keep the verb before it', () => {
    const before = doc('b', 'Kerry', 'Kerry said Islamic State had lost between 20 and 25 percent of the territory it once held.');
    const after = doc('a', 'Officials', 'U.S. officials now say Islamic State has lost about 30 percent of the territory it once held.');
    expect(analyzeText(before.text).figures[0]).toMatchObject({ value: '20-25', event: 'lose' });
    expect(changes(after, [before])).toEqual([['20-25', '30']]);
  });

  it('reads "130 dead" and "a toll of 130" as deaths', () => {
    expect(analyzeText('The attacks left 130 dead.').figures[0]).toMatchObject({ event: 'DEATH' });
    expect(analyzeText('The toll of 130 makes it the deadliest attack in France since the war.').figures[0]).toMatchObject({ event: 'DEATH' });
  });
});

describe('figure changes: who is counted', () => {
  it('takes a nationality ("Syrians") and a kind of people ("refugees") for the same count of the same place', () => {
    expect(changes(doc('e', 'Europe', 'Nearly 900,000 refugees have reached Europe this year.'))).toEqual([['800000', '900000']]);
    const turks = doc('t', 'Turkey', 'Some 2,000 Turks were detained in Ankara.');
    expect(changes(doc('s', 'Syria', 'Some 3,000 refugees were detained in Aleppo.'), [turks])).toEqual([]);
  });
});

describe('figure changes: figures of another event or place', () => {
  it('gives a count in a relative clause to the event before it, not a later one', () => {
    const item = doc('s', 'UK welcomes vote', 'The resolution also condemned the attack on a beach resort in Sousse, Tunisia, in June, in which 30 Britons were killed, as well as the Paris attacks.');
    expect(changes(item)).toEqual([]);
  });

  it('does not carry an event or a place across a colon or a semicolon', () => {
    const item = doc('j', 'Paris, attacked twice', 'It was the second deadly assault on Paris this year: in January, gunmen killed 17 people at a satirical magazine and a kosher supermarket in the city.');
    expect(changes(item)).toEqual([]);
  });
});

describe('figure changes: numbers that are no news', () => {
  it('does not show a known toll told in other words as new', () => {
    const item = doc('r', 'IS says it was behind Paris assaults', 'Islamic State has said it was behind the Nov. 13 assaults on Paris, in which 129 people died.');
    expect(shown(item)).toEqual([]);
  });

  it('takes a house number for an address, not a count', () => {
    const item = doc('a', 'Saint-Denis raid', 'Police stormed an apartment at 48 Rue de la Republique in Saint-Denis on Wednesday; two suspects died and eight people were arrested.');
    expect(shown(item)).not.toContain('48');
    expect(analyzeText('The prime minister spoke outside 10 Downing Street.').figures).toEqual([]);
  });
});
