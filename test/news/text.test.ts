import { describe, expect, it } from 'vitest';
import { analyzeText, diffAgainstBaseline } from '../../src/news/index.ts';

describe('analyzeText: sentences', () => {
  it('keeps abbreviations such as U.S. and Nov. inside sentences', () => {
    const { sentences } = analyzeText('U.S. President Barack Obama spoke on Nov. 16 in Turkey. Putin listened.');
    expect(sentences).toEqual(['U.S. President Barack Obama spoke on Nov. 16 in Turkey.', 'Putin listened.']);
  });
});

describe('analyzeText: entities', () => {
  const text =
    "U.S. President Barack Obama and British Prime Minister David Cameron urged Russian President Vladimir Putin's government to act. " +
    'Putin met Bashar al-Assad. Police searched Saint-Denis on Friday. The Islamic State claimed the attacks. Killings continued.';
  const { entities } = analyzeText(text);
  const byKey = new Map(entities.map((entity) => [entity.key, entity]));

  it('finds names without their titles and strips possessives', () => {
    expect(byKey.get('barack obama')?.name).toBe('Barack Obama');
    expect(byKey.get('david cameron')?.name).toBe('David Cameron');
    expect(byKey.get('vladimir putin')?.name).toBe('Vladimir Putin');
    expect(entities.some((entity) => /President|Minister|'s/.test(entity.name))).toBe(false);
  });

  it('gives a surname-only mention the key of the full name', () => {
    expect(entities.filter((entity) => /putin/.test(entity.key))).toHaveLength(1);
    expect(byKey.get('vladimir putin')?.kind).toBe('person');
  });

  it('keeps two people who share a family name apart, and gives a lone family name to the one named last', () => {
    const people = analyzeText(
      'Police are hunting Salah Abdeslam. His brother Ibrahim Abdeslam blew himself up outside a cafe. Investigators say Abdeslam had rented a flat.',
    ).entities.filter((entity) => entity.kind === 'person');
    expect(people.map((entity) => entity.name)).toEqual(['Salah Abdeslam', 'Ibrahim Abdeslam']);
    expect(new Set(people.map((entity) => entity.key)).size).toBe(2);
    // Before either full name, a lone family name goes to the first one named after it.
    const early = analyzeText('Abdeslam is on the run. Salah Abdeslam is wanted, and Ibrahim Abdeslam is dead.').entities;
    expect(early.filter((entity) => entity.kind === 'person').map((entity) => entity.name)).toEqual(['Salah Abdeslam', 'Ibrahim Abdeslam']);
  });

  it('takes a given name that opens a sentence for the person named in full', () => {
    const found = analyzeText('Police stopped Salah Abdeslam at the border on Saturday. Salah was let go after an hour.').entities;
    expect(found.map((entity) => entity.name)).toEqual(['Salah Abdeslam']);
    const alone = analyzeText('Salah Abdeslam rented a car in Brussels. Salah drove it to Paris.').entities;
    expect(alone.filter((entity) => entity.kind === 'person').map((entity) => entity.name)).toEqual(['Salah Abdeslam']);
    expect(alone.some((entity) => entity.name === 'Salah')).toBe(false);
  });

  it('reads a full name that opens a sentence, even when the given name looks like a country', () => {
    const found = analyzeText('Francois Hollande spoke on Saturday. Hollande called the attacks an act of war.').entities;
    expect(found).toEqual([{ name: 'Francois Hollande', key: 'francois hollande', kind: 'person' }]);
  });

  it('drops a nationality word before a name but keeps it in an institution\'s name', () => {
    const names = analyzeText('The European Union and the Arab League met. A Russian Su-24 was shot down as the Syrian Army advanced.').entities.map(
      (entity) => entity.name,
    );
    expect(names).toEqual(expect.arrayContaining(['European Union', 'Arab League', 'Su-24', 'Syrian Army']));
    expect(names).not.toContain('Union');
    expect(names).not.toContain('Russian Su-24');
  });

  it('keeps hyphenated names and tells kinds apart', () => {
    expect(byKey.get('bashar al-assad')?.name).toBe('Bashar al-Assad');
    expect(byKey.get('saint-denis')?.kind).toBe('place');
    expect(byKey.get('islamic state')?.kind).toBe('organization');
    expect(byKey.get('united states')?.kind).toBe('place');
  });

  it('drops days and sentence-initial common words', () => {
    expect(byKey.has('friday')).toBe(false);
    expect(byKey.has('killings')).toBe(false);
    expect(byKey.has('police')).toBe(false);
  });

  it('normalizes U.S., US and United States to one key', () => {
    const keys = (source: string): string[] => analyzeText(source).entities.map((entity) => entity.key);
    expect(keys('Officials in the United States agreed.')).toContain('united states');
    expect(keys('Officials in the US agreed.')).toContain('united states');
  });
});

describe('analyzeText: figures', () => {
  const figure = (text: string) => analyzeText(text).figures;

  it('reads qualifiers and the counted thing', () => {
    const [killed] = figure('The Paris attacks killed at least 129 people on Friday.');
    expect(killed).toMatchObject({ value: '129', number: 129, qualifier: 'at least' });
    expect(killed?.what).toMatch(/people/);
    const [fled, reached] = figure('More than 3 million Syrians have fled to Turkey and nearly 800,000 have reached Europe.');
    expect(fled).toMatchObject({ value: '3000000', qualifier: 'more than' });
    expect(fled?.what).toBe('Syrians who fled to Turkey');
    expect(reached).toMatchObject({ value: '800000', qualifier: 'nearly' });
    expect(reached?.what).toBe('Syrians who reached Europe');
  });

  it('reads number words and ranges', () => {
    expect(figure('Three million people need aid.')[0]).toMatchObject({ value: '3000000', number: 3000000 });
    expect(figure('Two soldiers were wounded.')[0]).toMatchObject({ value: '2' });
    expect(figure('IS has lost between 20 and 25 percent of its territory.')[0]).toMatchObject({ value: '20-25', qualifier: 'range', number: 20 });
    expect(figure('IS lost 20 to 25 percent of its land.')[0]?.what).toMatch(/percent/);
  });

  it('describes a revised toll by its subject', () => {
    const [toll] = figure('The number of people killed in the attacks in Paris on 13 November rose to 130.');
    expect(toll?.value).toBe('130');
    expect(toll?.what).toMatch(/killed.*Paris/);
  });

  it('ignores years, dates, times, ordinals, resolution numbers and ages', () => {
    const text =
      'In 2015, on Nov. 13 at 9:20 p.m., the third raid took place. Resolution 2249 passed. Salah Abdeslam, 26, fled. The 45-year-old man and a man aged 30 were held.';
    expect(figure(text)).toEqual([]);
  });
});

describe('figure labels', () => {
  it('puts irregular and doubled past forms right', () => {
    const label = (text: string): string[] => analyzeText(text).figures.map((figure) => `${figure.what}: ${figure.value}`);
    expect(label('Police arrested him in raids in Brussels on Sunday and let 15 other people go.')).toEqual(['other people let go: 15']);
    expect(label('Officials said troops stopped 40 trucks at the border.')).toEqual(['trucks stopped: 40']);
    expect(label('The army carried 300 refugees to safety.')).toEqual(['refugees carried: 300']);
  });
});

describe('headline-only items', () => {
  it('do not take a Title Case headline for a name', () => {
    const item = { id: 'h1', title: 'France Identifies Third Bataclan Attacker', text: '', published: '2015-12-09T00:00:00Z', source: 'VOA' };
    const baseline = { id: 'b', title: 'Leaders meet', text: 'Barack Obama met Vladimir Putin in Turkey on Monday.', published: '2015-11-16T00:00:00Z', source: 'UPI' };
    const names = diffAgainstBaseline([item], [baseline]).entities.new;
    expect(names).not.toContain('France Identifies Third Bataclan Attacker');
  });
});
