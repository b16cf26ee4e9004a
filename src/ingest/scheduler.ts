import { createFeedAgent } from '../feeds/index.ts';
import type { FeedSource } from '../feeds/types.ts';
import type { Leases } from '../store/index.ts';
import { DEFAULT_INTERVAL_MS, pollOne, type CycleDeps, type PollOutcome } from './cycle.ts';

/*
 * The per-feed scheduler. Every feed has its own next-poll time (stored in its FeedState, so a
 * restart keeps it); a tick starts the feeds that are due, a few at a time and at most `perHost`
 * per host, and does not wait for them: a feed that hangs holds one slot until its timeout, and
 * every other feed keeps its schedule.
 */

export interface SchedulerDeps extends CycleDeps {
  /** Every feed to poll, read at each tick (config feeds plus guild feeds; see `feedSources`). */
  sources: () => Promise<ReadonlyArray<FeedSource>>;
  /** Requests to one host at once. */
  perHost: number;
  /** ms between ticks; null runs no timer (tests call `tick()` themselves). */
  tickMs: number | null;
  /** The lease seam for several processes: a feed is polled by whoever holds `feed:<url>`. */
  leases?: Leases;
  /** This process's lease owner id. */
  owner?: string;
  /** Called after a tick's polls are over (sample mode moves its clock here). */
  afterTick?: (report: TickReport) => Promise<void> | void;
}

export interface TickReport {
  started: number;
  ok: number;
  notModified: number;
  failed: number;
  /** Not polled: paused, leased by another process, or polled elsewhere since. */
  skipped: number;
  newItems: number;
}

export interface FeedScheduler {
  /** Settles when the feeds due at start-up have been polled (whether they failed or not). */
  firstRun: Promise<void>;
  /** Starts the feeds due now; resolves when those polls are over. */
  tick(): Promise<TickReport>;
  /** Same as `tick`, for callers of the old poller API. */
  runNow(): Promise<void>;
  /** URLs being polled right now (for /status, and for tests that wait on a poll). */
  polling(): string[];
  /** No new polls; waits for the ones in flight. */
  stop(): Promise<void>;
}

/** A paused feed is looked at again this often, in case an admin resumed it. */
const PAUSED_RECHECK_MS = 60_000;

interface Entry {
  source: FeedSource;
  host: string;
  /** ms epoch when the feed is due. */
  dueAt: number;
  loaded: boolean;
  busy: boolean;
}

interface Job {
  entry: Entry;
  done: (outcome: PollOutcome['status'] | 'skipped') => void;
}

/** The key requests are limited by: the host of an http(s) URL; local files are not limited. */
function hostKey(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.host.toLowerCase() : '';
  } catch {
    return '';
  }
}

/**
 * The feeds to poll: config feeds first, then every guild's, each URL once however many guilds
 * added it (a configured name wins, then the first guild's name). URLs are compared as parsed,
 * so `HTTPS://Example.com/feed` and `https://example.com/feed` are one feed.
 */
export function feedSources(
  configured: ReadonlyArray<FeedSource>,
  guilds: ReadonlyArray<{ feeds: ReadonlyArray<{ url: string; name?: string }> }>,
): FeedSource[] {
  const byUrl = new Map<string, FeedSource>();
  const add = (source: { url: string; name?: string }): void => {
    let key = source.url;
    try {
      const parsed = new URL(source.url);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') key = parsed.href;
    } catch {
      // A file path in sample mode: compared as written.
    }
    const known = byUrl.get(key);
    if (!known) byUrl.set(key, { url: key, ...(source.name ? { name: source.name } : {}) });
    else if (!known.name && source.name) known.name = source.name;
  };
  configured.forEach(add);
  for (const guild of guilds) guild.feeds.forEach(add);
  return [...byUrl.values()];
}

