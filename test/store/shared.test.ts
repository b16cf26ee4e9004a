import { describe, expect, it } from 'vitest';
import type { Item } from '../../src/news/types.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { testBackends, testNamespace } from './backends.ts';

/*
 * What several processes on one store rely on. Each "process" is a store of its own on the same
 * URL and namespace (its own connection, its own in-process queues), so only the backend's
 * atomic primitives stand between them. SQLite serves one process, so there both sides share one
 * store.
 */

const now = new Date('2026-01-01T00:00:00Z');
const backends = await testBackends();

function item(id: string, feedUrl: string): Item {
  return { id, feedUrl, title: `Title ${id}`, text: 'text', link: `https://a.example/${id}`, published: '2015-11-20T00:00:00Z', source: 'A' };
}

async function pair(url: string, shared: boolean): Promise<[Store, Store]> {
  const namespace = testNamespace();
  const first = await openStore(url, { namespace });
  return [first, shared ? await openStore(url, { namespace }) : first];
}

async function closeAll(stores: Store[]): Promise<void> {
  for (const store of new Set(stores)) await store.close();
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never happened: ${what}`);
}

describe.each(backends)('leases and shared writes ($name)', (backend) => {
  const shared = backend.name !== 'sqlite';

  it('gives a lease to exactly one of many owners racing for it', async () => {
    const [a, b] = await pair(await backend.url(), shared);
    const owners = Array.from({ length: 20 }, (_, n) => `p${n}`);
    const won = await Promise.all(owners.map((owner, n) => (n % 2 ? a : b).leases.acquire('feed:race', owner, 60_000)));
    expect(won.filter(Boolean)).toHaveLength(1);
    const holder = owners[won.indexOf(true)] ?? '';
    // Only the holder renews; a release by anyone else changes nothing.
    expect(await a.leases.renew('feed:race', holder, 60_000)).toBe(true);
    expect(await b.leases.renew('feed:race', 'someone-else', 60_000)).toBe(false);
    await b.leases.release('feed:race', 'someone-else');
    expect(await b.leases.acquire('feed:race', 'someone-else', 60_000)).toBe(false);
    // Taking it again while holding it is fine.
    expect(await b.leases.acquire('feed:race', holder, 60_000)).toBe(true);
    await a.leases.release('feed:race', holder);
    expect(await b.leases.acquire('feed:race', 'someone-else', 60_000)).toBe(true);
    await closeAll([a, b]);
  });

  it('lets another owner take a lease over once its holder stops renewing it', async () => {
    const [a, b] = await pair(await backend.url(), shared);
    expect(await a.leases.acquire('feed:dead', 'dead-process', 50)).toBe(true);
    await eventually(() => b.leases.acquire('feed:dead', 'survivor', 60_000), 'the survivor taking the expired lease');
    expect(await a.leases.renew('feed:dead', 'dead-process', 60_000)).toBe(false);
    expect(await a.leases.acquire('feed:dead', 'dead-process', 60_000)).toBe(false);
    await closeAll([a, b]);
  });

  it('loses no index entry, count, feed or guild when two processes write at once', async () => {
    const [a, b] = await pair(await backend.url(), shared);
    const writes: Array<Promise<unknown>> = [];
    for (let n = 0; n < 12; n += 1) {
      const store = n % 2 ? a : b;
      const feedUrl = `https://feed${n}.example/rss`;
      writes.push(store.items.addNew([item(`i${n}`, feedUrl), item(`j${n}`, feedUrl)], () => ['syria', `t${n % 3}`], now));
      writes.push(store.feeds.put({ ...(await store.feeds.get(feedUrl)), etag: `"${n}"` }));
      writes.push(store.guilds.update(`g${n % 4}`, (current) => ({ ...current, keywords: { ...current.keywords, [`k${n}`]: ['x'] } }), now));
    }
    // The same items arriving at both processes are stored once.
    writes.push(a.items.addNew([item('dup', 'https://feed0.example/rss')], () => ['syria'], now));
    writes.push(b.items.addNew([item('dup', 'https://feed0.example/rss')], () => ['syria'], now));
    const results = await Promise.all(writes);
    const dupStored = results.slice(-2).flatMap((stored) => stored as unknown[]);
    expect(dupStored).toHaveLength(1);

    expect(await a.items.count()).toBe(25);
    expect((await b.items.listByTopic('syria')).length).toBe(25);
    expect((await a.items.listByTopic('t0')).length + (await a.items.listByTopic('t1')).length + (await a.items.listByTopic('t2')).length).toBe(24);
    expect((await b.feeds.list()).length).toBe(12);
    const guilds = await a.guilds.list();
    expect(guilds.map((guild) => guild.guildId).sort()).toEqual(['g0', 'g1', 'g2', 'g3']);
    expect(guilds.flatMap((guild) => Object.keys(guild.keywords))).toHaveLength(12);
    await closeAll([a, b]);
  });
});
