export { parseFeed } from './parse.ts';
export type { ParseOptions } from './parse.ts';
export { decodeBody } from './decode.ts';
