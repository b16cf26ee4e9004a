import { describe, expect, it } from 'vitest';
import { matchTopics } from '../../src/news/index.ts';
import type { TopicDef } from '../../src/news/types.ts';

const topics: TopicDef[] = [
  {
    id: 'islamic-state',
    name: 'Islamic State',
    keywords: ['Islamic State', 'Daesh'],
    aliases: ['IS', 'ISIS', 'ISIL'],
    exclude: [],
  },
  { id: 'syria', name: 'Syria', keywords: ['Syria'], aliases: [], exclude: [] },
  { id: 'refugees', name: 'Refugees', keywords: ['refugee'], aliases: [], exclude: [] },
  { id: 'paris', name: 'Paris attacks', keywords: ['Paris'], aliases: [], exclude: ['Paris climate'] },
];

const ids = (title: string, text = ''): string[] =>
  matchTopics({ title, text }, topics).map((match) => match.topic);

describe('matchTopics', () => {
  it('matches all-caps aliases only in capitals', () => {
    expect(ids('What is the state of the economy?')).toEqual([]);
    expect(ids('IS claims the attack')).toEqual(['islamic-state']);
    expect(ids('Strikes on ISIL and ISIS')).toEqual(['islamic-state']);
  });

  it('matches keyword phrases on word boundaries in any case', () => {
    expect(ids('the islamic state group')).toEqual(['islamic-state']);
    expect(ids('DAESH fighters')).toEqual(['islamic-state']);
    expect(ids('Syriac church')).toEqual([]);
  });

  it('accepts possessives and plurals of keywords and returns the words as written', () => {
    expect(matchTopics({ title: "Syria's war", text: 'Refugees arrive.' }, topics)).toEqual([
      { topic: 'syria', matched: ["Syria's"] },
      { topic: 'refugees', matched: ['Refugees'] },
    ]);
  });

  it('lets an exclusion block the topic', () => {
    expect(ids('Paris climate talks open')).toEqual([]);
    expect(ids('Paris mourns')).toEqual(['paris']);
  });
});

