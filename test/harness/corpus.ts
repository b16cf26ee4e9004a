import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The shared corpus of real and edge-case feeds (about 2,200 files). It lives outside the
 * repository: a user's clone does not have it, and the tests that read it are skipped there.
 */
export const CORPUS = '/work/shared/corpus/feeds';
export const corpusPresent = existsSync(CORPUS);

/** Every feed file under `dir`, sorted; rss-parser's expected outputs and licence files are not feeds. */
export function listFeeds(dir: string = CORPUS, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'output' && name !== 'expected') listFeeds(path, out);
    } else if (!/^(LICENSE|README)/.test(name)) {
      out.push(path);
    }
  }
  return out;
}
