import { describe, expect, it } from 'vitest';
import { openBackend } from '../../src/store/backend.ts';
import { byCodeUnits, mergeIncrements } from '../../src/store/collections.ts';
import { emptyFeedState, openStore } from '../../src/store/index.ts';
import Keyv from 'keyv';
import { createFeedStateRepository } from '../../src/store/feeds.ts';
import { createItemRepository } from '../../src/store/items.ts';
import { createSqliteCollections, SqliteDatabase, SqliteKeyvAdapter } from '../../src/store/sqlite.ts';
import { testBackends, testNamespace } from './backends.ts';

const backends = await testBackends();

describe.each(backends)('documents, lists and counters ($name)', (backend) => {
  const open = async (url?: string, namespace = testNamespace()) =>
    openBackend(url ?? (await backend.url()), { cwd: process.cwd(), namespace });

  it('stores a document once when many writers offer it at the same time', async () => {
    const url = await backend.url();
    const namespace = testNamespace();
    // SQLite serves one process: its writers share one connection. The others get two clients.
    const a = await open(url, namespace);
    const b = backend.name === 'sqlite' ? a : await open(url, namespace);
    const offers = Array.from({ length: 10 }, (_, n) =>
      (n % 2 ? a : b).collections.insertNew([
        { key: 'doc:shared', value: `from ${n}` },
        { key: `doc:own-${n}`, value: `own ${n}` },
      ]),
    );
    const results = await Promise.all(offers);
    expect(results.filter((result) => result[0]).length).toBe(1);
    expect(results.every((result) => result[1])).toBe(true);
    const [shared, own3] = await b.collections.docs(['doc:shared', 'doc:own-3']);
    expect(shared).toMatch(/^from \d$/);
    expect(own3).toBe('own 3');
    // The same key twice in one call is stored once, as its first entry.
    expect(await a.collections.insertNew([{ key: 'doc:twice', value: '1' }, { key: 'doc:twice', value: '2' }])).toEqual([true, false]);
    expect(await a.collections.docs(['doc:twice', 'doc:missing'])).toEqual(['1', undefined]);
    // Presence without reading: what a poll asks of every item it sees.
    expect(await b.collections.present(['doc:shared', 'doc:missing', 'doc:own-3', 'doc:missing'])).toEqual([true, false, true, false]);
    expect(await b.collections.present([])).toEqual([]);
    await a.collections.putDocs([{ key: 'doc:twice', value: '3' }]);
    expect(await b.collections.docs(['doc:twice'])).toEqual(['3']);
    await a.close();
    if (b !== a) await b.close();
  });

  it('claims new documents: which keys were absent at once, the documents stored once `stored` settles', async () => {
    const store = await open();
    const made: number[] = [];
    const claim = (entries: Array<{ key: string; value: string }>) =>
      store.collections.claimNew(
        entries.map((entry) => entry.key),
        (index) => {
          made.push(index);
          return (entries[index] as { value: string }).value;
        },
      );
    const first = await claim([
      { key: 'doc:claimed', value: 'first' },
      { key: 'doc:claimed', value: 'again' },
      { key: 'doc:other', value: 'other' },
    ]);
    expect(first.inserted).toEqual([true, false, true]);
    // A claim made before the first one is committed already finds its key taken.
    const second = await claim([{ key: 'doc:claimed', value: 'second' }, { key: 'doc:third', value: 'third' }]);
    expect(second.inserted).toEqual([false, true]);
    // Values are made for the keys found absent only: the repeated and the known key cost nothing.
    expect(made).toEqual([0, 2, 1]);
    await Promise.all([first.stored, second.stored]);
    expect(await store.collections.docs(['doc:claimed', 'doc:other', 'doc:third'])).toEqual(['first', 'other', 'third']);
    expect(await claim([])).toMatchObject({ inserted: [] });
    await store.close();
  });

  it('keeps appends in order and counts every increment from concurrent writers', async () => {
    const store = await open();
    await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        Promise.all([
          store.collections.append([{ key: `list:${n % 2}`, values: [`${n}a`, `${n}b`] }]),
          store.collections.add([
            { key: 'counts', field: `f${n % 3}`, by: 1 },
            { key: 'counts', field: 'all', by: 2 },
          ]),
        ]),
      ),
    );
    const [even, odd, none] = await store.collections.lists(['list:0', 'list:1', 'list:none']);
    expect(even).toHaveLength(20);
    expect(odd).toHaveLength(20);
    expect(none).toEqual([]);
    // Each writer's values keep their order (writers may interleave: PostgreSQL numbers rows as they land).
    for (let n = 0; n < 20; n += 2) expect(even?.indexOf(`${n}a`)).toBeLessThan(even?.indexOf(`${n}b`) ?? -1);
    expect(new Set(even)).toEqual(new Set(Array.from({ length: 10 }, (_, k) => [`${2 * k}a`, `${2 * k}b`]).flat()));
    const [counts, empty] = await store.collections.counts(['counts', 'nothing']);
    expect(Object.fromEntries(counts ?? [])).toEqual({ f0: 7, f1: 7, f2: 6, all: 40 });
    expect(empty?.size).toBe(0);
    await store.collections.removeFields('counts', ['f0', 'f1']);
    await store.collections.remove(['list:0']);
    expect(Object.fromEntries((await store.collections.counts(['counts']))[0] ?? [])).toEqual({ f2: 6, all: 40 });
    expect(await store.collections.lists(['list:0', 'list:1'])).toEqual([[], odd]);
    await store.close();
  });

  it('round-trips text with quotes, NUL characters and emoji', async () => {
    const url = await backend.url();
    const namespace = testNamespace();
    // PostgreSQL text cannot hold NUL (feed text never does: parsing drops control characters);
    // SQLite's batched script must fall back to bound parameters for it.
    const values = ["it's", 'rocket 🚀 and "quotes"', "'; DROP TABLE keyv; --", ...(backend.name === 'postgres' ? [] : ['a\u0000b'])];
    const first = await open(url, namespace);
    await first.collections.insertNew(values.map((value, n) => ({ key: `doc:${n}`, value })));
    await first.collections.append([{ key: 'list', values }]);
    await first.close();
    const second = await open(url, namespace);
    expect(await second.collections.docs(values.map((_, n) => `doc:${n}`))).toEqual(values);
    expect(await second.collections.lists(['list'])).toEqual([values]);
    await second.close();
  });

  it('stores a document given in two parts as the two joined, read before and after its commit', async () => {
    const url = await backend.url();
    const namespace = testNamespace();
    const text = `Ministers met in Vienna \u2014 again. ${'x'.repeat(20_000)} \ud83d\ude80`;
    const first = await open(url, namespace);
    const claim = await first.collections.claimNew(['doc:parts', 'doc:whole'], (index) => (index === 0 ? ['{"head":1}\u001e', text] : 'whole'));
    expect(claim.inserted).toEqual([true, true]);
    // SQLite answers from its queue before the commit; the others have stored it already.
    expect(await first.collections.docs(['doc:parts', 'doc:whole'])).toEqual([`{"head":1}\u001e${text}`, 'whole']);
    await claim.stored;
    await first.close();
    const second = await open(url, namespace);
    expect(await second.collections.docs(['doc:parts', 'doc:whole'])).toEqual([`{"head":1}\u001e${text}`, 'whole']);
    await second.close();
  });

  it('finds keys again whatever characters they hold, lone surrogates included', async () => {
    const url = await backend.url();
    const namespace = testNamespace();
    const odd = ['doc:a\ud800b', 'doc:\udc00', 'doc:"quoted" \\ and \u00e9', 'doc:\u2028line'];
    const first = await open(url, namespace);
    expect(await first.collections.insertNew(odd.map((key, n) => ({ key, value: `v${n}` })))).toEqual(odd.map(() => true));
    await first.collections.append(odd.map((key, n) => ({ key, values: [`e${n}`] })));
    await first.collections.add(odd.map((key, n) => ({ key, field: 'f', by: n + 1 })));
    await first.close();
    const second = await open(url, namespace);
    // A key read back wrongly would make a seen item look new on every poll.
    expect(await second.collections.insertNew(odd.map((key) => ({ key, value: 'again' })))).toEqual(odd.map(() => false));
    expect(await second.collections.docs(odd)).toEqual(odd.map((_, n) => `v${n}`));
    expect(await second.collections.present(odd)).toEqual(odd.map(() => true));
    expect(await second.collections.lists(odd)).toEqual(odd.map((_, n) => [`e${n}`]));
    expect((await second.collections.counts(odd)).map((fields) => fields.get('f'))).toEqual(odd.map((_, n) => n + 1));
    await second.close();
  });
});

