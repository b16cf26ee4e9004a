import { describe, expect, it } from 'vitest';
import { matchTopics } from '../../src/news/index.ts';
import type { TopicDef } from '../../src/news/types.ts';

const topics: TopicDef[] = [
  { id: 'islamic-state', name: 'Islamic State', keywords: ['Islamic State', 'Daesh'], aliases: ['IS', 'ISIS', 'ISIL'], exclude: [] },
  { id: 'syria', name: 'Syria', keywords: ['Syria'], aliases: [], exclude: [] },
  { id: 'refugees', name: 'Refugees', keywords: ['refugee'], aliases: [], exclude: [] },
  { id: 'paris', name: 'Paris attacks', keywords: ['Paris'], aliases: [], exclude: ['Paris climate'] },
];

const ids = (title: string, text = ''): string[] => matchTopics({ title, text }, topics).map((match) => match.topic);

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
