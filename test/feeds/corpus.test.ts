import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSitrepError } from '../../src/errors.ts';
import { parseFeed } from '../../src/feeds/index.ts';

/*
 * Smoke test over the shared corpus of real and edge-case feeds: parseFeed must return or throw
 * a SitrepError for every file, and never hang. Every 10th file, in sorted order, so the sample
 * is the same on every run. The corpus lives outside the repository; without it this is skipped.
 */

const CORPUS = '/work/shared/corpus/feeds';
const NOW = new Date('2020-01-02T03:04:05.000Z');

function listFeeds(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      // rss-parser's expected outputs are JSON results, not feeds.
      if (name !== 'output' && name !== 'expected') listFeeds(path, out);
    } else if (!/^(LICENSE|README)/.test(name)) {
      out.push(path);
    }
  }
  return out;
}

describe.skipIf(!existsSync(CORPUS))('corpus smoke test', () => {
  it('parses a sample of the corpus or fails with a SitrepError', { timeout: 30_000 }, async () => {
    const sample = listFeeds(CORPUS).filter((_, index) => index % 10 === 0);
    const strays: string[] = [];
    let parsed = 0;
    for (const file of sample) {
      try {
        await parseFeed(readFileSync(file), { feedUrl: file, now: NOW });
        parsed += 1;
      } catch (error) {
        if (!(isSitrepError(error) && error.code.startsWith('feed.')))
          strays.push(`${relative(CORPUS, file)}: ${String(error)}`);
      }
    }
    console.log(`corpus sample: ${parsed}/${sample.length} parsed`);
    expect(strays).toEqual([]);
    // A lenient reader reads nearly everything here; a drop means a regression.
    expect(parsed / sample.length).toBeGreaterThan(0.95);
  });
});
