import { describe, expect, it } from 'vitest';
import { summarizeUpdate } from '../../src/news/index.ts';
import type { Doc } from '../../src/news/types.ts';

const doc = (id: string, title: string, text: string): Doc => ({ id, title, text, published: '2015-11-20T12:00:00Z', source: '' });

const baseline = doc('base', 'Obama, Cameron urge Putin to focus on Islamic State', 'Obama and Cameron urged Putin to focus Russian strikes in Syria on the Islamic State. The attacks in Paris killed 129 people.');
const items = [
  doc('a', 'Paris toll rises', 'The attacks in Paris killed 129 people. The toll rose to 130 when a wounded woman died in hospital on Friday. French police named a third attacker at the Bataclan concert hall.'),
  doc('b', 'Russia strikes Raqqa', 'Russian bombers struck Raqqa, the stronghold of the Islamic State in Syria. Moscow said a bomb brought down its airliner over Sinai.'),
];
const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;

describe('summarizeUpdate', () => {
  it('never exceeds the word budget and traces each sentence to its doc', () => {
    for (const budget of [5, 12, 25, 40, 100]) {
      const summary = summarizeUpdate(items, [baseline], { words: budget });
      const total = summary.reduce((sum, sentence) => sum + words(sentence.text), 0);
      expect(total).toBeGreaterThan(0);
      expect(total).toBeLessThanOrEqual(budget);
      for (const sentence of summary) expect(['a', 'b']).toContain(sentence.docId);
    }
  });

  it('leaves out what the baseline already says', () => {
    const summary = summarizeUpdate(items, [baseline], { words: 60 });
    expect(summary.map((sentence) => sentence.text)).not.toContain('The attacks in Paris killed 129 people.');
  });

  it('prefers sentences about the query', () => {
    const news = [
      doc('x', 'Raids in Brussels', 'Belgian police arrested two men in Brussels on Sunday night.'),
      doc('y', 'Strikes on Raqqa', 'Russian bombers struck two targets near Raqqa on Sunday night.'),
    ];
    const [raqqa] = summarizeUpdate(news, [baseline], { words: 10, query: 'Raqqa bombers' });
    expect(raqqa?.docId).toBe('y');
    const [brussels] = summarizeUpdate(news, [baseline], { words: 10, query: 'Brussels police raids' });
    expect(brussels?.docId).toBe('x');
  });

  it('does not repeat a sentence said twice', () => {
    const twice = [items[0]!, { ...items[0]!, id: 'copy' }];
    const texts = summarizeUpdate(twice, [baseline], { words: 100 }).map((sentence) => sentence.text);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('truncates at a word boundary when even the best sentence is too long', () => {
    const summary = summarizeUpdate(items, [baseline], { words: 3 });
    expect(summary).toHaveLength(1);
    expect(words(summary[0]!.text)).toBe(3);
  });

  it('prefers what several documents report over what one mentions in passing', () => {
    const reports = [
      doc('r1', 'Belgium raises alert', 'Belgium raised the Brussels terror alert to its highest level on Saturday. A local football match was moved to another town.'),
      doc('r2', 'Brussels on top alert', 'The Brussels terror alert was raised to its highest level, and the metro was shut. A museum postponed an exhibition opening.'),
      doc('r3', 'Metro closed', 'Brussels shut its metro as the terror alert stayed at its highest level. A bakery owner said trade was slow.'),
    ];
    const summary = summarizeUpdate(reports, [baseline], { words: 20 }).map((sentence) => sentence.text).join(' ');
    expect(summary).toMatch(/terror alert/);
    expect(summary).not.toMatch(/football|museum|bakery/);
  });
});


describe('summarizeUpdate, update-task details', () => {
  it('fills the words left with the start of the next best sentence, marked as cut', () => {
    const summary = summarizeUpdate(items, [baseline], { words: 30 });
    const total = summary.reduce((sum, sentence) => sum + words(sentence.text), 0);
    expect(total).toBe(30);
    expect(summary.at(-1)!.text).toMatch(/…$/);
    expect(summary.slice(0, -1).every((sentence) => !sentence.text.endsWith('…'))).toBe(true);
  });

  it('weighs down what every baseline document already said', () => {
    const earlier = [
      doc('a1', 'Hotel siege in Bamako', 'Gunmen stormed the Radisson Blu hotel in Bamako and took about 170 hostages.'),
      doc('a2', 'Bamako hotel attacked', 'Gunmen stormed the Radisson Blu hotel in Bamako on Friday morning.'),
    ];
    const later = [
      doc('b1', 'Toll revised', 'Gunmen stormed the Radisson Blu hotel in Bamako on Friday. Officials revised the death toll to 21 on Sunday.'),
      doc('b2', 'Mali mourns', 'Gunmen stormed the Radisson Blu hotel in Bamako, killing guests. Officials revised the death toll to 21 after a recount.'),
    ];
    const [first] = summarizeUpdate(later, earlier, { words: 12 });
    expect(first?.text).toMatch(/revised the death toll to 21/);
  });

  it('reads text wrapped at a fixed width as whole sentences', () => {
    const wrapped = doc(
      'w',
      'House votes to pause refugee program',
      [
        'The Republican-led House of Representatives voted 289 to 137 on Thursday to',
        'suspend a program to resettle Syrian and Iraqi refugees until screening is',
        'made tougher. President Obama, attending a summit in Manila, said he would',
        'veto the bill if it reached his desk.',
      ].join('\n'),
    );
    const texts = summarizeUpdate([wrapped], [baseline], { words: 100 }).map((sentence) => sentence.text);
    expect(texts).toContain('The Republican-led House of Representatives voted 289 to 137 on Thursday to suspend a program to resettle Syrian and Iraqi refugees until screening is made tougher.');
    expect(summarizeUpdate([wrapped], [baseline], { words: 100 }).every((sentence) => sentence.docId === 'w')).toBe(true);
  });
});