// Cases a scan of the text's word tokens could get wrong.
describe('matchTopics word tokens', () => {
  const more: TopicDef[] = [
    ...topics,
    { id: 'g20', name: 'G-20', keywords: ['G-20', 'Group of 20', 'asylum seeker'], aliases: [], exclude: [] },
    { id: 'buses', name: 'Buses', keywords: ['bus'], aliases: [], exclude: [] },
  ];
  const matched = (title: string, text = ''): Array<[string, string[]]> =>
    matchTopics({ title, text }, more).map((match) => [match.topic, match.matched]);

  it('takes plurals in "s" or "es" only, and of the last word only', () => {
    expect(matched('Refugees and buses')).toEqual([
      ['refugees', ['Refugees']],
      ['buses', ['buses']],
    ]);
    expect(matched('refugeeses, refugeed, busses')).toEqual([]);
    expect(matched('asylum seekers, asylums seeker')).toEqual([['g20', ['asylum seekers']]]);
  });

  it('takes possessives with the keyword', () => {
    expect(matched("Syria's refugees' camps")).toEqual([
      ['syria', ["Syria's"]],
      ['refugees', ["refugees'"]],
    ]);
    expect(matched('Syria’s war')).toEqual([['syria', ['Syria’s']]]);
  });

  it('matches a hyphenated keyword written with a hyphen, a space or run together as words only', () => {
    expect(matched('G-20 summit; G 20 leaders; the Group of 20')).toEqual([
      ['g20', ['G-20', 'G 20', 'Group of 20']],
    ]);
    expect(matched('G-200, XG-20, G-20s')).toEqual([['g20', ['G-20s']]]);
  });

  it('matches a case-sensitive alias in capitals only, and not inside shouted text', () => {
    expect(matched('This is what his IS said')).toEqual([['islamic-state', ['IS']]]);
    expect(matched('Is this ISLAM? THIS')).toEqual([]);
    expect(matched('WHAT IS THE STATE OF THE ECONOMY')).toEqual([]);
  });

  it('matches at the very start and end of the text', () => {
    expect(matchTopics({ title: 'Syria', text: 'Paris' }, more).map((match) => match.matched)).toEqual([
      ['Syria'],
      ['Paris'],
    ]);
    expect(matched('IS')).toEqual([['islamic-state', ['IS']]]);
  });

  it('treats letters outside ASCII as part of the word', () => {
    expect(matched('éSyria, Syriaé, Syria_1, 2Syria, ΣSyria')).toEqual([]);
    expect(matched('(Syria), «Syria»')).toEqual([['syria', ['Syria']]]);
  });

  it('keeps positions when lower-casing changes the length of the text', () => {
    expect(matched('İstanbul: Syria, refugees, IS')).toEqual([
      ['islamic-state', ['IS']],
      ['syria', ['Syria']],
      ['refugees', ['refugees']],
    ]);
  });

  it('lists each topic in the given order with its words in order of first appearance', () => {
    expect(matched('Refugees of Syria; SYRIA, Syria and refugees')).toEqual([
      ['syria', ['Syria', 'SYRIA']],
      ['refugees', ['Refugees', 'refugees']],
    ]);
  });

  const places: TopicDef[] = [
    { id: 'places', name: 'Places', keywords: ['Syria', 'U.S.', 'İstanbul'], aliases: [], exclude: [] },
  ];
  const placeWords = (text: string): string[][] =>
    matchTopics({ title: '', text }, places).map((match) => match.matched);

  it('lists words in order of appearance however they were found', () => {
    // "U.S." is matched by a regular expression, after the scan of word tokens.
    expect(placeWords('U.S. and Syria')).toEqual([['U.S.', 'Syria']]);
    expect(placeWords('Syria, İstanbul, U.S., Syria')).toEqual([['Syria', 'İstanbul', 'U.S.']]);
  });

  it('matches a keyword written with "İ" however the text writes it', () => {
    // Lower-cased as a whole, "İ" becomes "i" and a combining dot: neither side may be.
    expect(placeWords('İstanbul, ISTANBUL or Istanbul')).toEqual([['İstanbul', 'ISTANBUL', 'Istanbul']]);
    expect(
      matchTopics({ title: '', text: 'An İSTANBUL summit' }, [
        { id: 'i', name: 'i', keywords: ['istanbul'], aliases: [], exclude: [] },
      ]),
    ).toEqual([{ topic: 'i', matched: ['İSTANBUL'] }]);
  });

  it('compiles equal topic lists alike', () => {
    const copy = JSON.parse(JSON.stringify(more)) as TopicDef[];
    const doc = { title: 'Paris climate talks', text: 'IS and Syria' };
    expect(matchTopics(doc, copy)).toEqual(matchTopics(doc, more));
    const changed = copy.map((topic) => (topic.id === 'paris' ? { ...topic, exclude: [] } : topic));
    expect(matchTopics(doc, changed).map((match) => match.topic)).toContain('paris');
  });

  it('tells apart first words that share a lookup bucket', () => {
    // 6,000 words over a few thousand buckets: many share one, and only the word that stands in
    // the text (or its plural, or an alias in capitals) may match.
    const words = Array.from({ length: 6_000 }, (_, index) => `w${index.toString(36)}`);
    const list: TopicDef[] = words.map((word, index) => ({
      id: word,
      name: word,
      keywords: index % 3 === 0 ? [word] : [],
      aliases: index % 3 === 1 ? [word.toUpperCase()] : [],
      exclude: [],
    }));
    const text = words
      .map((word, index) => (index % 3 === 1 ? word.toUpperCase() : index % 3 === 0 ? `${word}s` : word))
      .join(' and ');
    const found = matchTopics({ title: '', text }, list).map((match) => match.topic);
    expect(found).toEqual(words.filter((_, index) => index % 3 !== 2));
    expect(matchTopics({ title: '', text: words.map((word) => `${word}_z`).join(' ') }, list)).toEqual([]);
  });
});

