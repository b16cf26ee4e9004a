import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/chat/reply.ts';
import { renderText } from '../../src/chat/render-text.ts';
import { DigestSendError, type SendFailureKind } from '../../src/digest/errors.ts';
import { createDigestScheduler, LATE_WRITE_MS, type DigestDeps, type DigestScheduler, type ScheduleEntry } from '../../src/digest/service.ts';
import type { DigestTransport, FindResult, PostResult } from '../../src/digest/transport.ts';
import { silentLogger } from '../../src/log.ts';
import type { Baseline, Item, TopicDef } from '../../src/news/types.ts';
import { openStore, type DigestSchedule, type Store } from '../../src/store/index.ts';

const GUILD = 'g1';
const CHANNEL = 'c1';
const TOPICS: TopicDef[] = [
  { id: 'syria', name: 'Syria', keywords: ['Syria'], aliases: [], exclude: [] },
  { id: 'russia', name: 'Russia', keywords: ['Russia'], aliases: [], exclude: [] },
];
const BASELINE: Baseline = {
  id: 'baseline',
  title: 'Leaders urge focus on Islamic State',
  text: 'Leaders met in Turkey and urged Russia to focus its strikes in Syria on Islamic State.',
  published: '2015-11-16T00:00:00Z',
  source: 'UPI',
  link: null,
};

type Step = 'ok' | SendFailureKind | 'ambiguous-but-posted';

/** A channel-keeping fake of Discord: posts can be made to fail in each way the outbox knows. */
function fakeTransport() {
  const channels = new Map<string, Array<{ id: string; text: string; reply: Reply }>>();
  const notices: string[] = [];
  const plan: Step[] = [];
  let ids = 0;
  let findFails = 0;
  const transport: DigestTransport = {
    kind: 'discord',
    post(channelId, reply): Promise<PostResult> {
      const step = plan.shift() ?? 'ok';
      if (step === 'ok' || step === 'ambiguous-but-posted') {
        const list = channels.get(channelId) ?? [];
        ids += 1;
        list.push({ id: `m${ids}`, text: renderText(reply), reply });
        channels.set(channelId, list);
        if (step === 'ok') return Promise.resolve({ status: 'sent', messageId: `m${ids}` });
        return Promise.resolve({ status: 'failed', error: new DigestSendError('ambiguous', 'digest: 500 after the message was created') });
      }
      return Promise.resolve({ status: 'failed', error: new DigestSendError(step, `digest: ${step}`) });
    },
    find(channelId, marker): Promise<FindResult> {
      if (findFails > 0) {
        findFails -= 1;
        return Promise.resolve({ status: 'failed', error: new DigestSendError('ambiguous', 'digest: history 502') });
      }
      const hit = (channels.get(channelId) ?? []).find((message) => message.text.includes(marker));
      return Promise.resolve(hit ? { status: 'found', messageId: hit.id } : { status: 'absent' });
    },
    notifyAdmins(_guildId, _channelId, text) {
      notices.push(text);
      return Promise.resolve('a DM to the owner');
    },
  };
  return {
    transport,
    channels,
    notices,
    messages: (channelId: string) => channels.get(channelId) ?? [],
    failNext: (...steps: Step[]) => plan.push(...steps),
    failChecks: (times: number) => {
      findFails = times;
    },
  };
}

function schedule(partial: Partial<DigestSchedule> = {}): DigestSchedule {
  return {
    id: 'd1',
    channelId: CHANNEL,
    cron: '0 */6 * * *',
    phrase: 'every 6 hours',
    timezone: 'UTC',
    topics: [],
    quiet: null,
    whenEmpty: 'skip',
    paused: false,
    pausedReason: null,
    createdBy: 'u1',
    createdAt: '2026-03-01T00:00:00.000Z',
    ...partial,
  };
}

interface Harness {
  store: Store;
  clock: { now: Date };
  fake: ReturnType<typeof fakeTransport>;
  /** A scheduler over the store; `overrides` stand in for what another process would have. */
  scheduler(overrides?: Partial<DigestDeps>): DigestScheduler;
  setSchedules(list: DigestSchedule[]): Promise<void>;
}

