/** The pure news core: text analysis, topics, stories, deltas and summaries. No I/O, no clock. */
export { analyzeText } from './text/analyze.ts';
export type { TextAnalysis } from './text/analyze.ts';
export { cleanBaselineText } from './baseline.ts';
export { matchTopics } from './topics/match.ts';
export { diffAgainstBaseline } from './diff/diff.ts';
export type { DiffOptions } from './diff/diff.ts';
export { StoryIndex, clusterStories, DEFAULT_MIN_SIMILARITY } from './cluster/cluster.ts';
export type { ClusterOptions, StoryIndexSnapshot } from './cluster/cluster.ts';
export { summarizeUpdate } from './summarize/summarize.ts';
export type { SummarizeOptions } from './summarize/summarize.ts';
export type { Delta, Doc, Entity, EntityKind, Figure, Story, SummarySentence, TopicDef, TopicMatch } from './types.ts';
