export { pollFeed } from './poll.ts';
export type { PollState } from './types.ts';
export { describeFeedFailure } from './describe.ts';
