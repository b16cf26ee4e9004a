import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../src/news/types.ts';
import { openBackend } from '../../src/store/backend.ts';
import { openStore, StoreOpenError, StoreUrlError } from '../../src/store/index.ts';
import { decodeItem } from '../../src/store/item-records.ts';
import { keys } from '../../src/store/keys.ts';
import { testBackends, testNamespace } from './backends.ts';

function item(id: string, published: string, feedUrl = 'https://a.example/feed'): Item {
  return { id, feedUrl, title: `Title ${id}`, text: 'text', link: `https://a.example/${id}`, published, source: 'A' };
}

const now = new Date('2026-01-01T00:00:00Z');
const backends = await testBackends();

describe.each(backends)('store ($name)', (backend) => {
  it('keeps items, feed state and guild settings across a reopen', async () => {
    const url = await backend.url();
    const namespace = testNamespace();
    const first = await openStore(url, { namespace });
    expect(first.kind).toBe(backend.name);
    const fresh = await first.items.addNew(
      [item('a', '2015-11-20T00:00:00Z'), item('b', '2015-11-21T00:00:00Z'), item('a', '2015-11-20T00:00:00Z')],
      (it) => (it.id === 'a' ? ['syria', 'paris-attacks'] : ['syria']),
      now,
    );
    expect(fresh.map((it) => it.id)).toEqual(['a', 'b']);
    expect((await first.items.listByTopic('syria', { since: '2015-11-20T12:00:00Z' })).map((it) => it.id)).toEqual(['b']);
    await first.feeds.put({ ...(await first.feeds.get('https://a.example/feed')), etag: '"v1"', consecutiveFailures: 2 });
    await first.guilds.update('g1', (current) => ({ ...current, keywords: { syria: ['Aleppo'] } }), now);
    await first.guilds.update('g3', (current) => ({ ...current, adminRoleId: '77' }), now);
    await first.meta.set('commands-hash', 'abc');
    await first.close();

    const second = await openStore(url, { namespace });
    const again = await second.items.addNew(
      [item('a', '2015-11-20T00:00:00Z'), item('a', '2015-11-20T00:00:00Z', 'https://b.example/feed')],
      () => ['syria'],
      now,
    );
    expect(again.map((it) => it.feedUrl)).toEqual(['https://b.example/feed']);
    const syria = await second.items.listByTopic('syria');
    expect(syria.map((it) => it.id)).toEqual(['b', 'a', 'a']);
    expect((await second.items.listByTopic('paris-attacks')).map((it) => it.id)).toEqual(['a']);
    expect(await second.items.count()).toBe(3);
    expect((await second.feeds.get('https://a.example/feed')).etag).toBe('"v1"');
    expect((await second.feeds.list()).map((state) => state.consecutiveFailures)).toEqual([2]);
    expect((await second.guilds.get('g1')).keywords).toEqual({ syria: ['Aleppo'] });
    expect((await second.guilds.get('g2')).keywords).toEqual({});
    expect((await second.guilds.list()).map((guild) => [guild.guildId, guild.adminRoleId])).toEqual([
      ['g1', null],
      ['g3', '77'],
    ]);
    expect(await second.meta.get('commands-hash')).toBe('abc');
    await second.ping();
    await second.close();
  });

  it('remembers an item that matched no topic without its text, and never offers it as new again', async () => {
    const url = await backend.url();
    const namespace = testNamespace();
    const store = await openStore(url, { namespace });
    const unmatched = { ...item('weather', '2015-11-20T00:00:00Z'), text: 'Rain all week. '.repeat(200) };
    const matched = { ...item('raqqa', '2015-11-20T01:00:00Z'), text: 'Strikes on Raqqa. '.repeat(200) };
    const topicsOf = (it: Item): string[] => (it.id === 'raqqa' ? ['syria'] : []);
    const fresh = await store.items.addNew([unmatched, matched], topicsOf, now);
    // The caller still gets the whole item (it was new); only what is stored is cut.
    expect(fresh.map((it) => [it.id, it.text.length])).toEqual([
      ['weather', unmatched.text.length],
      ['raqqa', matched.text.length],
    ]);
    const backendOf = await openBackend(url, { cwd: process.cwd(), namespace });
    const [storedUnmatched, storedMatched] = await backendOf.collections.docs(fresh.map((it) => it.key));
    expect(decodeItem(storedUnmatched ?? '{}').text).toBe('');
    expect(decodeItem(storedUnmatched ?? '{}').title).toBe('Title weather');
    expect(decodeItem(storedMatched ?? '{}').text).toBe(matched.text);
    // What is stored: the text as it is after the JSON of the rest, not escaped inside it.
    expect(storedMatched?.endsWith(`\u001e${matched.text}`)).toBe(true);
    await backendOf.close();
    expect(await store.items.addNew([unmatched, matched], topicsOf, now)).toEqual([]);
    await store.close();
  });

  it('drops item records a day at a time once they are older than itemDays', async () => {
    const store = await openStore(await backend.url(), { itemDays: 2, namespace: testNamespace() });
    const day = (n: number): Date => new Date(Date.UTC(2026, 0, 1 + n, 6));
    await store.items.addNew([item('d0a', '2015-11-20T00:00:00Z'), item('d0b', '2015-11-20T01:00:00Z')], () => ['syria'], day(0));
    await store.items.addNew([item('d1', '2015-11-21T00:00:00Z')], () => ['syria'], day(1));
    // Still within two days of day 0: nothing goes.
    await store.items.addNew([item('d2', '2015-11-22T00:00:00Z')], () => ['syria'], day(2));
    expect((await store.items.listByTopic('syria')).map((it) => it.id)).toEqual(['d2', 'd1', 'd0b', 'd0a']);
    expect(await store.items.count()).toBe(4);
    // Day 3: day 0's records are past the horizon.
    await store.items.addNew([item('d3', '2015-11-23T00:00:00Z')], () => ['syria'], day(3));
    expect((await store.items.listByTopic('syria')).map((it) => it.id)).toEqual(['d3', 'd2', 'd1']);
    expect(await store.items.count()).toBe(3);
    // Its record gone, the store takes the item as new again (a feed that still shows it is held
    // back by its content hashes before the store is asked).
    expect((await store.items.addNew([item('d0a', '2015-11-20T00:00:00Z')], () => ['syria'], day(3))).map((it) => it.id)).toEqual(['d0a']);
    await store.close();
  });

  it('trims the topic index to the retention size', async () => {
    const store = await openStore(await backend.url(), { itemsPerTopic: 3, namespace: testNamespace() });
    const items = Array.from({ length: 5 }, (_, n) => item(`i${n}`, `2015-11-2${n}T00:00:00Z`));
    await store.items.addNew(items, () => ['syria'], now);
    expect((await store.items.listByTopic('syria')).map((it) => it.id)).toEqual(['i4', 'i3', 'i2']);
    await store.close();
  });

  it('trims whole polls, oldest newest-entry first, and reads a poll filed under a later hour from any hour it covers', async () => {
    const store = await openStore(await backend.url(), { itemsPerTopic: 4, namespace: testNamespace() });
    // Poll 1: one item from the 10th and one from the 24th, filed together under the 24th.
    await store.items.addNew([item('old', '2015-11-10T00:00:00Z'), item('late', '2015-11-24T00:00:00Z')], () => ['syria'], now);
    expect((await store.items.listByTopic('syria', { since: '2015-11-05T00:00:00Z' })).map((it) => it.id)).toEqual(['late', 'old']);
    expect((await store.items.listByTopic('syria', { since: '2015-11-20T00:00:00Z' })).map((it) => it.id)).toEqual(['late']);
    // Poll 2 (newest on the 20th) and poll 3 (the 21st): five entries against a cap of four.
    await store.items.addNew([item('p2a', '2015-11-19T00:00:00Z'), item('p2b', '2015-11-20T00:00:00Z')], () => ['syria'], now);
    await store.items.addNew([item('p3', '2015-11-21T00:00:00Z')], () => ['syria'], now);
    // The poll whose newest entry is oldest (poll 2) went; poll 1 stays for its item of the 24th.
    expect((await store.items.listByTopic('syria')).map((it) => it.id)).toEqual(['late', 'p3', 'old']);
    await store.close();
  });

  it('reads topic index entries written one by one, as stores did before polls were filed as packs', async () => {
    const url = await backend.url();
    const namespace = testNamespace();
    const store = await openStore(url, { namespace });
    // The item record as any store writes it; its index entry as older stores did: one list value
    // per entry, under the hour of its publication.
    const [stored] = await store.items.addNew([item('single', '2015-11-20T05:00:00Z')], () => [], now);
    const raw = await openBackend(url, { cwd: process.cwd(), namespace });
    await raw.collections.append([{ key: 'topic:syria:2015-11-20T05', values: [JSON.stringify({ k: stored?.key, p: '2015-11-20T05:00:00Z' })] }]);
    await raw.collections.add([{ key: 'topic-hours:syria', field: '2015-11-20T05', by: 1 }]);
    await raw.close();
    await store.items.addNew([item('packed', '2015-11-21T00:00:00Z')], () => ['syria'], now);
    expect((await store.items.listByTopic('syria')).map((it) => it.id)).toEqual(['packed', 'single']);
    expect((await store.items.listByTopic('syria', { since: '2015-11-20T06:00:00Z' })).map((it) => it.id)).toEqual(['packed']);
    await store.close();
  });

  it('reads every feed in full again when the store holds feed states but no items (an older layout)', async () => {
    const url = await backend.url();
    const namespace = testNamespace();
    const seen = { etag: '"v1"', lastModified: 'Fri, 20 Nov 2015 00:00:00 GMT', bodyHash: 'abc', recentHashes: ['h1', 'h2'], title: 'Kept' };
    const first = await openStore(url, { namespace });
    await first.feeds.put({ ...(await first.feeds.get('https://a.example/feed')), ...seen });
    await first.close();
    const second = await openStore(url, { namespace });
    const state = await second.feeds.get('https://a.example/feed');
    expect([state.etag, state.lastModified, state.bodyHash, state.recentHashes, state.title]).toEqual([null, null, null, [], 'Kept']);
    // With items stored, what a feed state remembers is kept.
    await second.items.addNew([item('a', '2015-11-20T00:00:00Z')], () => ['syria'], now);
    await second.feeds.put({ ...state, ...seen });
    await second.close();
    const third = await openStore(url, { namespace });
    expect((await third.feeds.get('https://a.example/feed')).bodyHash).toBe('abc');
    await third.close();
  });

  it('writes what belongs with the items of a poll once, after them or with them, whatever was new', async () => {
    const url = await backend.url();
    const store = await openStore(url, { namespace: testNamespace() });
    const feedUrl = 'https://a.example/feed';
    let calls = 0;
    const putState = (etag: string) => async (): Promise<void> => {
      calls += 1;
      // The items are stored (or in the same commit) by the time the state is: read them here.
      await store.feeds.put({ ...(await store.feeds.get(feedUrl)), etag });
    };
    const offered = [item('a', '2015-11-20T00:00:00Z'), item('b', '2015-11-21T00:00:00Z')];
    expect((await store.items.addNew(offered, () => ['syria'], now, { alongside: putState('"1"') })).map((it) => it.id)).toEqual(['a', 'b']);
    expect([calls, (await store.feeds.get(feedUrl)).etag]).toEqual([1, '"1"']);
    // Nothing new: the state is still written, once.
    expect(await store.items.addNew(offered, () => ['syria'], now, { alongside: putState('"2"') })).toEqual([]);
    expect([calls, (await store.feeds.get(feedUrl)).etag]).toEqual([2, '"2"']);
    expect(await store.items.addNew([], () => ['syria'], now, { alongside: putState('"3"') })).toEqual([]);
    expect([calls, (await store.feeds.get(feedUrl)).etag]).toEqual([3, '"3"']);
    expect((await store.items.listByTopic('syria')).map((it) => it.id)).toEqual(['b', 'a']);
    await store.close();
  });

  it('keeps namespaces apart on one server', async () => {
    const url = await backend.url();
    const one = await openStore(url, { namespace: testNamespace() });
    const two = await openStore(url, { namespace: testNamespace() });
    await one.items.addNew([item('x', '2015-11-20T00:00:00Z')], () => ['syria'], now);
    expect(await two.items.count()).toBe(0);
    expect(await two.items.listByTopic('syria')).toEqual([]);
    expect(await two.leases.acquire('feed:x', 'p2', 60_000)).toBe(true);
    expect(await one.leases.acquire('feed:x', 'p1', 60_000)).toBe(true);
    await one.close();
    await two.close();
  });
});

