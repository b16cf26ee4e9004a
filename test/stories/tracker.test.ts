import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../src/news/types.ts';
import { openStore } from '../../src/store/index.ts';
import { createStoryTracker } from '../../src/stories/tracker.ts';
import { storiesCreated } from '../../src/ops/metrics.ts';
import { testBackends, testNamespace } from '../store/backends.ts';

async function storiesCounted(): Promise<number> {
  return (await storiesCreated.get()).values.reduce((sum, value) => sum + value.value, 0);
}

function item(id: string, feed: string, title: string, text: string, published: string): Item {
  return { id, feedUrl: `https://${feed}.example/rss`, title, text, published, source: feed, link: `https://${feed}.example/${id}` };
}

const toll1 = item('a1', 'wire', 'Paris attacks death toll rises to 130', 'The death toll from the Paris attacks rose to 130 on Friday after a wounded victim died in hospital, French officials said.', '2015-11-20T10:00:00Z');
const toll2 = item('b1', 'paper', 'Paris toll now 130 as victim dies', 'French officials said the toll of the Paris attacks rose to 130 after another victim died in a Paris hospital on Friday.', '2015-11-20T12:00:00Z');
const mali = item('c1', 'wire', 'Gunmen storm Bamako hotel, 21 dead', 'Gunmen attacked the Radisson Blu hotel in Bamako, Mali, and at least 21 people were killed before troops ended the siege.', '2015-11-20T14:00:00Z');
const toll3 = item('d1', 'radio', 'France: Paris attacks toll reaches 130', 'The number of people killed in the Paris attacks reached 130, French officials said on Friday, after a victim died in hospital.', '2015-11-21T09:00:00Z');

describe('story tracker', () => {
  it('groups a round of items into stories, records them, and keeps story ids across a restart', async () => {
    const url = `sqlite://${join(await mkdtemp(join(tmpdir(), 'sitrep-stories-')), 's.sqlite')}`;
    const now = new Date('2015-11-21T00:00:00Z');
    const first = await openStore(url);
    const tracker = createStoryTracker(first, { windowHours: 72 });
    // Arrives newest first, as feeds answer in any order.
    const stored = await first.items.addNew([mali, toll2, toll1], () => ['paris-attacks'], now);
    const countedBefore = await storiesCounted();
    await tracker.track(stored);
    expect(await tracker.flush()).toBe(3);
    expect((await storiesCounted()) - countedBefore).toBe(2);
    const items = await first.items.listByTopic('paris-attacks');
    const storyOf = new Map(items.map((it) => [it.id, it.story]));
    expect(storyOf.get('a1')).toBeDefined();
    expect(storyOf.get('a1')).toBe(storyOf.get('b1'));
    expect(storyOf.get('c1')).not.toBe(storyOf.get('a1'));
    await first.close();

    const second = await openStore(url);
    const restarted = createStoryTracker(second, { windowHours: 72 });
    expect(await restarted.warmUp(['paris-attacks'], new Date('2015-11-21T10:00:00Z'))).toBe(3);
    const more = await second.items.addNew([toll3], () => ['paris-attacks'], now);
    const countedAfterRestart = await storiesCounted();
    await restarted.track(more);
    await restarted.flush();
    // Joining a story that existed before the restart creates none.
    expect(await storiesCounted()).toBe(countedAfterRestart);
    const after = new Map((await second.items.listByTopic('paris-attacks')).map((it) => [it.id, it.story]));
    expect(after.get('d1')).toBe(storyOf.get('a1'));
    await second.close();
  });

  it('lets the event loop run while it groups a large round', async () => {
    const url = `sqlite://${join(await mkdtemp(join(tmpdir(), 'sitrep-stories-')), 's.sqlite')}`;
    const store = await openStore(url);
    const tracker = createStoryTracker(store, { windowHours: 72 });
    const many = Array.from({ length: 300 }, (_, n) =>
      item(`m${n}`, `feed${n % 7}`, `Aid convoy ${n} reaches town ${n % 40}`, `Convoy ${n} brought food to town ${n % 40} on Friday.`, `2015-11-20T${String(n % 24).padStart(2, '0')}:00:00Z`),
    );
    await tracker.track(await store.items.addNew(many, () => ['refugees'], new Date('2015-11-21T00:00:00Z')));
    const before = await storiesCounted();
    let seenBetween: number | null = null;
    setImmediate(() => {
      void storiesCounted().then((count) => (seenBetween = count - before));
    });
    // Two flushes at once run one after the other; the second finds nothing queued.
    expect(await Promise.all([tracker.flush(), tracker.flush()])).toEqual([300, 0]);
    const created = (await storiesCounted()) - before;
    // The callback ran after the first slice was grouped and before the last.
    expect(seenBetween).toBeGreaterThan(0);
    expect(seenBetween).toBeLessThan(created);
    await store.close();
  });

  it('groups only items that matched a topic: the others are never shown and not rebuilt after a restart', async () => {
    const url = `sqlite://${join(await mkdtemp(join(tmpdir(), 'sitrep-stories-')), 's.sqlite')}`;
    const store = await openStore(url);
    const tracker = createStoryTracker(store, { windowHours: 72 });
    const stored = await store.items.addNew([toll1, mali], (it) => (it.id === 'a1' ? ['paris-attacks'] : []), new Date('2015-11-21T00:00:00Z'));
    expect(stored).toHaveLength(2);
    await tracker.track(stored);
    expect(await tracker.flush()).toBe(1);
    expect((await store.items.listByTopic('paris-attacks')).map((it) => [it.id, it.story !== undefined])).toEqual([['a1', true]]);
    await store.close();
  });
});

const backends = (await testBackends()).filter((backend) => backend.name !== 'sqlite');

describe.each(backends)('story trackers of several processes ($name)', (backend) => {
  it('puts an item into the story another process started for the same event', async () => {
    const url = await backend.url();
    const namespace = testNamespace();
    const [storeA, storeB] = [await openStore(url, { namespace }), await openStore(url, { namespace })];
    const now = new Date('2015-11-21T00:00:00Z');
    const a = createStoryTracker(storeA, { windowHours: 72 });
    const b = createStoryTracker(storeB, { windowHours: 72 });
    await a.warmUp(['paris-attacks'], now);
    await b.warmUp(['paris-attacks'], now);

    // Process A polls the wire and the Bamako report; process B polls the paper a moment later.
    await a.track(await storeA.items.addNew([toll1, mali], () => ['paris-attacks'], now));
    await a.flush();
    await b.track(await storeB.items.addNew([toll2], () => ['paris-attacks'], now));
    await b.flush();

    const storyOf = new Map((await storeA.items.listByTopic('paris-attacks')).map((it) => [it.id, it.story]));
    expect(storyOf.get('b1')).toBeDefined();
    expect(storyOf.get('b1')).toBe(storyOf.get('a1'));
    expect(storyOf.get('c1')).not.toBe(storyOf.get('a1'));
    await Promise.all([storeA.close(), storeB.close()]);
  });
});