describe('matchTopics: the word finder and the token lookup agree', () => {
  // Lists of a few ASCII and non-ASCII words are searched with one regular expression of their
  // first words; a list holding an astral character, or too many first words, has every token of
  // the text looked up instead. An extra topic whose only keyword can never occur moves a list
  // from the first way to the second without changing what it should find.
  const lists: TopicDef[][] = [
    topics,
    [
      {
        id: 'islamic-state',
        name: 'IS',
        keywords: ['Islamic State', 'Daesh'],
        aliases: ['IS', 'ISIS', 'ΣΥΡΙΖΑ', 'ΚΚΕΣ'],
        exclude: ['is it'],
      },
      {
        id: 'places',
        name: 'Places',
        keywords: ['Zürich', 'İstanbul', 'Øresund', 'Αθήνα', 'G-20', 'Saint-Denis', 'école'],
        aliases: ['ÉTAT'],
        exclude: [],
      },
      {
        id: 'refugees',
        name: 'Refugees',
        keywords: ['refugee', 'asylum seeker', 'bus'],
        aliases: [],
        exclude: [],
      },
    ],
  ];
  const never: TopicDef = { id: 'never', name: 'never', keywords: ['𝔛𝔜'], aliases: [], exclude: [] };
  const many: TopicDef = {
    id: 'many',
    name: 'many',
    keywords: Array.from({ length: 200 }, (_, index) => `qqz${index}`),
    aliases: [],
    exclude: [],
  };

  // Fragments meant to sit right next to a keyword: letters outside ASCII, digits, marks, apostrophes.
  const fragments = [
    'Syria',
    'SYRIA',
    'syrian',
    'Syrias',
    'Syriaes',
    'IS',
    'is',
    'Is',
    'ISIS',
    'isis',
    'ISIL',
    'Islamic',
    'State',
    'islamic state',
    'Daesh',
    'refugee',
    'Refugees',
    'refugeees',
    'asylum',
    'seeker',
    'seekers',
    'bus',
    'buses',
    'Paris',
    'climate',
    'Zürich',
    'ZÜRICH',
    'zurich',
    'İstanbul',
    'ISTANBUL',
    'istanbul',
    'Øresund',
    'ØRESUND',
    'Αθήνα',
    'ΑΘΗΝΑ',
    'αθηνα',
    'ΣΥΡΙΖΑ',
    'συριζα',
    'ΚΚΕΣ',
    'κκες',
    'G',
    'G-20',
    'g20',
    '20',
    'Saint',
    'Denis',
    'école',
    'ÉCOLE',
    'ÉTAT',
    'état',
    'it',
    'é',
    'ß',
    'ǅ',
    'Σ',
    'ς',
    '_',
    '1',
    '\u0301',
    '𝔛',
    '’s',
    "'s",
    "'",
    '-',
    ' ',
    ' ',
    '\u00a0',
    '\n',
    ', ',
    '. ',
    '«',
    '»',
    '(',
    ')',
  ];
  let seed = 7;
  const random = (below: number): number => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return (seed >>> 8) % below;
  };
  const docs = Array.from({ length: 3_000 }, () => {
    const parts = Array.from({ length: 3 + random(25) }, () => fragments[random(fragments.length)] as string);
    return { title: parts.slice(0, 3).join(''), text: parts.slice(3).join(random(2) === 0 ? '' : ' ') };
  });

  it.each(lists.map((list, index) => [index, list] as const))(
    'list %i: the same topics and words both ways',
    (_, list) => {
      let found = 0;
      for (const doc of docs) {
        const byFinder = matchTopics(doc, list);
        found += byFinder.length;
        expect(
          matchTopics(doc, [...list, never]).filter((match) => match.topic !== 'never'),
          JSON.stringify(doc),
        ).toEqual(byFinder);
        expect(
          matchTopics(doc, [...list, many]).filter((match) => match.topic !== 'many'),
          JSON.stringify(doc),
        ).toEqual(byFinder);
      }
      // The documents exercise the lists: most match something.
      expect(found).toBeGreaterThan(docs.length / 2);
    },
  );
});
