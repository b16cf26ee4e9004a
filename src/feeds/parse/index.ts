export { parseFeed } from './parse.ts';
export { contentHash } from './content-hash.ts';
export type { ParseOptions } from './parse.ts';
export { decodeBody } from './decode.ts';
export { createParsePool, defaultParseThreads } from './pool.ts';
export type { FeedParser, ParsePool } from './pool.ts';
