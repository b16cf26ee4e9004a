import { describe, expect, it } from 'vitest';
import { loadConfig, DEFAULT_CONFIG_FILE } from '../../src/config/load.ts';
import { findTopic, suggestTopics } from '../../src/briefing/topics.ts';
import type { TopicDef } from '../../src/news/types.ts';

const { config } = await loadConfig(DEFAULT_CONFIG_FILE);
const topics: TopicDef[] = config.topics.map((topic) => ({ ...topic }));

describe('findTopic', () => {
  it('finds a topic by id, name, keyword or alias, ignoring case and spacing', () => {
    expect(findTopic(topics, 'syria')?.id).toBe('syria');
    expect(findTopic(topics, 'Paris attacks')?.id).toBe('paris-attacks');
    expect(findTopic(topics, 'PARIS-ATTACKS')?.id).toBe('paris-attacks');
    expect(findTopic(topics, 'ISIL')?.id).toBe('islamic-state');
    expect(findTopic(topics, 'daesh')?.id).toBe('islamic-state');
    expect(findTopic(topics, 'G-20')?.id).toBe('g20');
    expect(findTopic(topics, 'narnia')).toBeUndefined();
    expect(findTopic(topics, '   ')).toBeUndefined();
  });
});

describe('suggestTopics', () => {
  it('puts prefix matches first and caps at 25', () => {
    expect(suggestTopics(topics, 'r').map((choice) => choice.value).slice(0, 2)).toEqual(['russia', 'refugees']);
    expect(suggestTopics(topics, '').length).toBe(topics.length);
    expect(suggestTopics(topics, 'zzz')).toEqual([]);
  });
});
