/**
 * One process of `npm run bench -- scale` (files starting with "_" are not benches themselves).
 * Reads its job from SITREP_BENCH_JOB, waits for the common start time, does the work and prints
 * one JSON line: `{"polled", "ops", "ms"}`.
 *
 *  - polls: claims each feed with the feed lease, as the scheduler does, and polls the ones it won
 *    through the real poll path (fetch, parse, topic match, store), until no feed is left;
 *  - ops: for a fixed time, a mix of store calls a poll makes (feed state read and write, a lease,
 *    an item insert with its topic index appends and counts, the item count).
 */
import { pollOne } from '../src/ingest/cycle.ts';
import { createLogger } from '../src/log.ts';
import type { TopicDef } from '../src/news/types.ts';
import { newOwnerId, openStore } from '../src/store/index.ts';

interface Job {
  kind: 'polls' | 'ops';
  storeUrl: string;
  namespace: string;
  feeds: string[];
  /** This worker's position: it starts its walk through the feeds there, as processes would. */
  index: number;
  startAt: number;
  durationMs: number;
}

const job = JSON.parse(process.env['SITREP_BENCH_JOB'] ?? '{}') as Job;
const store = await openStore(job.storeUrl, { namespace: job.namespace });
const owner = newOwnerId();
const log = createLogger({ level: 'error' });
const topic: TopicDef = { id: 'syria', name: 'Syria', keywords: ['Syria'], aliases: [], exclude: [] };
await new Promise((resolve) => setTimeout(resolve, Math.max(0, job.startAt - Date.now())));
const started = performance.now();
let polled = 0;
let ops = 0;

if (job.kind === 'polls') {
  const deps = {
    store,
    topics: () => Promise.resolve([{ key: topic.id, def: topic }]),
    log,
    fetch: { timeoutMs: 10_000, maxBytes: 5_000_000, allowPrivate: true, userAgent: 'sitrep-bench' },
    concurrency: 8,
    now: () => new Date(),
    stopping: () => false,
  };
  const offset = Math.floor((job.index * job.feeds.length) / 3);
  const queue = job.feeds.map((_, n) => job.feeds[(n + offset) % job.feeds.length] as string);
  const worker = async (): Promise<void> => {
    for (let url = queue.shift(); url; url = queue.shift()) {
      if (!(await store.leases.acquire(`feed:${url}`, owner, 600_000))) continue;
      await pollOne({ url }, deps);
      polled += 1;
    }
  };
  await Promise.all(Array.from({ length: deps.concurrency }, () => worker()));
} else {
  const deadline = started + job.durationMs;
  const worker = async (lane: number): Promise<void> => {
    for (let n = 0; performance.now() < deadline; n += 1) {
      const url = `https://bench.example/${job.index}/${lane}/${n % 50}`;
      const state = await store.feeds.get(url);
      await store.feeds.put({ ...state, lastAttempt: new Date().toISOString() });
      await store.leases.acquire(`feed:${url}`, owner, 60_000);
      const id = `${job.index}-${lane}-${n}`;
      await store.items.addNew(
        [{ id, feedUrl: url, title: `Syria ${id}`, text: 'Syria', link: null, published: new Date().toISOString(), source: 'bench' }],
        () => ['syria'],
        new Date(),
      );
      await store.items.count();
      ops += 5;
    }
  };
  await Promise.all(Array.from({ length: 8 }, (_, lane) => worker(lane)));
}

const ms = performance.now() - started;
await store.close();
process.stdout.write(`${JSON.stringify({ polled, ops, ms })}\n`);
