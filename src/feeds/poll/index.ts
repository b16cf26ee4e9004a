export { pollFeed } from './poll.ts';
export type { PollState } from './types.ts';