export function startFeedScheduler(input: SchedulerDeps): FeedScheduler {
  // One connection pool for the scheduler's life: feeds on one host reuse kept-alive sockets.
  const ownAgent = input.fetch.agent ? null : createFeedAgent(input.fetch.allowPrivate);
  const deps: SchedulerDeps = ownAgent ? { ...input, fetch: { ...input.fetch, agent: ownAgent } } : input;
  const intervalMs = deps.intervalMs ?? DEFAULT_INTERVAL_MS;
  const entries = new Map<string, Entry>();
  const queue: Job[] = [];
  const perHost = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  const refresh = async (now: number): Promise<void> => {
    const sources = await deps.sources();
    const current = new Set<string>();
    for (const source of sources) {
      current.add(source.url);
      const known = entries.get(source.url);
      if (known) known.source = source;
      // New feeds are due at once; their stored state (read when due) may say otherwise.
      else
        entries.set(source.url, {
          source,
          host: hostKey(source.url),
          dueAt: now,
          loaded: false,
          busy: false,
        });
    }
    for (const [url, entry] of entries) if (!current.has(url) && !entry.busy) entries.delete(url);
  };

  /** Decides whether a due feed really is polled now, then polls it. */
  const run = async (entry: Entry): Promise<PollOutcome['status'] | 'skipped'> => {
    const now = deps.now().getTime();
    const state = await deps.store.feeds.get(entry.source.url);
    if (state.paused) {
      entry.dueAt = now + PAUSED_RECHECK_MS;
      return 'skipped';
    }
    const stored = state.nextPoll ? Date.parse(state.nextPoll) : Number.NaN;
    if (!entry.loaded) {
      entry.loaded = true;
      // After a restart, a feed keeps the schedule (and the phase) it had.
      if (Number.isFinite(stored)) entry.dueAt = stored;
      if (stored > now) return 'skipped';
    } else if (stored > now && stored > entry.dueAt) {
      // Another process polled it since (it held the lease): follow its schedule.
      entry.dueAt = stored;
      return 'skipped';
    }
    if (deps.leases && deps.owner) {
      // The lease runs to the feed's next slot, not a full interval from now: a holder that polled
      // late and then died would otherwise keep others off the feed for most of a second interval.
      // It always covers a slow poll (twice the fetch timeout) so two processes never overlap.
      const shortest = Math.min(intervalMs, Math.max(intervalMs / 4, 2 * deps.fetch.timeoutMs));
      const leaseMs = Math.min(intervalMs, Math.max(entry.dueAt + intervalMs - now, shortest));
      const mine = await deps.leases.acquire(`feed:${entry.source.url}`, deps.owner, leaseMs);
      if (!mine) {
        // Held by a live process (which will store its next poll) or a dead one (whose lease runs
        // out soon): look again shortly rather than an interval later.
        entry.dueAt = now + Math.max(1_000, Math.round(intervalMs / 20));
        return 'skipped';
      }
    }
    const outcome = await pollOne(entry.source, deps, { state, dueAt: entry.dueAt });
    entry.dueAt = outcome.state.nextPoll ? Date.parse(outcome.state.nextPoll) : now + PAUSED_RECHECK_MS;
    return outcome.status;
  };

  const start = (job: Job): void => {
    const { entry } = job;
    entry.busy = true;
    perHost.set(entry.host, (perHost.get(entry.host) ?? 0) + 1);
    const promise = run(entry)
      .catch((error: unknown) => {
        // Only the store can throw here; try the feed again after one interval.
        deps.log.error({ feed: entry.source.url, err: (error as Error).message }, 'could not record a poll');
        entry.dueAt = deps.now().getTime() + intervalMs;
        return 'failed' as const;
      })
      .then((status) => {
        entry.busy = false;
        perHost.set(entry.host, (perHost.get(entry.host) ?? 1) - 1);
        inFlight.delete(promise);
        job.done(status);
        pump();
      });
    inFlight.add(promise);
  };

  /** Starts queued jobs while there are free slots, skipping hosts that are at their limit. */
  const pump = (): void => {
    const limit = Math.max(1, deps.concurrency);
    for (let index = 0; index < queue.length && inFlight.size < limit;) {
      const job = queue[index] as Job;
      if (stopped || deps.stopping()) {
        queue.splice(index, 1);
        job.done('skipped');
        continue;
      }
      if (job.entry.host !== '' && (perHost.get(job.entry.host) ?? 0) >= deps.perHost) {
        index += 1;
        continue;
      }
      queue.splice(index, 1);
      start(job);
    }
  };

  const runTick = async (): Promise<TickReport> => {
    const report: TickReport = { started: 0, ok: 0, notModified: 0, failed: 0, skipped: 0, newItems: 0 };
    if (stopped) return report;
    const now = deps.now().getTime();
    try {
      await refresh(now);
    } catch (error) {
      deps.log.error({ err: (error as Error).message }, 'could not list the feeds to poll');
    }
    const queued = new Set(queue.map((job) => job.entry));
    const due = [...entries.values()]
      .filter((entry) => !entry.busy && !queued.has(entry) && entry.dueAt <= now)
      .sort((a, b) => a.dueAt - b.dueAt);
    const waits = due.map(
      (entry) =>
        new Promise<void>((resolve) => {
          queue.push({
            entry,
            done: (status) => {
              if (status === 'ok') report.ok += 1;
              else if (status === 'not-modified') report.notModified += 1;
              else if (status === 'failed') report.failed += 1;
              else report.skipped += 1;
              resolve();
            },
          });
        }),
    );
    report.started = due.length;
    pump();
    await Promise.all(waits);
    if (due.length > 0 && deps.afterTick) {
      try {
        await deps.afterTick(report);
      } catch (error) {
        deps.log.error({ err: (error as Error).message }, 'afterTick failed');
      }
    }
    return report;
  };

  // Ticks still finishing (their afterTick writes to the store) are waited for by stop().
  const ticks = new Set<Promise<TickReport>>();
  const tick = (): Promise<TickReport> => {
    const running = runTick();
    ticks.add(running);
    void running.finally(() => ticks.delete(running)).catch(() => undefined);
    return running;
  };

  const firstRun = tick().then(
    (report) => deps.log.info(report, 'first poll done'),
    (error: unknown) => deps.log.error({ err: (error as Error).message }, 'first poll failed'),
  );
  if (deps.tickMs !== null) {
    timer = setInterval(() => {
      void tick().catch((error: unknown) => deps.log.error({ err: (error as Error).message }, 'tick failed'));
    }, deps.tickMs);
  }

  return {
    firstRun,
    tick,
    runNow: async () => {
      await tick();
    },
    polling: () => [...entries.values()].filter((entry) => entry.busy).map((entry) => entry.source.url),
    stop: async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      // Queued feeds are dropped (they are still due next start); polls in flight finish.
      for (const job of queue.splice(0)) job.done('skipped');
      while (inFlight.size > 0) await Promise.all([...inFlight]);
      await Promise.allSettled([...ticks]);
      await ownAgent?.close().catch(() => undefined);
    },
  };
}
