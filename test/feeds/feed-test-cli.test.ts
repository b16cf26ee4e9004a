import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFeedTest, type FeedTestOptions } from '../../src/cli/feed-commands.ts';
import { startFeedServer, type FeedServer } from '../harness/feed-server.ts';

const RSS = readFileSync(fileURLToPath(new URL('../fixtures/feeds/rss2.xml', import.meta.url)), 'utf8');
const OPTS: FeedTestOptions = {
  timeoutMs: 2_000,
  maxBytes: 1024 * 1024,
  allowPrivate: true,
  userAgent: 'sitrep-test/1',
  intervalMs: 15 * 60_000,
  now: new Date('2020-01-02T03:04:05.000Z'),
};

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer({
    '/rss': { kind: 'body', body: RSS.replace('<description>Test feed</description>', '<ttl>60</ttl>') },
    '/gone': { kind: 'status', status: 410 },
  });
});
afterAll(async () => {
  await server.close();
});

async function run(path: string): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await runFeedTest(server.url(path), OPTS, (line) => lines.push(line));
  return { code, text: lines.join('\n') };
}

describe('sitrep feed test', () => {
  it('prints the feed, its items, the next poll and its warnings', async () => {
    const { code, text } = await run('/rss');
    expect(code).toBe(0);
    expect(text).toContain('title: World & Wire');
    expect(text).toContain('items: 3');
    expect(text).toContain('next poll: in 1 h (feed says ttl 60 min)');
    expect(text).toContain('warnings: 1 of 3 items have no readable date');
  });

  it('prints the health problem in one sentence and exits 1', async () => {
    expect(await run('/gone')).toEqual({
      code: 1,
      text: `feed: ${server.url('/gone')}\nproblem: HTTP 410 Gone`,
    });
  });
});
