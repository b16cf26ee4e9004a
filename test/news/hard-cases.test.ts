import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StoryIndex, analyzeText, cleanBaselineText, clusterStories, diffAgainstBaseline, matchTopics } from '../../src/news/index.ts';
import type { Doc, TopicDef } from '../../src/news/types.ts';

const raw = readFileSync(new URL('../../config/baseline/upi-2015-11-16-obama-cameron-putin.txt', import.meta.url), 'utf8');
const baseline: Doc = { id: 'baseline', ...cleanBaselineText(raw), published: '2015-11-16T12:00:00Z', source: 'UPI' };
const doc = (id: string, title: string, text: string, published = '2015-11-20T12:00:00Z', source = 'Wire'): Doc => ({ id, title, text, published, source });

describe('hard cases: topics', () => {
  const topics: TopicDef[] = [{ id: 'islamic-state', name: 'Islamic State', keywords: ['Islamic State', 'Daesh'], aliases: ['IS', 'ISIS', 'ISIL'], exclude: [] }];
  it('matches every alias of the group and explains what matched', () => {
    for (const title of ['ISIL fighters retreat', 'Daesh loses Sinjar', 'ISIS video', 'IS claims attack', 'Islamic State group'])
      expect(matchTopics({ title, text: '' }, topics).map((match) => match.topic)).toEqual(['islamic-state']);
    expect(matchTopics({ title: 'IS claims attack', text: '' }, topics)[0]?.matched).toEqual(['IS']);
  });
  it('does not take the verb "is" or "the state" for the group', () => {
    expect(matchTopics({ title: 'What is the state of play', text: 'It is late. The state is calm.' }, topics)).toEqual([]);
  });
});

describe('hard cases: figures', () => {
  it('reports 129 -> 130 for the Paris toll', () => {
    const delta = diffAgainstBaseline([doc('t', 'Paris toll rises to 130', 'The number of people killed in the Paris attacks rose to 130 after a woman died in hospital.')], [baseline]);
    expect(delta.figures.changed.map((change) => [change.from, change.to])).toEqual([['129', '130']]);
    expect(delta.figures.changed[0]?.what).toBe('people killed in the Paris attacks');
  });
  it('reads "three million" as "3 million" and sees no change', () => {
    expect(analyzeText('Three million Syrians have fled.').figures[0]?.value).toBe('3000000');
    const delta = diffAgainstBaseline([doc('r', 'Refugees', 'More than three million Syrians are thought to have fled to Turkey, Lebanon, Jordan and Iraq.')], [baseline]);
    expect(delta.figures.changed).toEqual([]);
    expect(delta.figures.new).toEqual([]);
  });
  it('reports 3 million -> 4 million refugees, but not 10,000 admitted or 65,000 proposed', () => {
    const letter = doc('l', 'Letter to governors', 'The letter said more than 4 million Syrians are now refugees, in Jordan, Turkey, Iraq and Lebanon.');
    expect(diffAgainstBaseline([letter], [baseline]).figures.changed.map((change) => [change.from, change.to])).toEqual([['3000000', '4000000']]);
    const plan = doc('p', 'Governors balk', 'Obama said he would take in 10,000 Syrian refugees. Hillary Clinton proposed admitting 65,000 Syrians.');
    const delta = diffAgainstBaseline([plan], [baseline]);
    expect(delta.figures.changed).toEqual([]);
    expect(delta.figures.new.map((figure) => figure.value)).toEqual(['10000', '65000']);
  });
  it('keeps the Bamako toll apart from the Paris toll, and tracks 22 -> 21', () => {
    const first = doc('m1', 'Mali hotel attack', 'At least 22 people were killed when gunmen attacked the Radisson Blu hotel in Bamako.', '2015-11-21T05:00:00Z');
    const second = doc('m2', 'Toll revised', 'Officials revised the number of people killed in the Bamako hotel attack down to 21.', '2015-11-22T07:00:00Z');
    expect(diffAgainstBaseline([first], [baseline]).figures.changed).toEqual([]);
    expect(diffAgainstBaseline([second], [baseline, first]).figures.changed.map((change) => [change.from, change.to])).toEqual([['22', '21']]);
  });
  it('drops small numbers that count nothing noteworthy', () => {
    const values = analyzeText('The two nations are united, 11 days after the attacks. Both leaders agreed on the need to act. Police detained 23 people.').figures.map((figure) => figure.value);
    expect(values).toEqual(['23']);
  });
});