const open: Store[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

async function harness(at: string): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'sitrep-digest-'));
  const store = await openStore(`sqlite://${join(dir, 'store.sqlite')}`);
  open.push(store);
  const clock = { now: new Date(at) };
  const fake = fakeTransport();
  const schedules = async (): Promise<ScheduleEntry[]> =>
    (await store.guilds.list()).flatMap((guild) => guild.digests.map((entry) => ({ guildId: guild.guildId, schedule: entry })));
  return {
    store,
    clock,
    fake,
    // A new scheduler over the same store is what a restarted process is.
    scheduler: (overrides = {}) =>
      createDigestScheduler({
        store,
        transport: fake.transport,
        topics: TOPICS,
        baselineFor: () => Promise.resolve(BASELINE),
        limits: { maxStories: 5, storyWindowHours: 72 },
        schedules,
        owns: () => true,
        ready: Promise.resolve(),
        catchUp: true,
        log: silentLogger(),
        now: () => clock.now,
        tickMs: 60_000,
        retryBaseMs: 60_000,
        owner: `test-${Math.random()}`,
        ...overrides,
      }),
    setSchedules: async (list) => {
      await store.guilds.update(GUILD, (guild) => ({ ...guild, digests: list }), clock.now);
    },
  };
}

const PLACES = ['Aleppo', 'Raqqa', 'Homs', 'Latakia', 'Idlib', 'Palmyra', 'Damascus', 'Hama'];

/** Item n of the simulated day: about Syria, Russia or both, from one of four outlets. */
function dayItem(n: number, published: Date): Item & { topics: string[] } {
  const place = PLACES[n % PLACES.length] ?? 'Aleppo';
  const topics = n % 5 === 0 ? ['syria', 'russia'] : n % 2 === 0 ? ['syria'] : ['russia'];
  const about = topics.length === 2 ? 'Russia strikes in Syria' : topics[0] === 'syria' ? 'Syria fighting' : 'Russia talks';
  return {
    id: `item-${n}`,
    feedUrl: `https://outlet${n % 4}.example/feed`,
    title: `${about} near ${place}: update ${Math.floor(n / 40)}`,
    text: `${about} continued near ${place} on day ${n % 3}. Officials said ${n % 50} people were hurt in ${place}.`,
    link: `https://outlet${n % 4}.example/${n}`,
    published: published.toISOString(),
    source: `Outlet ${n % 4}`,
    topics,
  };
}

