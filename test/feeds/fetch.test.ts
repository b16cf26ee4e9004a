import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFeed, pollFeed } from '../../src/feeds/index.ts';
import type { FetchOptions, PollResult } from '../../src/feeds/index.ts';
import { guardedLookup } from '../../src/feeds/fetch/guard.ts';
import { etagOf, startFeedServer, type FeedServer } from '../harness/feed-server.ts';

const NOW = new Date('2020-01-02T03:04:05.000Z');
const RSS = readFileSync(fileURLToPath(new URL('../fixtures/feeds/rss2.xml', import.meta.url)), 'utf8');
const PAGE = readFileSync(fileURLToPath(new URL('../fixtures/feeds/page.html', import.meta.url)), 'utf8');
const OPTS: FetchOptions = {
  timeoutMs: 2_000,
  maxBytes: 1024 * 1024,
  allowPrivate: true,
  userAgent: 'sitrep-test/1',
};

let server: FeedServer;

beforeAll(async () => {
  server = await startFeedServer({
    '/rss': { kind: 'body', body: RSS, etag: etagOf(RSS), lastModified: 'Mon, 16 Nov 2015 10:00:00 GMT' },
    '/gzip': { kind: 'body', body: RSS, gzip: true },
    '/page': { kind: 'body', body: PAGE, contentType: 'text/html; charset=utf-8' },
    '/missing': { kind: 'status', status: 404, body: 'nope' },
    '/hang': { kind: 'hang' },
    '/stall': { kind: 'stall' },
    '/huge': { kind: 'stream', bytes: 50 * 1024 * 1024 },
    '/loop-a': { kind: 'redirect', to: '/loop-b' },
    '/loop-b': { kind: 'redirect', to: '/loop-a' },
    '/moved': { kind: 'redirect', to: '/rss', status: 301 },
    '/latin1': {
      kind: 'body',
      body: Buffer.from('<rss version="2.0"><channel><title>Caf\u00e9</title></channel></rss>', 'latin1'),
      contentType: 'application/rss+xml; charset=iso-8859-1',
    },
  });
});

afterAll(async () => {
  await server.close();
});

function failed(result: PollResult): { code: string; message: string } {
  if (result.status !== 'failed') throw new Error(`expected a failure, got ${result.status}`);
  return result.error;
}

describe('fetchFeed', () => {
  it('fetches a 200 with its validators and headers', async () => {
    const result = await fetchFeed(server.url('/rss'), OPTS);
    expect(result).toMatchObject({
      status: 'ok',
      etag: etagOf(RSS),
      lastModified: 'Mon, 16 Nov 2015 10:00:00 GMT',
      finalUrl: server.url('/rss'),
    });
    const headers = server.lastHeaders('/rss');
    expect(headers?.['user-agent']).toBe('sitrep-test/1');
    expect(headers?.['accept-encoding']).toMatch(/gzip/);
    // No empty conditional headers on a first request.
    expect(headers?.['if-none-match']).toBeUndefined();
    expect(headers?.['if-modified-since']).toBeUndefined();
  });

  it('decodes a gzip body', async () => {
    const result = await fetchFeed(server.url('/gzip'), OPTS);
    if (result.status !== 'ok') throw new Error('not ok');
    expect(Buffer.from(result.body).toString('utf8')).toBe(RSS);
  });

  it('follows a redirect and reports the final URL', async () => {
    const result = await fetchFeed(server.url('/moved'), OPTS);
    expect(result).toMatchObject({ status: 'ok', finalUrl: server.url('/rss') });
  });

  it('refuses schemes other than http and https', async () => {
    await expect(fetchFeed('ftp://127.0.0.1/feed.xml', OPTS)).rejects.toMatchObject({ code: 'feed.url' });
    await expect(fetchFeed('file:///etc/passwd', OPTS)).rejects.toMatchObject({ code: 'feed.url' });
  });
});

