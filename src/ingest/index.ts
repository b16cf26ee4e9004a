export { pollOne, runPollCycle } from './cycle.ts';
export type { CycleDeps, CycleReport, PollOutcome, PollStore, TopicIndex } from './cycle.ts';
export { feedSources, startFeedScheduler } from './scheduler.ts';
export type { FeedScheduler, SchedulerDeps, TickReport } from './scheduler.ts';
export { healthOf, listFeedHealth, resumeFeed } from './health.ts';
export type { FeedHealth, FeedHealthStatus } from './health.ts';
export { MAX_DELAY_MS, nextAfterFailure, nextAfterSuccess, phaseOf, successDelay } from './timing.ts';
export { listSampleFeeds } from './sample.ts';