describe('hard cases: entities', () => {
  const names = (text: string, title = 'Report'): string[] => diffAgainstBaseline([doc('e', title, text)], [baseline]).entities.new;
  it('normalizes an all-caps dateline and drops the agency code', () => {
    const found = names('BRUSSELS (GW) — Belgium raised its alert. Police searched homes.');
    expect(found).toContain('Brussels');
    expect(found).not.toContain('BRUSSELS');
    expect(found).not.toContain('GW');
  });
  it('cuts a dated wire dateline, keeping its place', () => {
    const found = names('WASHINGTON, Nov. 19 (Xinhua) -- Lawmakers voted on the bill. Officials welcomed the vote.');
    expect(found).toContain('Washington');
    expect(found.join(' ')).not.toMatch(/Xinhua|Nov/);
  });
  it('strips title words and nationality adjectives from names', () => {
    const found = names('Secretary of Homeland Security Jeh Johnson spoke. Turkey shot down a Russian Su-24 jet. Republican candidates objected. Resolution 2249 passed.');
    expect(found).toContain('Jeh Johnson');
    expect(found).toContain('Su-24');
    for (const bad of ['Security Jeh Johnson', 'Russian Su-24', 'Republican', 'Resolution']) expect(found).not.toContain(bad);
  });
});

describe('hard cases: stories', () => {
  const wire = doc('w1', 'Belgium raises Brussels terror alert to highest level', 'Belgium raised the terror alert for its capital to the highest level early on Saturday, warning of a serious and imminent threat, and told residents to avoid concerts and stations.', '2015-11-21T08:00:00Z', 'Global Wire');
  it('groups a syndicated copy with a different headline', () => {
    const copy = { ...wire, id: 'w2', title: "Belgian capital on top alert over 'imminent' threat", source: 'Metro Herald', published: '2015-11-21T10:00:00Z' };
    const stories = clusterStories([wire, copy], { windowHours: 72 });
    expect(stories).toHaveLength(1);
    expect(stories[0]?.sources).toEqual(['Global Wire', 'Metro Herald']);
  });
  it('keeps the Paris attacks and the Bamako hotel attack apart', () => {
    const paris = doc('p', 'Paris attacks toll rises to 130', 'The number of people killed in the attacks in Paris rose to 130 after a wounded woman died.', '2015-11-20T18:00:00Z');
    const bamako = doc('b', 'Gunmen kill 22 in attack on Bamako hotel', 'At least 22 people were killed when gunmen attacked the Radisson Blu hotel in Bamako, Mali.', '2015-11-20T20:00:00Z');
    expect(clusterStories([paris, bamako], { windowHours: 72 })).toHaveLength(2);
  });
  it('rebuilds the same stories from a snapshot and prunes old ones', () => {
    const index = new StoryIndex({ windowHours: 72 });
    const bamako = doc('b', 'Gunmen kill 22 in attack on Bamako hotel', 'At least 22 people were killed when gunmen attacked the Radisson Blu hotel in Bamako, Mali.', '2015-11-20T20:00:00Z');
    index.add(bamako);
    index.add(wire);
    const copy = StoryIndex.fromJSON(JSON.parse(JSON.stringify(index.toJSON())) as ReturnType<StoryIndex['toJSON']>);
    expect(copy.stories()).toEqual(index.stories());
    const bamakoStory = index.storyOf('b');
    expect(index.prune(new Date('2015-11-24T00:00:00Z'))).toEqual([bamakoStory]);
    expect(index.stories()).toHaveLength(1);
    expect(index.storyOf('b')).toBeUndefined();
  });
});