describe('pollFeed over HTTP', () => {
  it('parses a 200, then round-trips the ETag to a 304', async () => {
    const first = await pollFeed({ url: server.url('/rss') }, {}, OPTS, NOW);
    if (first.status !== 'ok') throw new Error(`first poll: ${first.status}`);
    expect(first.feed.items[0]?.id).toBe('wire-1001');
    expect(first.etag).toBe(etagOf(RSS));
    expect(first.bodyHash).toMatch(/^[0-9a-f]{64}$/);

    const before = server.hits('/rss');
    const second = await pollFeed(
      { url: server.url('/rss') },
      { etag: first.etag, lastModified: first.lastModified },
      OPTS,
      NOW,
    );
    expect(second).toEqual({ status: 'not-modified', httpStatus: 304, freshness: { maxAgeMs: null } });
    expect(server.hits('/rss')).toBe(before + 1);
    expect(server.lastHeaders('/rss')?.['if-none-match']).toBe(etagOf(RSS));
    expect(server.lastHeaders('/rss')?.['if-modified-since']).toBe('Mon, 16 Nov 2015 10:00:00 GMT');
  });

  it('treats an identical body as not modified without parsing it', async () => {
    const first = await pollFeed({ url: server.url('/gzip') }, {}, OPTS, NOW);
    if (first.status !== 'ok') throw new Error('first poll failed');
    expect(await pollFeed({ url: server.url('/gzip') }, { bodyHash: first.bodyHash }, OPTS, NOW)).toEqual({
      status: 'not-modified',
      httpStatus: 200,
      freshness: { maxAgeMs: null },
    });
  });

  it('uses the configured name as the source', async () => {
    const result = await pollFeed({ url: server.url('/rss'), name: 'Wire' }, {}, OPTS, NOW);
    if (result.status !== 'ok') throw new Error('poll failed');
    expect(result.feed.title).toBe('Wire');
    expect(result.feed.items.every((item) => item.source === 'Wire')).toBe(true);
  });

  it('decodes by the charset the server declares', async () => {
    const result = await pollFeed({ url: server.url('/latin1') }, {}, OPTS, NOW);
    expect(result.status === 'ok' && result.feed.title).toBe('Caf\u00e9');
  });

  it('turns a 404 into a feed.http failure', async () => {
    const error = failed(await pollFeed({ url: server.url('/missing') }, {}, OPTS, NOW));
    expect(error.code).toBe('feed.http');
    expect(error.message).toBe(`feeds: ${server.url('/missing')} answered HTTP 404 Not Found`);
  });

  it('gives up on a server that never answers within the timeout', async () => {
    const started = Date.now();
    const error = failed(await pollFeed({ url: server.url('/hang') }, {}, { ...OPTS, timeoutMs: 300 }, NOW));
    expect(error.code).toBe('feed.timeout');
    expect(error.message).toBe(`feeds: GET ${server.url('/hang')} timed out after 300 ms`);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('counts the body against the timeout too', async () => {
    const error = failed(await pollFeed({ url: server.url('/stall') }, {}, { ...OPTS, timeoutMs: 300 }, NOW));
    expect(error.code).toBe('feed.timeout');
  });

  it('stops reading a 50 MB body at maxBytes', async () => {
    const error = failed(
      await pollFeed({ url: server.url('/huge') }, {}, { ...OPTS, maxBytes: 256 * 1024 }, NOW),
    );
    expect(error.code).toBe('feed.too-large');
  });

  it('stops at a redirect loop', async () => {
    const error = failed(await pollFeed({ url: server.url('/loop-a') }, {}, OPTS, NOW));
    expect(error.code).toBe('feed.redirects');
  });

  it('stops after five redirects even without a loop', async () => {
    for (let i = 0; i < 7; i += 1) server.route(`/chain-${i}`, { kind: 'redirect', to: `/chain-${i + 1}` });
    server.route('/chain-7', { kind: 'body', body: RSS });
    expect(failed(await pollFeed({ url: server.url('/chain-0') }, {}, OPTS, NOW)).code).toBe(
      'feed.redirects',
    );
    expect((await pollFeed({ url: server.url('/chain-3') }, {}, OPTS, NOW)).status).toBe('ok');
  });

  it('reports an HTML page as feed.not-a-feed', async () => {
    const error = failed(await pollFeed({ url: server.url('/page') }, {}, OPTS, NOW));
    expect(error).toEqual({
      code: 'feed.not-a-feed',
      message: 'feeds: not a feed: got an HTML page',
      reason: 'not a feed: got an HTML page',
      httpStatus: null,
      retryAfterMs: null,
    });
  });

  it('reports a refused connection as feed.network', async () => {
    const closed = await startFeedServer();
    const url = closed.url('/gone');
    await closed.close();
    expect(failed(await pollFeed({ url }, {}, OPTS, NOW)).code).toBe('feed.network');
  });
});

describe('SSRF guard', () => {
  const guarded: FetchOptions = { ...OPTS, allowPrivate: false };

  it.each(['/rss', '/hang'])('refuses a loopback address before connecting (%s)', async (path) => {
    const before = server.hits(path);
    const error = failed(await pollFeed({ url: server.url(path) }, {}, guarded, NOW));
    expect(error.code).toBe('feed.blocked-address');
    expect(error.message).toMatch(/127\.0\.0\.1, a loopback address/);
    expect(server.hits(path)).toBe(before);
  });

  it.each([
    'http://10.0.0.1/feed',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.64.1.1/',
    'http://[::1]/',
    'http://[fd00::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://0.0.0.0/',
    'http://localhost:1/',
  ])('refuses %s', async (url) => {
    expect(failed(await pollFeed({ url }, {}, guarded, NOW)).code).toBe('feed.blocked-address');
  });

  it('vets the addresses the socket itself connects to (DNS rebinding)', async () => {
    const error = await new Promise<unknown>((resolve) =>
      guardedLookup('localhost', { all: true }, (err) => resolve(err)),
    );
    expect(error).toMatchObject({ code: 'feed.blocked-address' });
  });

  it('refuses ftp:// with a failed result', async () => {
    expect(failed(await pollFeed({ url: 'ftp://example.com/feed.xml' }, {}, guarded, NOW)).code).toBe(
      'feed.url',
    );
  });
});

describe('pollFeed in sample mode', () => {
  const path = fileURLToPath(new URL('../fixtures/feeds/atom.xml', import.meta.url));

  it('reads a file path and a file:// URL through the same parse', async () => {
    const byPath = await pollFeed({ url: path }, {}, { ...OPTS, allowPrivate: false }, NOW);
    const byUrl = await pollFeed(
      { url: new URL('../fixtures/feeds/atom.xml', import.meta.url).href },
      {},
      OPTS,
      NOW,
    );
    expect(byPath.status === 'ok' && byPath.feed.title).toBe('Atom Desk');
    expect(byUrl.status === 'ok' && byUrl.feed.items.length).toBe(2);
  });

  it('reports a missing file as feed.read', async () => {
    const error = failed(await pollFeed({ url: '/no/such/feed.xml' }, {}, OPTS, NOW));
    expect(error.code).toBe('feed.read');
    expect(error.message).toMatch(/ENOENT/);
  });
});
