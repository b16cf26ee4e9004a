import type { TopicDef } from '../news/types.ts';

function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/**
 * Finds the topic a user meant: its id, its name, or any of its keywords and aliases, ignoring
 * case, spaces and dashes ("paris attacks", "Paris-Attacks", "ISIL" all work).
 */
export function findTopic(topics: ReadonlyArray<TopicDef>, typed: string): TopicDef | undefined {
  const wanted = fold(typed);
  if (!wanted) return undefined;
  return (
    topics.find((topic) => fold(topic.id) === wanted || fold(topic.name) === wanted) ??
    topics.find((topic) => [...topic.keywords, ...topic.aliases].some((word) => fold(word) === wanted))
  );
}

/** Autocomplete choices: topics whose id or name starts with (then contains) what was typed. */
export function suggestTopics(topics: ReadonlyArray<TopicDef>, typed: string): Array<{ name: string; value: string }> {
  const wanted = fold(typed);
  const score = (topic: TopicDef): number => {
    const id = fold(topic.id);
    const name = fold(topic.name);
    if (!wanted) return 1;
    if (id.startsWith(wanted) || name.startsWith(wanted)) return 2;
    if (id.includes(wanted) || name.includes(wanted)) return 1;
    return [...topic.keywords, ...topic.aliases].some((word) => fold(word).startsWith(wanted)) ? 1 : 0;
  };
  return topics
    .map((topic) => ({ topic, score: score(topic) }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, 25)
    .map(({ topic }) => ({ name: `${topic.name} (${topic.id})`, value: topic.id }));
}
