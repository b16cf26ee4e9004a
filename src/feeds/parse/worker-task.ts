import { FeedNotAFeedError, FeedParseError } from '../errors.ts';
import type { ParsedFeed } from '../types.ts';
import { parseFeed, type ParseOptions } from './parse.ts';

/** What crosses back from a parse worker: the feed, or the failure as plain data (classes do not cross). */
export type ParseTaskResult =
  | { ok: true; feed: ParsedFeed }
  | { ok: false; kind: 'not-a-feed'; found: string }
  | { ok: false; kind: 'parse'; message: string }
  | { ok: false; kind: 'unexpected'; message: string };

export interface ParseTask {
  body: Uint8Array;
  opts: ParseOptions;
}

/** Runs in a parse worker (worker.mjs loads it): the same parseFeed as everywhere else. */
export async function parseTask(task: ParseTask): Promise<ParseTaskResult> {
  try {
    return { ok: true, feed: await parseFeed(task.body, task.opts) };
  } catch (error) {
    if (error instanceof FeedNotAFeedError) return { ok: false, kind: 'not-a-feed', found: error.found };
    if (error instanceof FeedParseError) return { ok: false, kind: 'parse', message: error.message };
    return { ok: false, kind: 'unexpected', message: error instanceof Error ? error.message : String(error) };
  }
}

/** The error parseFeed threw in the worker, rebuilt on this side. */
export function rethrown(result: Exclude<ParseTaskResult, { ok: true }>): Error {
  if (result.kind === 'not-a-feed') return new FeedNotAFeedError(result.found);
  if (result.kind === 'parse') return new FeedParseError(result.message.replace(/^feeds: /, ''));
  return new Error(result.message);
}
