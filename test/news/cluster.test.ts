import { describe, expect, it } from 'vitest';
import { StoryIndex, clusterStories } from '../../src/news/index.ts';
import type { Doc } from '../../src/news/types.ts';

const doc = (id: string, title: string, text: string, published: string, source: string): Doc => ({ id, title, text, published, source });

const voa = doc('voa-1', 'Paris attacks death toll rises to 130', 'The death toll from the coordinated attacks in Paris rose to 130 after a wounded woman died in hospital, French Prime Minister Manuel Valls said.', '2015-11-20T10:00:00Z', 'VOA');
const bbc = doc('bbc-1', 'Paris attacks: Toll climbs to 130 as victim dies', 'A woman wounded in the Paris attacks has died in hospital, bringing the death toll to 130, Prime Minister Manuel Valls told parliament.', '2015-11-20T12:00:00Z', 'BBC');
const other = doc('dod-1', 'US jets strike Islamic State oil trucks in Syria', 'American aircraft destroyed 116 fuel trucks used by the Islamic State near Deir el-Zour in eastern Syria, the Pentagon said.', '2015-11-16T18:00:00Z', 'DoD');

describe('clusterStories', () => {
  it('puts two outlets reporting one event together and a different event apart', () => {
    const stories = clusterStories([voa, other, bbc], { windowHours: 72 });
    expect(stories).toHaveLength(2);
    const paris = stories.find((story) => story.itemIds.includes('voa-1'));
    expect(paris?.itemIds.sort()).toEqual(['bbc-1', 'voa-1']);
    expect(paris?.sources.sort()).toEqual(['BBC', 'VOA']);
    expect(paris?.firstSeen).toBe('2015-11-20T10:00:00Z');
    expect(paris?.lastSeen).toBe('2015-11-20T12:00:00Z');
    expect(stories.find((story) => story.itemIds.includes('dod-1'))?.itemIds).toEqual(['dod-1']);
  });

  it('gives deterministic ids from the seed item, whatever the input order', () => {
    const a = clusterStories([voa, other, bbc], { windowHours: 72 }).map((story) => story.id).sort();
    const b = clusterStories([bbc, voa, other], { windowHours: 72 }).map((story) => story.id).sort();
    expect(a).toEqual(b);
    expect(a.every((id) => /^s-[0-9a-f]{8}$/.test(id))).toBe(true);
  });

  it('keeps a similar item outside the time window apart', () => {
    const later = { ...bbc, id: 'bbc-2', published: '2015-12-20T12:00:00Z' };
    const stories = clusterStories([voa, later], { windowHours: 72 });
    expect(stories).toHaveLength(2);
  });

  it('always joins a syndicated copy and remembers each item', () => {
    const index = new StoryIndex({ windowHours: 72, minSimilarity: 0.99 });
    const first = index.add(voa);
    const copy = index.add({ ...voa, id: 'wire-copy', source: 'Wire' });
    expect(copy).toBe(first);
    expect(index.storyOf('wire-copy')).toBe(first);
    expect(index.stories()[0]?.sources).toEqual(['VOA', 'Wire']);
  });

  it('lets a story fade out past its window instead of cutting it off', () => {
    // Just past the 72-hour window a close report still joins; a week later it opens a new story.
    const soon = { ...bbc, id: 'bbc-3', published: '2015-11-23T14:00:00Z' };
    expect(clusterStories([voa, soon], { windowHours: 72 })).toHaveLength(1);
    const late = { ...bbc, id: 'bbc-4', published: '2015-11-27T12:00:00Z' };
    expect(clusterStories([voa, late], { windowHours: 72 })).toHaveLength(2);
  });

  it('weighs terms with the counts of the docs seen so far, so order of arrival does not change the grouping', () => {
    const items = [voa, other, bbc, { ...other, id: 'dod-2', title: 'Pentagon: strikes destroyed 116 oil trucks', published: '2015-11-16T20:00:00Z' }];
    const grouping = (docs: Doc[]): string[] => clusterStories(docs, { windowHours: 72 }).map((story) => [...story.itemIds].sort().join(',')).sort();
    expect(grouping(items)).toEqual(grouping([...items].reverse()));
    expect(grouping(items)).toEqual(['bbc-1,voa-1', 'dod-1,dod-2']);
  });

  it('finds the right story among thousands of open ones', () => {
    const index = new StoryIndex({ windowHours: 72 });
    for (let i = 0; i < 2000; i += 1) {
      index.add(doc(`filler-${i}`, `Zq${i.toString(36)} council report`, `Zq${i.toString(36)}x met in Paris on the city budget.`, '2015-11-20T09:00:00Z', 'Filler'));
    }
    const first = index.add(voa);
    expect(index.add(bbc)).toBe(first);
    expect(index.stories().find((story) => story.id === first)?.itemIds).toEqual(['voa-1', 'bbc-1']);
  });

  describe('a headline naming the story\'s marker', () => {
    const wire = doc('wire-1', 'Twin suicide blasts hit Beirut suburb', 'BEIRUT (GW) — Two suicide bombers blew themselves up in a crowded southern suburb of Beirut on Thursday evening, killing at least 37 people, officials said.', '2015-11-12T19:00:00Z', 'Wire');
    const statement = (published: string): Doc =>
      doc('gov-1', 'Statement by the Press Secretary on the terrorist attacks in Beirut', 'The United States strongly condemns the horrific terrorist attacks in Beirut today. We extend our condolences to the families of those killed and stand with the government of Lebanon.', published, 'Government');

    it('joins a same-day statement that shares the place but few words with the wire report', () => {
      const index = new StoryIndex({ windowHours: 72 });
      const story = index.add(wire);
      expect(index.add(statement('2015-11-12T23:00:00Z'))).toBe(story);
    });

    it('does not join it two days later, when only the words would count', () => {
      const index = new StoryIndex({ windowHours: 72 });
      const story = index.add(wire);
      expect(index.add(statement('2015-11-14T23:00:00Z'))).not.toBe(story);
    });

    it('does not take a name that many stories share for a marker', () => {
      const index = new StoryIndex({ windowHours: 72 });
      // Beirut is in the lead of many unrelated reports: naming it says little about which story an item belongs to.
      for (let i = 0; i < 12; i += 1) {
        const tag = i.toString(36);
        index.add(doc(`other-${i}`, `Qx${tag} talks in Beirut`, `Officials from Qx${tag} met Wv${tag} delegates in Beirut about Yz${tag} trade.`, '2015-11-12T10:00:00Z', 'Other'));
      }
      const story = index.add(wire);
      expect(index.add(statement('2015-11-12T23:00:00Z'))).not.toBe(story);
    });
  });
});
