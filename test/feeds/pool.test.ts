import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { FeedNotAFeedError, FeedParseError } from '../../src/feeds/errors.ts';
import { createParsePool, parseFeed } from '../../src/feeds/index.ts';
import { WARM_UP_FEED, WARM_UP_TOPICS } from '../../src/feeds/parse/pool.ts';
import { matchTopics } from '../../src/news/topics/match.ts';

const SAMPLE = new URL('../../config/sample-feeds/', import.meta.url);
const opts = { feedUrl: 'https://example.org/feed', now: new Date('2015-11-20T00:00:00Z') };

describe('parse worker pool', () => {
  const pool = createParsePool(1);
  afterAll(() => pool.close());

  it('is ready once its worker has parsed a first small feed, which holds what a poll exercises', async () => {
    await pool.ready;
    const feed = await parseFeed(new TextEncoder().encode(WARM_UP_FEED), { ...opts, topics: WARM_UP_TOPICS });
    expect(feed.items.map((item) => [item.title, item.text])).toEqual([['Talks & truce', 'Ministers met in Vienna on Saturday.\n\nTalks went on.']]);
    expect(feed.topics).toEqual([['warm-up']]);
  });

  it('gives the same feed as parsing in this thread', async () => {
    const files = ['voa-news.rss.xml', 'gov-uk-news.atom.xml', 'state-department.json'];
    for (const file of files) {
      const body = new Uint8Array(await readFile(new URL(file, SAMPLE)));
      const here = await parseFeed(body, opts);
      const there = await pool.parse(body, opts);
      expect(there.items.length).toBeGreaterThan(0);
      expect(there).toEqual(here);
    }
  });

  it('hashes a body where it parses it, and does not parse a body that hashes as the last one', async () => {
    const bytes = await readFile(new URL('voa-news.rss.xml', SAMPLE));
    const expected = createHash('sha256').update(bytes).digest('hex');
    // Copies that own their memory, so the pool hands them over to the worker.
    expect((await pool.parse(new Uint8Array(bytes), opts)).bodyHash).toBe(expected);
    expect(await pool.parse(new Uint8Array(bytes), { ...opts, previousBodyHash: expected })).toEqual({
      title: '',
      items: [],
      bodyHash: expected,
      unchanged: true,
    });
    // The same bytes as last time are unchanged even when they are no feed; changed ones are read.
    const page = new TextEncoder().encode('<html><body>Moved</body></html>');
    const pageHash = createHash('sha256').update(page).digest('hex');
    await expect(pool.parse(page.slice(), { ...opts, previousBodyHash: pageHash })).resolves.toMatchObject({ unchanged: true });
    await expect(pool.parse(page.slice(), { ...opts, previousBodyHash: expected })).rejects.toBeInstanceOf(FeedNotAFeedError);
  });

  it('matches topics in the worker, item by item, as matchTopics does here', async () => {
    const topics = [
      { id: 'syria', name: 'Syria', keywords: ['Syria'], aliases: [], exclude: [] },
      { id: 'islamic-state', name: 'Islamic State', keywords: ['Islamic State'], aliases: ['IS', 'ISIL', 'Daesh'], exclude: [] },
    ];
    const body = new Uint8Array(await readFile(new URL('voa-news.rss.xml', SAMPLE)));
    const feed = await pool.parse(body, { ...opts, topics });
    expect(feed.topics).toHaveLength(feed.items.length);
    const expected = feed.items.map((item) => matchTopics({ title: item.title, text: item.text }, topics).map((match) => match.topic));
    expect(feed.topics).toEqual(expected);
    expect(expected.flat()).toContain('syria');

    // Items the poller already has (by content hash) are not matched again: it drops them anyway.
    const matchedAt = expected.findIndex((found) => found.length > 0);
    const known = [feed.hashes?.[matchedAt] ?? ''];
    // The first parse took the body's memory over: read it again.
    const same = new Uint8Array(await readFile(new URL('voa-news.rss.xml', SAMPLE)));
    const again = await pool.parse(same, { ...opts, topics, knownHashes: known });
    expect(again.topics).toEqual(expected.map((found, index) => (index === matchedAt ? [] : found)));
  });

  it('rebuilds the errors parseFeed throws, so health records read the same', async () => {
    const html = new TextEncoder().encode('<!doctype html><html><body>hello</body></html>');
    const broken = new TextEncoder().encode('{"version": "https://jsonfeed.org/version/1", ');
    await expect(pool.parse(html, opts)).rejects.toSatisfy(
      (error) => error instanceof FeedNotAFeedError && error.found === 'an HTML page',
    );
    await expect(pool.parse(broken, opts)).rejects.toSatisfy(
      (error) => error instanceof FeedParseError && /JSON parse error/.test(error.message),
    );
  });

  // tsx's ESM loader runs in a thread of its own: one per worker that registered it, about 25 MB
  // each; its require hook starts an esbuild thread per worker when its cache is cold. The parse
  // worker loads compiled code instead.
  it.skipIf(!existsSync('/proc/self/task'))('starts one thread per worker, no loader thread beside it', async () => {
    // Node's own helper threads (the file system pool) are started by now.
    await readFile(new URL('voa-news.rss.xml', SAMPLE));
    const before = readdirSync('/proc/self/task').length;
    const two = createParsePool(2);
    await two.ready;
    const body = new Uint8Array(await readFile(new URL('voa-news.rss.xml', SAMPLE)));
    expect((await two.parse(body, opts)).items.length).toBeGreaterThan(0);
    expect(readdirSync('/proc/self/task').length - before).toBe(2);
    await two.close();
  });

  it('parses in this thread when asked for no workers', async () => {
    const inline = createParsePool(0);
    expect(inline.threads).toBe(0);
    expect(inline.parse).toBe(parseFeed);
    await inline.close();
  });
});