describe('item keys', () => {
  it('start with their feed\'s digest, so one poll\'s items are neighbours in a key index', () => {
    const a1 = keys.item('https://a.example/feed', '1');
    const b1 = keys.item('https://b.example/feed', '1');
    const a2 = keys.item('https://a.example/feed', '2');
    expect(a1.slice(0, 13)).toBe(a2.slice(0, 13));
    expect(a1.slice(0, 13)).not.toBe(b1.slice(0, 13));
    expect(new Set([a1, a2, b1]).size).toBe(3);
    // Asked in any order, a key is the same.
    expect(keys.item('https://a.example/feed', '1')).toBe(a1);
    expect(keys.item('https://b.example/feed', '1')).toBe(b1);
  });
});

describe('store URLs', () => {
  it('refuses an unknown store URL with the variable named', async () => {
    await expect(openStore('mysql://x')).rejects.toBeInstanceOf(StoreUrlError);
    await expect(openStore('mysql://x')).rejects.toThrow('SITREP_STORE "mysql://x": unknown scheme');
  });

  it('fails to open an unreachable Redis or PostgreSQL with a store.open error and no password', async () => {
    // Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
    await expect(openStore('redis://127.0.0.1:9')).rejects.toBeInstanceOf(StoreOpenError);
    const error = await openStore('postgresql://sitrep:hunter2@127.0.0.1:9/sitrep').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('opens a relative sqlite path against the working directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sitrep-store-'));
    const store = await openStore('sqlite://nested/s.sqlite', { cwd: dir });
    expect(store.url).toBe('sqlite://nested/s.sqlite');
    await store.close();
  });
});