describe('digest outbox and scheduler', () => {
  it('nothing is lost: 1,000 items over a day, four digests, each item in exactly one digest of the channel per topic', async () => {
    const h = await harness('2026-03-10T00:00:00Z');
    await h.setSchedules([schedule({ createdAt: '2026-03-10T00:00:00.000Z' })]);
    let scheduler = h.scheduler();
    const start = Date.parse('2026-03-10T00:00:00Z');
    const day = 24 * 60 * 60 * 1000;
    const expected = new Map<string, Set<string>>([
      ['syria', new Set()],
      ['russia', new Set()],
    ]);
    // Discord misbehaves during the day: an ambiguous failure after the message was created
    // (must not double), plain failures (must not lose), a failed history check.
    h.fake.failNext('ok', 'ambiguous-but-posted', 'retry', 'ambiguous');
    const late: Array<{ item: Item & { topics: string[] }; seen: Date }> = [];
    for (let n = 0; n < 1_000; n += 1) {
      const at = new Date(start + Math.floor(((n + 0.5) * day) / 1_000));
      const item = dayItem(n, at);
      for (const topic of item.topics) expected.get(topic)?.add(item.id);
      // Some items are written 12 minutes after their poll started (their firstSeen), the way a
      // slow feed's are: 248 and 748 land after a digest's cutoff although seen before it.
      if (n % 97 === 0 || n === 248 || n === 748) {
        late.push({ item, seen: at });
      } else {
        await h.store.items.addNew([item], () => item.topics, at);
      }
      h.clock.now = at;
      for (const pending of late.filter((entry) => entry.seen.getTime() + 12 * 60_000 <= at.getTime())) {
        await h.store.items.addNew([pending.item], () => pending.item.topics, pending.seen);
        late.splice(late.indexOf(pending), 1);
      }
      // The scheduler runs a pass every simulated 10 minutes (its loop would, on a tick).
      if (n % 7 === 0) await scheduler.pass();
      // The process restarts twice during the day.
      if (n === 400 || n === 700) scheduler = h.scheduler();
      if (n === 600) h.fake.failChecks(1);
    }
    for (const pending of late) await h.store.items.addNew([pending.item], () => pending.item.topics, pending.seen);
    // Midnight and a little after: the fourth digest, then retries until everything is out.
    for (let minutes = 0; minutes <= 60 * 8; minutes += 10) {
      h.clock.now = new Date(start + day + minutes * 60_000);
      await scheduler.pass();
    }
    const posted = h.fake.messages(CHANNEL);
    const box = await h.store.outbox.get(CHANNEL);
    const sent = box.records.filter((record) => record.status === 'sent');
    expect(box.records.filter((record) => record.status === 'pending')).toEqual([]);
    expect(sent.map((record) => record.period)).toEqual([
      '2026-03-10T06:00:00.000Z',
      '2026-03-10T12:00:00.000Z',
      '2026-03-10T18:00:00.000Z',
      '2026-03-11T00:00:00.000Z',
    ]);
    // Four posts, one per digest, though one answer was lost after the message was created.
    expect(posted).toHaveLength(4);
    expect(new Set(posted.map((message) => message.text.match(/ref [0-9a-f]{12}/)?.[0])).size).toBe(4);
    const idOf = new Map<string, string>();
    for (const item of await h.store.items.listByTopic('syria')) idOf.set(item.key, item.id);
    for (const item of await h.store.items.listByTopic('russia')) idOf.set(item.key, item.id);
    for (const [topic, ids] of expected) {
      const counts = new Map<string, number>();
      for (const record of sent) {
        for (const key of record.covered[topic] ?? []) {
          const id = idOf.get(key) ?? key;
          counts.set(id, (counts.get(id) ?? 0) + 1);
        }
      }
      const missing = [...ids].filter((id) => !counts.has(id));
      const doubled = [...counts].filter(([, count]) => count > 1).map(([id]) => id);
      expect({ topic, missing, doubled }).toEqual({ topic, missing: [], doubled: [] });
      expect(counts.size).toBe(ids.size);
    }
    // What was posted is what was recorded: each digest's lead counts its stories.
    expect(posted[0]?.text).toMatch(/^Digest: \d+ stor(y|ies) in 2 topics/);
    // The late writes crossed a cutoff and went into the digest after it.
    expect(LATE_WRITE_MS).toBeGreaterThan(12 * 60_000);
    const keyOf = new Map([...idOf].map(([key, id]) => [id, key]));
    const periodOf = (id: string): string | undefined =>
      sent.find((record) => Object.values(record.covered).some((keys) => keys.includes(keyOf.get(id) ?? '')))?.period;
    expect(periodOf('item-248')).toBe('2026-03-10T12:00:00.000Z');
    expect(periodOf('item-748')).toBe('2026-03-11T00:00:00.000Z');
  }, 120_000);

  it('a week down posts one catch-up digest, once, also across another restart', async () => {
    const h = await harness('2026-03-20T08:00:00Z');
    await h.setSchedules([schedule({ cron: '0 8 * * *', phrase: 'daily 08:00', timezone: 'Europe/London', createdAt: '2026-03-01T00:00:00.000Z' })]);
    await h.store.items.addNew([dayItem(2, new Date('2026-03-20T07:00:00Z'))], () => ['syria'], new Date('2026-03-20T07:00:00Z'));
    await h.scheduler().pass();
    expect(h.fake.messages(CHANNEL)).toHaveLength(1);
    // Down for a week; news arrived meanwhile (another process polled, or it arrives at start).
    await h.store.items.addNew([dayItem(4, new Date('2026-03-25T07:00:00Z'))], () => ['syria'], new Date('2026-03-27T09:59:00Z'));
    h.clock.now = new Date('2026-03-27T10:00:00Z');
    const restarted = h.scheduler();
    expect(await restarted.pass()).toMatchObject({ composed: 1, delivered: 1 });
    expect(await restarted.pass()).toMatchObject({ composed: 0, delivered: 0 });
    expect(await h.scheduler().pass()).toMatchObject({ composed: 0, delivered: 0 });
    const records = (await h.store.outbox.get(CHANNEL)).records;
    expect(records.map((record) => record.period)).toEqual(['2026-03-20T08:00:00.000Z', '2026-03-27T08:00:00.000Z']);
    expect(h.fake.messages(CHANNEL)).toHaveLength(2);
    expect(await restarted.nextRun(GUILD)).toEqual(new Date('2026-03-28T08:00:00.000Z'));
  });

  it('a crash between the post and "marked sent" is settled by the channel check, without a second post', async () => {
    const h = await harness('2026-03-10T06:00:00Z');
    await h.setSchedules([schedule()]);
    await h.store.items.addNew([dayItem(2, new Date('2026-03-10T05:00:00Z'))], () => ['syria'], new Date('2026-03-10T05:00:00Z'));
    // The post lands but its answer is lost (as when the process dies right after the POST).
    h.fake.failNext('ambiguous-but-posted');
    await h.scheduler().pass();
    const [record] = (await h.store.outbox.get(CHANNEL)).records;
    expect(record).toMatchObject({ status: 'pending', mayHaveLanded: true, attempts: 1 });
    h.clock.now = new Date('2026-03-10T06:05:00Z');
    expect(await h.scheduler().pass()).toMatchObject({ delivered: 1 });
    expect(h.fake.messages(CHANNEL)).toHaveLength(1);
    expect((await h.store.outbox.get(CHANNEL)).records[0]).toMatchObject({ status: 'sent', messageId: 'm1' });
  });

  it('a deleted channel pauses the schedule and tells the admins once; the digest waits, not lost', async () => {
    const h = await harness('2026-03-10T06:00:00Z');
    await h.setSchedules([schedule(), schedule({ id: 'd2', channelId: 'c2' })]);
    await h.store.items.addNew([dayItem(2, new Date('2026-03-10T05:00:00Z'))], () => ['syria'], new Date('2026-03-10T05:00:00Z'));
    h.fake.failNext('gone');
    const scheduler = h.scheduler();
    await scheduler.pass();
    h.clock.now = new Date('2026-03-10T12:00:00Z');
    await scheduler.pass();
    await h.scheduler().pass();
    expect(h.fake.notices).toHaveLength(1);
    expect(h.fake.notices[0]).toContain('no longer exists');
    const settings = await h.store.guilds.get(GUILD);
    expect(settings.digests.find((entry) => entry.id === 'd1')).toMatchObject({ paused: true });
    expect(settings.digests.find((entry) => entry.id === 'd1')?.pausedReason).toContain('no longer exists');
    // The other channel's schedule goes on.
    expect(settings.digests.find((entry) => entry.id === 'd2')).toMatchObject({ paused: false });
    expect(h.fake.messages('c2').length).toBeGreaterThan(0);
    // Resumed (say in a channel that works again): the held digest goes out then.
    await h.setSchedules(settings.digests.map((entry) => ({ ...entry, paused: false, pausedReason: null })));
    await scheduler.pass();
    expect(h.fake.messages(CHANNEL)).toHaveLength(1);
  });

  it('backs off, reports a digest failing for 24 hours in failedDigests(), and still delivers it later', async () => {
    const h = await harness('2026-03-10T06:00:00Z');
    await h.setSchedules([schedule({ whenEmpty: 'post' })]);
    const scheduler = h.scheduler();
    h.fake.failNext(...Array<Step>(40).fill('retry'));
    await scheduler.pass();
    let record = (await h.store.outbox.get(CHANNEL)).records[0];
    expect(record).toMatchObject({ attempts: 1, nextAttemptAt: '2026-03-10T06:01:00.000Z' });
    // Not before its backoff.
    h.clock.now = new Date('2026-03-10T06:00:30Z');
    await scheduler.pass();
    expect((await h.store.outbox.get(CHANNEL)).records[0]?.attempts).toBe(1);
    for (let hour = 0; hour <= 25; hour += 1) {
      h.clock.now = new Date(Date.parse('2026-03-10T06:01:00Z') + hour * 3_600_000);
      await scheduler.pass();
    }
    record = (await h.store.outbox.get(CHANNEL)).records.find((entry) => entry.status === 'pending');
    expect(record?.reportedAt).not.toBeNull();
    expect(await scheduler.failedDigests()).toHaveLength(1);
    // Later periods wait behind it instead of piling up.
    expect((await h.store.outbox.get(CHANNEL)).records).toHaveLength(1);
    // The remaining planned failures run out, then the post goes through.
    while (h.fake.messages(CHANNEL).length === 0) {
      h.clock.now = new Date(h.clock.now.getTime() + 3_600_000);
      await scheduler.pass();
    }
    expect(await scheduler.failedDigests()).toEqual([]);
  });

  it('a quiet window holds the digest until it ends; "nothing new" follows the schedule\'s choice', async () => {
    const h = await harness('2026-03-10T23:00:00Z');
    await h.setSchedules([
      schedule({ cron: '0 23 * * *', quiet: { from: '22:00', to: '07:00' }, whenEmpty: 'post', createdAt: '2026-03-10T00:00:00.000Z' }),
      schedule({ id: 'd2', channelId: 'c2', cron: '0 23 * * *', whenEmpty: 'skip', createdAt: '2026-03-10T00:00:00.000Z' }),
    ]);
    const scheduler = h.scheduler();
    await scheduler.pass();
    expect(h.fake.messages(CHANNEL)).toHaveLength(0);
    expect(h.fake.messages('c2')).toHaveLength(0);
    h.clock.now = new Date('2026-03-11T07:00:00Z');
    await scheduler.pass();
    expect(h.fake.messages(CHANNEL).map((message) => message.text.split('\n')[0])).toEqual(['Digest: nothing new since 2026-03-10 00:00 UTC.']);
    expect(h.fake.messages(CHANNEL)[0]?.text).toContain('2026-03-10 23:00 UTC');
  });

  it('/digest now posts at once and the next scheduled digest starts after it', async () => {
    const h = await harness('2026-03-10T03:00:00Z');
    await h.setSchedules([schedule()]);
    await h.store.items.addNew([dayItem(2, new Date('2026-03-10T02:00:00Z'))], () => ['syria'], new Date('2026-03-10T02:00:00Z'));
    const scheduler = h.scheduler();
    expect(await scheduler.runNow(GUILD, 'd1')).toMatchObject({ posted: true });
    h.clock.now = new Date('2026-03-10T06:00:00Z');
    expect(await scheduler.pass()).toMatchObject({ composed: 0, skipped: 1 });
    expect(h.fake.messages(CHANNEL)).toHaveLength(1);
    await expect(scheduler.runNow(GUILD, 'nope')).rejects.toMatchObject({ code: 'digest.missing' });
  });
  it('serves its own shards\' guilds first and takes over another\'s digests once they are overdue', async () => {
    const h = await harness('2026-03-10T05:00:00Z');
    for (const [guildId, channelId] of [['gA', 'cA'], ['gB', 'cB']] as const)
      await h.store.guilds.update(
        guildId,
        (guild) => ({ ...guild, digests: [schedule({ id: `d-${guildId}`, channelId, whenEmpty: 'post', createdAt: '2026-03-10T00:00:00.000Z' })] }),
        h.clock.now,
      );
    const processFor = (guildId: string) => {
      const fake = fakeTransport();
      const scheduler = h.scheduler({ transport: fake.transport, owner: `process-${guildId}`, prefers: (id) => id === guildId, takeOverAfterMs: 5 * 60_000 });
      return { fake, scheduler };
    };
    const a = processFor('gA');
    const b = processFor('gB');

    h.clock.now = new Date('2026-03-10T06:00:30Z');
    await a.scheduler.pass();
    await b.scheduler.pass();
    expect([a.fake.messages('cA').length, a.fake.messages('cB').length]).toEqual([1, 0]);
    expect([b.fake.messages('cA').length, b.fake.messages('cB').length]).toEqual([0, 1]);

    // A's process is down at the next fire: B leaves gA's digest alone for a while, then posts it, once.
    h.clock.now = new Date('2026-03-10T12:01:00Z');
    await b.scheduler.pass();
    expect([b.fake.messages('cA').length, b.fake.messages('cB').length]).toEqual([0, 2]);
    h.clock.now = new Date('2026-03-10T12:06:00Z');
    await b.scheduler.pass();
    await b.scheduler.pass();
    expect([b.fake.messages('cA').length, b.fake.messages('cB').length]).toEqual([1, 2]);
    expect(a.fake.messages('cA')).toHaveLength(1);
  });
});
