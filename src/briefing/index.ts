export { composeBrief, briefWindow } from './brief.ts';
export type { Brief, BriefStory, BriefOptions } from './brief.ts';
export { findTopic, suggestTopics } from './topics.ts';
export { createBriefService, guildTopicKey } from './service.ts';
export type { BriefService, BriefRequest } from './service.ts';