describe('SQLite group commit', () => {
  const sqliteUrl = async (): Promise<string> => {
    const sqlite = backends.find((backend) => backend.name === 'sqlite');
    if (!sqlite) throw new Error('SQLite is always tested');
    return sqlite.url();
  };

  it('reads a queued value back before its transaction commits', async () => {
    const database = await SqliteDatabase.open((await sqliteUrl()).slice('sqlite://'.length), 5_000);
    const written: Array<Promise<void>> = [];
    for (let n = 0; n < 50; n += 1) {
      written.push(database.setMany([[`k${n}`, `v${n}`]]));
      // Not awaited: the value is queued, and a read must still return it.
      expect(await database.getMany([`k${n}`, 'absent'])).toEqual([`v${n}`, undefined]);
    }
    written.push(database.setMany([['k0', null]]));
    expect(await database.getMany(['k0'])).toEqual([undefined]);
    expect(await database.present(['k0', 'k1', 'absent'], 'keyv')).toEqual([false, true, false]);
    await Promise.all(written);
    expect(await database.getMany(['k0', 'k49'])).toEqual([undefined, 'v49']);
    await database.close();
  });

  it('answers a claim before its commit, so the writes made next join the same transaction', async () => {
    const path = (await sqliteUrl()).slice('sqlite://'.length);
    const database = await SqliteDatabase.open(path, 5_000);
    const claim = database.claimNew(['doc:a', 'doc:b'], (index) => ['a', 'b'][index] as string);
    expect(claim.inserted).toEqual([true, true]);
    const appended = database.append([['list:after-claim', 'x']]);
    let settled = false;
    void claim.stored.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    // One batch, one commit: both writes settle on the same promise.
    expect(appended).toBe(claim.stored);
    await appended;
    expect(settled).toBe(true);
    expect(await database.lists(['list:after-claim'])).toEqual([['x']]);
    expect(await database.getMany(['doc:a', 'doc:b'], 'sitrep_docs')).toEqual(['a', 'b']);
    await database.close();
  });

  it('commits the new items of a poll, their topic index entries and the feed state as one transaction', async () => {
    const path = (await sqliteUrl()).slice('sqlite://'.length);
    const database = await SqliteDatabase.open(path, 5_000);
    const collections = createSqliteCollections(database, 'poll:');
    const items = createItemRepository(collections, 100);
    const feeds = createFeedStateRepository(new Keyv({ store: new SqliteKeyvAdapter(database), namespace: 'poll' }), collections);
    const feedUrl = 'https://feed0.example/';
    const offered = ['a', 'b', 'c'].map((id) => ({ id, feedUrl, title: id, text: id, link: null, published: '2015-11-20T00:00:00Z', source: 'F' }));
    const before = database.commits;
    const fresh = await items.addNew(offered, () => ['syria', 'russia'], new Date('2015-11-20T01:00:00Z'), {
      alongside: () => feeds.put({ ...emptyFeedState(feedUrl), etag: '"1"' }),
    });
    expect(fresh).toHaveLength(3);
    expect(database.commits - before).toBe(1);
    expect((await feeds.get(feedUrl)).etag).toBe('"1"');
    expect((await feeds.list()).map((state) => state.url)).toEqual([feedUrl]);
    expect(await items.listByTopic('russia')).toHaveLength(3);
    await database.close();
  });

  it('gathers large writes of many turns of the event loop into a few commits, and commits small ones at once', async () => {
    const path = (await sqliteUrl()).slice('sqlite://'.length);
    const database = await SqliteDatabase.open(path, 5_000);
    const turns = async (size: number): Promise<number> => {
      await database.setMany([['warm', 'w'.repeat(size)]]);
      const before = database.commits;
      const writes: Array<Promise<void>> = [];
      for (let n = 0; n < 60; n += 1) {
        writes.push(database.setMany([[`k${n}`, `v${n}:${'x'.repeat(size)}`]]));
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      await Promise.all(writes);
      return database.commits - before;
    };
    // A poll's items (~50 K) per turn: far fewer commits than turns.
    expect(await turns(50_000)).toBeLessThan(30);
    expect((await database.getMany(['k59']))[0]?.startsWith('v59:')).toBe(true);
    // A small write per turn: each commits in its own turn, as soon as it can.
    expect(await turns(10)).toBeGreaterThan(50);
    await database.close();
  });

  it('keeps every write made before close, across a reopen', async () => {
    const url = await sqliteUrl();
    const store = await openStore(url, { namespace: 'gc' });
    const writes: Array<Promise<unknown>> = [];
    // An item too: feed states of a store that holds none are read in full again at open.
    const item = { id: 'a', feedUrl: 'https://feed0.example/', title: 'A', text: 'a', link: null, published: '2015-11-20T00:00:00Z', source: 'A' };
    writes.push(store.items.addNew([item], () => ['syria'], new Date()));
    for (let n = 0; n < 200; n += 1) writes.push(store.feeds.put({ ...emptyFeedState(`https://feed${n}.example/`), etag: `"${n}"` }));
    await store.close();
    await Promise.all(writes);
    const reopened = await openStore(url, { namespace: 'gc' });
    const states = await reopened.feeds.list();
    expect(states).toHaveLength(200);
    expect(new Set(states.map((state) => state.etag)).size).toBe(200);
    await reopened.close();
  });
});

describe('increment order', () => {
  it('sums increments per field and orders them by code units, a strict order every writer shares', () => {
    const merged = mergeIncrements([
      { key: 'topic-hours:b', field: '2015-11-20T10', by: 1 },
      { key: 'topic-hours:B', field: '2015-11-20T10', by: 2 },
      { key: 'topic-hours:b', field: '2015-11-20T09', by: 3 },
      { key: 'topic-hours:b', field: '2015-11-20T10', by: 4 },
    ]);
    expect(merged).toEqual([
      { key: 'topic-hours:B', field: '2015-11-20T10', by: 2 },
      { key: 'topic-hours:b', field: '2015-11-20T09', by: 3 },
      { key: 'topic-hours:b', field: '2015-11-20T10', by: 5 },
    ]);
    // Strings a collation may call equal still get an order.
    expect(byCodeUnits('e\u0301', '\u00e9')).not.toBe(0);
    expect(['2015-11-20T10:00:00.000Z', '2015-11-19T23:00:00.000Z'].sort(byCodeUnits)[0]).toBe('2015-11-19T23:00:00.000Z');
  });
});
