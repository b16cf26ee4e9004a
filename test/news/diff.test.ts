import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanBaselineText, diffAgainstBaseline } from '../../src/news/index.ts';
import type { Doc } from '../../src/news/types.ts';

const raw = readFileSync(new URL('../../config/baseline/upi-2015-11-16-obama-cameron-putin.txt', import.meta.url), 'utf8');
const baseline: Doc = { id: 'baseline', ...cleanBaselineText(raw), published: '2015-11-16T12:00:00Z', source: 'UPI' };

const doc = (id: string, title: string, text: string, source = 'VOA'): Doc => ({ id, title, text, published: '2015-11-20T12:00:00Z', source });

describe('diffAgainstBaseline', () => {
  it('tells a new person from a known one with the same family name', () => {
    const known: Doc = { id: 'known', title: 'Suspect named', text: 'French police named Salah Abdeslam as a suspect in the Paris attacks.', published: '2015-11-15T12:00:00Z', source: 'UPI' };
    const brother = doc('brother', 'Bomber identified', 'Prosecutors said Ibrahim Abdeslam blew himself up outside a cafe on the Boulevard Voltaire.');
    expect(diffAgainstBaseline([brother], [known]).entities.new).toContain('Ibrahim Abdeslam');
    const lone = doc('lone', 'Hunt goes on', 'Police in Belgium said Abdeslam may have crossed the border on Saturday.');
    expect(diffAgainstBaseline([lone], [known]).entities.new).not.toContain('Abdeslam');
    const again = doc('again', 'Suspect still at large', 'Salah Abdeslam is still at large, police in Brussels said.');
    expect(diffAgainstBaseline([again], [known]).entities.new).not.toContain('Salah Abdeslam');
  });

  it('reports the revised Paris toll as a changed figure', () => {
    const item = doc('toll', 'France says Paris attacks toll rises to 130', 'The number of people killed in the attacks in Paris rose to 130 on Friday after a wounded woman died in hospital.');
    const delta = diffAgainstBaseline([item], [baseline]);
    expect(delta.figures.changed).toHaveLength(1);
    expect(delta.figures.changed[0]).toMatchObject({ from: '129', to: '130' });
    expect(delta.figures.changed[0]?.evidence).toContain('130');
  });

  it('does not report a figure the baseline already has', () => {
    const item = doc('same', 'Paris remembers', 'Residents laid flowers for the 129 people killed in the Paris attacks.');
    const delta = diffAgainstBaseline([item], [baseline]);
    expect(delta.figures.changed).toEqual([]);
    expect(delta.figures.new).toEqual([]);
  });

  it('keeps a toll of another event apart from the Paris toll', () => {
    const item = doc('crash', 'Bomb downed airliner', 'Moscow confirmed that a bomb brought down the airliner over Sinai, killing all 224 people on board.');
    const delta = diffAgainstBaseline([item], [baseline]);
    expect(delta.figures.changed).toEqual([]);
    expect(delta.figures.new.map((figure) => figure.value)).toContain('224');
  });

  it('lists new names, not the baseline names or the outlet', () => {
    const item = doc(
      'hunt',
      'Police hunt Paris suspect',
      'French police issued a warrant for Salah Abdeslam, a suspect in the attacks. VOA reported that Obama and Putin discussed Syria. Abdeslam was last seen near Brussels.',
    );
    const delta = diffAgainstBaseline([item], [baseline]);
    expect(delta.entities.new[0]).toBe('Salah Abdeslam');
    expect(delta.entities.new).toContain('Brussels');
    for (const known of ['Obama', 'Putin', 'Syria', 'VOA']) expect(delta.entities.new.join('|')).not.toContain(known);
  });

  it('returns novel sentences only, at most maxSentences, not repeating seen docs', () => {
    const item = doc(
      'mix',
      'Summit news',
      'Obama met with Putin Sunday on the sidelines of the G-20 meeting. Belgian police arrested two men in Molenbeek after a raid. France asked its European partners for military help under the EU treaty.',
    );
    const seen = doc('seen', 'Earlier', 'Belgian police arrested two men in Molenbeek after a raid.');
    const delta = diffAgainstBaseline([item], [baseline], { seen: [seen], maxSentences: 1 });
    expect(delta.sentences).toEqual(['France asked its European partners for military help under the EU treaty.']);
  });
});
