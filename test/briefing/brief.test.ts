import { describe, expect, it } from 'vitest';
import { briefWindow, composeBrief } from '../../src/briefing/brief.ts';
import type { Baseline, Item, TopicDef } from '../../src/news/types.ts';

const baseline: Baseline = {
  id: 'base',
  title: 'Leaders meet at G-20',
  text: 'The Islamic State claimed the Paris attacks that killed at least 129 people, officials said. Barack Obama met Vladimir Putin in Turkey.',
  published: '2015-11-16T12:00:00Z',
  source: 'UPI',
};
const topic: TopicDef = { id: 'paris-attacks', name: 'Paris attacks', keywords: ['Paris attacks'], aliases: [], exclude: [] };

function item(id: string, source: string, title: string, text: string, published: string, story?: string): Item & { key: string; story?: string } {
  return { id, key: `k-${id}`, feedUrl: `https://${source}.example/rss`, title, text, published, source, link: `https://${source}.example/${id}`, ...(story ? { story } : {}) };
}

const items = [
  item('old', 'wire', 'Paris attacks kill 120', 'More than 120 people were killed in the Paris attacks.', '2015-11-14T08:00:00Z'),
  item('t1', 'wire', 'Paris toll rises to 130', 'The death toll of the Paris attacks rose to 130 on Friday, officials said. Salah Abdeslam is still at large.', '2015-11-20T10:00:00Z', 's-toll'),
  item('t2', 'paper', 'Paris attacks toll is 130', 'Officials said 130 people died in the Paris attacks after a victim died in hospital.', '2015-11-20T11:00:00Z', 's-toll'),
  item('v1', 'radio', 'Candlelight vigil at Place de la Republique', 'Thousands of mourners gathered at the Place de la Republique with candles and flowers on Wednesday evening.', '2015-11-18T19:00:00Z', 's-vigil'),
  item('future', 'radio', 'Paris attacks anniversary', 'A year after the Paris attacks the city remembered the victims.', '2016-11-13T19:00:00Z', 's-anniversary'),
];
const now = new Date('2015-11-21T00:00:00Z');
const options = { now, lookbackDays: 30, maxStories: 5, storyWindowHours: 72 };

describe('composeBrief', () => {
  it('takes items from the baseline day to now, grouped by their recorded story, multi-source first', () => {
    const brief = composeBrief(items, topic, baseline, options);
    expect(brief.from).toBe('2015-11-16T00:00:00.000Z');
    expect(brief.itemCount).toBe(3);
    expect(brief.stories.map((story) => story.id)).toEqual(['s-toll', 's-vigil']);
    const toll = brief.stories[0];
    expect(toll?.sources.map((source) => source.name)).toEqual(['wire', 'paper']);
    expect(toll?.delta.figures.changed).toEqual(expect.arrayContaining([expect.objectContaining({ from: '129', to: '130' })]));
    expect(toll?.delta.entities.new.join(' ')).toContain('Abdeslam');
  });

  it('honours since and maxStories, and counts what it leaves out', () => {
    const brief = composeBrief(items, topic, baseline, { ...options, maxStories: 1, since: new Date('2015-11-19T00:00:00Z') });
    expect(brief.stories.map((story) => story.id)).toEqual(['s-toll']);
    expect(brief.more).toBe(0);
    const all = composeBrief(items, topic, baseline, { ...options, maxStories: 1 });
    expect(all.more).toBe(1);
  });

  it('clusters items that carry no story', () => {
    const loose = items.map(({ story: _story, ...rest }) => rest);
    const brief = composeBrief(loose, topic, baseline, options);
    expect(brief.stories).toHaveLength(2);
    expect(brief.stories[0]?.itemCount).toBe(2);
  });

  it('reads a long story\'s delta from its first and newest items', () => {
    const long = Array.from({ length: 20 }, (_, n) =>
      item(`l${n}`, `outlet${n}`, `Paris attacks inquiry continues (${n})`, n === 19 ? 'The death toll of the Paris attacks rose to 130, officials said on Friday.' : `Investigators in Paris questioned witness number ${n + 1} about the Paris attacks.`, `2015-11-17T${String(n).padStart(2, '0')}:30:00Z`, 's-long'),
    );
    const brief = composeBrief(long, topic, baseline, options);
    expect(brief.stories[0]?.itemCount).toBe(20);
    expect(brief.stories[0]?.sources).toHaveLength(20);
    expect(brief.stories[0]?.delta.figures.changed).toEqual(expect.arrayContaining([expect.objectContaining({ from: '129', to: '130' })]));
  });

  it('starts the window at the lookback when the baseline is older', () => {
    const window = briefWindow(baseline, new Date('2016-01-01T00:00:00Z'), 7);
    expect(window.from.toISOString()).toBe('2015-12-25T00:00:00.000Z');
  });
});
