import type { DigestService } from '../chat/command.ts';
import { messageFor } from '../chat/messages.ts';
import { guildTopicKey } from '../briefing/index.ts';
import { oneLine } from '../errors.ts';
import { digestsFailed, digestsSent } from '../ops/metrics.ts';
import type { Logger } from '../log.ts';
import type { Baseline, TopicDef } from '../news/types.ts';
import type { ChannelAdvance, DigestSchedule, OutboxRecord, ScheduleMark, Store, StoredItem } from '../store/index.ts';
import { composeDigest, digestKey, digestRef, digestReply, refMarker, type DigestTopicInput } from './compose.ts';
import { DigestNotFoundError, type DigestSendError } from './errors.ts';
import { cronSchedule, quietUntil, type CronSchedule } from './schedule.ts';
import type { DigestTransport } from './transport.ts';

/** A schedule and the guild it belongs to ("console" for the console's config schedule). */
export interface ScheduleEntry {
  guildId: string;
  schedule: DigestSchedule;
}

export interface DigestDeps {
  store: Store;
  transport: DigestTransport;
  topics: ReadonlyArray<TopicDef>;
  /** The baseline a topic is compared with for a guild (BriefService.baselineFor). */
  baselineFor(topicId: string, guildId: string | null): Promise<Baseline | undefined>;
  limits: { maxStories: number; storyWindowHours: number };
  /** The schedules to run, read at every pass so /digest changes apply at once. */
  schedules(): Promise<ScheduleEntry[]>;
  /** Which outbox records this service delivers (the console's, or the guilds'). */
  owns(record: OutboxRecord): boolean;
  /** The first pass waits for this (the transport logged in, the first poll stored its items). */
  ready: Promise<void>;
  /** Missed schedules are caught up once at start (Discord); the console only posts while it runs. */
  catchUp: boolean;
  log: Logger;
  now(): Date;
  /** Longest sleep between passes: new and changed schedules are seen within it. */
  tickMs: number;
  /** First retry delay; it doubles per failed attempt up to an hour. */
  retryBaseMs: number;
  /** Lease owner id of this process. */
  owner: string;
  /**
   * Guilds this process serves first (its Discord shards'). Another guild's digest is composed and
   * posted here only once it is `takeOverAfterMs` overdue: its own process is then taken to be
   * down. Without it every guild is this process's.
   */
  prefers?: (guildId: string) => boolean;
  takeOverAfterMs?: number;
}

export interface FailedDigest {
  key: string;
  guildId: string;
  channelId: string;
  scheduleId: string;
  period: string;
  attempts: number;
  firstAttemptAt: string;
  lastError: string | null;
}

export interface PassReport {
  composed: number;
  skipped: number;
  delivered: number;
  failed: number;
}

export interface DigestScheduler extends DigestService {
  /** Starts the loop; the first pass runs once `ready` resolves. */
  start(): void;
  /** No new passes; waits for the running one (its post in flight) to finish. */
  stop(): Promise<void>;
  /** One pass now: compose what is due, deliver what is pending (serialized with the loop). */
  pass(): Promise<PassReport>;
  /** Digests failing for 24 hours or more, still retried (for /status). */
  failedDigests(): Promise<FailedDigest[]>;
}

/** The console's config schedule is filed under this guild id in the outbox. */
export const CONSOLE_GUILD = 'console';

const HOUR_MS = 60 * 60 * 1000;
const REPORT_AFTER_MS = 24 * HOUR_MS;
const LEASE_MS = 2 * 60 * 1000;
/**
 * An item's firstSeen is when its feed's poll started, and the poll writes it up to a fetch
 * timeout later; a digest looks back this far before its watermark for items written late, and
 * leaves out the ones an earlier digest of the channel already had.
 */
export const LATE_WRITE_MS = 15 * 60 * 1000;

export function createDigestScheduler(deps: DigestDeps): DigestScheduler {
  const { store, log } = deps;
  const started = deps.now();
  const mine = (guildId: string): boolean => deps.prefers?.(guildId) ?? true;
  const takeOverAfterMs = deps.takeOverAfterMs ?? 2 * deps.tickMs;
  const crons = new Map<string, CronSchedule | null>();
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let firstPass = true;

  /** Runs one unit of work at a time: passes and /digest now never interleave. */
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  };

  const cronOf = (schedule: DigestSchedule): CronSchedule | null => {
    const id = `${schedule.cron}\n${schedule.timezone}`;
    if (!crons.has(id)) {
      try {
        crons.set(id, cronSchedule(schedule.cron, schedule.timezone));
      } catch (error) {
        log.warn({ schedule: schedule.id, cron: schedule.cron, timezone: schedule.timezone, err: oneLine(error) }, 'digest schedule unusable');
        crons.set(id, null);
      }
    }
    return crons.get(id) ?? null;
  };

  const topicsOf = (schedule: DigestSchedule): TopicDef[] =>
    schedule.topics.length === 0 ? [...deps.topics] : deps.topics.filter((topic) => schedule.topics.includes(topic.id));

  const itemsOf = async (topicId: string, guildId: string): Promise<StoredItem[]> => {
    const lists = await Promise.all([store.items.listByTopic(topicId), store.items.listByTopic(guildTopicKey(guildId, topicId))]);
    const byKey = new Map<string, StoredItem>();
    for (const item of lists.flat()) byKey.set(item.key, item);
    return [...byKey.values()];
  };

  /** Composes one digest and stores it in the outbox with the watermarks it advances. */
  const composeInto = async (entry: ScheduleEntry, period: Date, kind: OutboxRecord['kind']): Promise<OutboxRecord | null> => {
    // Asked for by hand (/digest now), "nothing new" is an answer worth posting.
    const postEmpty = kind === 'manual' || entry.schedule.whenEmpty === 'post';
    const { guildId, schedule } = entry;
    const cutoff = deps.now();
    const horizon = cutoff.getTime() - LATE_WRITE_MS;
    const box = await store.outbox.get(schedule.channelId);
    const inputs: DigestTopicInput[] = [];
    const since: number[] = [];
    for (const topic of topicsOf(schedule)) {
      const baseline = await deps.baselineFor(topic.id, guildId === CONSOLE_GUILD ? null : guildId);
      if (!baseline) continue;
      const mark = box.watermarks[topic.id];
      // A channel's first digest covers what arrived since the schedule was set.
      const from = Date.parse(mark ?? schedule.createdAt);
      const start = Number.isNaN(from) ? started.getTime() : from;
      since.push(start);
      inputs.push({
        topic,
        baseline,
        items: await itemsOf(topic.id, guildId),
        from: new Date(mark ? start - LATE_WRITE_MS : start),
        exclude: new Set(Object.keys(box.recent[topic.id] ?? {})),
      });
    }
    const composed = composeDigest(inputs, { cutoff, ...deps.limits });
    const advance: ChannelAdvance = { watermarks: {}, recent: {} };
    for (const input of inputs) {
      const topicId = input.topic.id;
      advance.watermarks[topicId] = cutoff.toISOString();
      // Keep what the look-back of the next digest can still reach: earlier entries and this digest's items.
      const recent: Record<string, string> = {};
      const seen = new Map(input.items.map((item) => [item.key, item.firstSeen]));
      const covered = composed.topics.find((entry) => entry.topic.id === topicId)?.covered ?? [];
      for (const [key, firstSeen] of [...Object.entries(box.recent[topicId] ?? {}), ...covered.map((key) => [key, seen.get(key) ?? ''] as const)]) {
        if (Date.parse(firstSeen) > horizon) recent[key] = firstSeen;
      }
      advance.recent[topicId] = recent;
    }
    const mark: ScheduleMark | null =
      kind === 'scheduled' ? { lastPeriod: period.toISOString(), cron: schedule.cron, timezone: schedule.timezone } : null;
    if (composed.topics.length === 0 && !postEmpty) {
      if (mark) await store.outbox.markPeriod(schedule.channelId, schedule.id, mark, advance);
      log.info({ schedule: schedule.id, channel: schedule.channelId, period: period.toISOString() }, 'digest skipped: nothing new');
      return null;
    }
    const key = digestKey(schedule.channelId, kind === 'manual' ? `${schedule.id}:now` : schedule.id, period);
    const ref = digestRef(key);
    const earliest = Math.min(...since);
    const record: OutboxRecord = {
      key,
      ref,
      guildId,
      channelId: schedule.channelId,
      scheduleId: schedule.id,
      period: period.toISOString(),
      kind,
      composedAt: deps.now().toISOString(),
      covered: Object.fromEntries(composed.topics.map((entry) => [entry.topic.id, entry.covered])),
      reply: digestReply(composed, {
        phrase: schedule.phrase || schedule.cron,
        period,
        timezone: schedule.timezone,
        since: Number.isFinite(earliest) ? new Date(earliest) : null,
        ref,
      }),
      status: 'pending',
      attempts: 0,
      firstAttemptAt: null,
      lastAttemptAt: null,
      nextAttemptAt: null,
      mayHaveLanded: false,
      lastError: null,
      reportedAt: null,
      sentAt: null,
      messageId: null,
    };
    const added = await store.outbox.enqueue(record, advance, mark);
    if (!added) return null;
    log.info({ key, ref, items: composed.itemCount, stories: composed.storyCount }, 'digest composed');
    return record;
  };

  /** Composes the schedule's digest when a fire is due that it has not composed yet. */
  const plan = async (entry: ScheduleEntry, now: Date, report: PassReport): Promise<void> => {
    const { schedule } = entry;
    const cron = cronOf(schedule);
    if (!cron) return;
    const box = await store.outbox.get(schedule.channelId);
    const mark = box.schedules[schedule.id];
    if (mark && (mark.cron !== schedule.cron || mark.timezone !== schedule.timezone)) {
      // An edited schedule starts from now: its new times before now were never promised.
      const fresh = { lastPeriod: now.toISOString(), cron: schedule.cron, timezone: schedule.timezone };
      await store.outbox.markPeriod(schedule.channelId, schedule.id, fresh, { watermarks: {}, recent: {} });
      return;
    }
    const created = Number.isNaN(Date.parse(schedule.createdAt)) ? started : new Date(schedule.createdAt);
    let base = mark ? new Date(mark.lastPeriod) : created;
    if (!deps.catchUp && base < started) base = started;
    // Only the latest missed fire: a bot down for a week posts one catch-up digest, not seven.
    const due = cron.previous(now, base);
    if (!due) return;
    if (!mine(entry.guildId) && now.getTime() - due.getTime() < takeOverAfterMs) return;
    // One undelivered digest per schedule at a time: the next one covers everything since, so an
    // outage ends with one digest instead of a backlog.
    if (box.records.some((record) => record.status === 'pending' && record.scheduleId === schedule.id)) return;
    if (quietUntil(now, schedule.quiet, schedule.timezone)) return;
    const record = await composeInto(entry, due, 'scheduled');
    if (record) report.composed += 1;
    else report.skipped += 1;
  };

  const backoff = (attempts: number): number => Math.min(deps.retryBaseMs * 2 ** Math.max(0, attempts - 1), HOUR_MS);

  const pauseSchedule = async (record: OutboxRecord, error: DigestSendError): Promise<void> => {
    let pausedNow = false;
    let phrase = record.scheduleId;
    await store.guilds.update(
      record.guildId,
      (guild) => ({
        ...guild,
        digests: guild.digests.map((schedule) => {
          if (schedule.id !== record.scheduleId || schedule.paused) return schedule;
          pausedNow = true;
          phrase = schedule.phrase || schedule.cron;
          return { ...schedule, paused: true, pausedReason: messageFor(error.code) };
        }),
      }),
      deps.now(),
    );
    if (!pausedNow) return;
    log.warn({ key: record.key, channel: record.channelId, code: error.code }, 'digest schedule paused: cannot post in its channel');
    // Pausing first means a crash here leaves the admins untold rather than told twice.
    const text = `I paused the digest "${phrase}" (${record.scheduleId}) of channel ${record.channelId}. ${messageFor(error.code)}`;
    try {
      const where = await deps.transport.notifyAdmins(record.guildId, record.channelId, text);
      log.info({ key: record.key, where }, 'digest admins told');
    } catch (notifyError) {
      log.error({ key: record.key, err: oneLine(notifyError) }, 'could not tell the admins that a digest schedule was paused');
    }
  };

  /** A failed post or channel check: back off, or pause the schedule when the channel is out of reach. */
  const failed = async (record: OutboxRecord, error: DigestSendError, stage: 'check' | 'post', report: PassReport): Promise<void> => {
    report.failed += 1;
    digestsFailed.inc({ reason: error.code });
    const now = deps.now();
    const blocked = error.kind === 'gone' || error.kind === 'no-access';
    const updated = await store.outbox.updateRecord(record.channelId, record.key, (current) => {
      const next: OutboxRecord = {
        ...current,
        lastError: error.message,
        // A failed check answers nothing; a failed post is in doubt only when it was ambiguous.
        mayHaveLanded: stage === 'check' ? current.mayHaveLanded : error.kind === 'ambiguous',
        // A blocked record waits for the schedule to be resumed, not for a timer.
        nextAttemptAt: blocked ? null : new Date(now.getTime() + backoff(current.attempts)).toISOString(),
      };
      return next;
    });
    log.warn({ key: record.key, kind: error.kind, attempts: updated?.attempts, err: error.message }, 'digest not delivered');
    if (blocked) await pauseSchedule(record, error);
    if (updated?.firstAttemptAt && !updated.reportedAt && now.getTime() - Date.parse(updated.firstAttemptAt) >= REPORT_AFTER_MS) {
      await store.outbox.updateRecord(record.channelId, record.key, (current) => ({ ...current, reportedAt: now.toISOString() }));
      log.error({ key: record.key, attempts: updated.attempts, since: updated.firstAttemptAt, err: error.message }, 'digest failing for 24 hours; still retrying');
    }
  };

  const markSent = async (record: OutboxRecord, messageId: string): Promise<void> => {
    digestsSent.inc();
    await store.outbox.updateRecord(record.channelId, record.key, (current) => ({
      ...current,
      status: 'sent',
      sentAt: deps.now().toISOString(),
      messageId,
      mayHaveLanded: false,
      nextAttemptAt: null,
    }));
  };

  /** Sends one record under its lease; true when it is delivered (now or before). */
  const deliver = async (record: OutboxRecord, report: PassReport): Promise<boolean> => {
    const lease = `digest:${record.key}`;
    if (!(await store.leases.acquire(lease, deps.owner, LEASE_MS))) return false;
    try {
      // Read again under the lease: another process may have finished it meanwhile.
      const current = (await store.outbox.get(record.channelId)).records.find((candidate) => candidate.key === record.key);
      if (!current || current.status !== 'pending') return current?.status === 'sent';
      if (current.mayHaveLanded) {
        // A crash or a 5xx left it unknown whether the last attempt was posted: look before posting.
        const found = await deps.transport.find(current.channelId, refMarker(current.ref));
        if (found.status === 'failed') {
          await failed(current, found.error, 'check', report);
          return false;
        }
        if (found.status === 'found') {
          await markSent(current, found.messageId);
          report.delivered += 1;
          log.info({ key: current.key, messageId: found.messageId }, 'digest confirmed by channel check; not sending again');
          return true;
        }
      }
      const now = deps.now().toISOString();
      // Persisted before the request: if this process dies mid-request, the next start looks first.
      await store.outbox.updateRecord(current.channelId, current.key, (latest) => ({
        ...latest,
        attempts: latest.attempts + 1,
        firstAttemptAt: latest.firstAttemptAt ?? now,
        lastAttemptAt: now,
        mayHaveLanded: true,
      }));
      const result = await deps.transport.post(current.channelId, current.reply);
      if (result.status === 'failed') {
        await failed(current, result.error, 'post', report);
        return false;
      }
      await markSent(current, result.messageId);
      report.delivered += 1;
      log.info({ key: current.key, ref: current.ref, messageId: result.messageId, attempts: current.attempts + 1 }, 'digest delivered');
      return true;
    } finally {
      await store.leases.release(lease, deps.owner);
    }
  };

  const deliverDue = async (entries: ScheduleEntry[], report: PassReport): Promise<void> => {
    const now = deps.now();
    for (const record of await store.outbox.pending()) {
      if (!deps.owns(record)) continue;
      if (record.nextAttemptAt && Date.parse(record.nextAttemptAt) > now.getTime()) continue;
      if (!mine(record.guildId) && now.getTime() - Date.parse(record.period) < takeOverAfterMs) continue;
      const entry = entries.find((candidate) => candidate.guildId === record.guildId && candidate.schedule.id === record.scheduleId);
      if (!entry) {
        // The schedule was removed: its admins no longer want it.
        await store.outbox.updateRecord(record.channelId, record.key, (current) => ({ ...current, status: 'cancelled' }));
        log.warn({ key: record.key }, 'digest cancelled: its schedule was removed');
        continue;
      }
      if (entry.schedule.paused) continue;
      if (quietUntil(now, entry.schedule.quiet, entry.schedule.timezone)) continue;
      try {
        await deliver(record, report);
      } catch (error) {
        log.error({ key: record.key, err: oneLine(error) }, 'digest delivery failed');
      }
    }
  };

  const pass = (): Promise<PassReport> =>
    serialized(async () => {
      const report: PassReport = { composed: 0, skipped: 0, delivered: 0, failed: 0 };
      const entries = await deps.schedules();
      const now = deps.now();
      for (const entry of entries) {
        if (entry.schedule.paused) continue;
        try {
          await plan(entry, now, report);
        } catch (error) {
          log.error({ schedule: entry.schedule.id, err: oneLine(error) }, 'could not compose a digest');
        }
      }
      await deliverDue(entries, report);
      return report;
    });

  /** When the loop should look again: the next fire, the next retry, or the tick, whichever is first. */
  const nextWake = async (): Promise<number> => {
    const now = deps.now().getTime();
    let wake = now + deps.tickMs;
    for (const entry of await deps.schedules()) {
      const next = entry.schedule.paused ? null : cronOf(entry.schedule)?.next(new Date(now));
      if (next) wake = Math.min(wake, next.getTime());
    }
    for (const record of await store.outbox.pending()) {
      if (deps.owns(record) && record.nextAttemptAt) wake = Math.min(wake, Date.parse(record.nextAttemptAt));
    }
    return Math.max(wake - now, 20);
  };

  const loop = async (): Promise<void> => {
    timer = null;
    if (!running) return;
    try {
      const report = await pass();
      if (firstPass) {
        firstPass = false;
        log.info(report, 'digest catch-up pass done');
      } else if (report.composed + report.delivered + report.failed > 0) {
        log.info(report, 'digest pass done');
      }
    } catch (error) {
      log.error({ err: oneLine(error) }, 'digest pass failed');
    }
    if (!running) return;
    let delay = deps.tickMs;
    try {
      delay = await nextWake();
    } catch (error) {
      log.error({ err: oneLine(error) }, 'could not plan the next digest pass');
    }
    if (!running) return;
    timer = setTimeout(() => void loop(), delay);
    timer.unref();
  };

  const scheduleEntry = async (guildId: string, scheduleId: string): Promise<ScheduleEntry> => {
    const entry = (await deps.schedules()).find((candidate) => candidate.guildId === guildId && candidate.schedule.id === scheduleId);
    if (!entry) throw new DigestNotFoundError(guildId, scheduleId);
    return entry;
  };

  return {
    start() {
      if (running) return;
      running = true;
      deps.ready.then(
        () => void loop(),
        (error: unknown) => log.warn({ err: oneLine(error) }, 'digests not started'),
      );
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await serialized(() => Promise.resolve());
    },
    pass,
    runNow: (guildId, scheduleId) =>
      serialized(async () => {
        const entry = await scheduleEntry(guildId, scheduleId);
        const record = await composeInto(entry, deps.now(), 'manual');
        if (!record) return { posted: false, detail: 'Nothing new since the last digest; nothing posted.' };
        const report: PassReport = { composed: 1, skipped: 0, delivered: 0, failed: 0 };
        const posted = await deliver(record, report);
        return posted
          ? { posted: true, detail: `Digest posted (ref ${record.ref}).` }
          : { posted: false, detail: `Digest stored (ref ${record.ref}); posting failed, it will be retried.` };
      }),
    async nextRun(guildId) {
      const now = deps.now();
      let best: Date | null = null;
      for (const entry of await deps.schedules()) {
        if ((guildId !== null && entry.guildId !== guildId) || entry.schedule.paused) continue;
        const next = cronOf(entry.schedule)?.next(now) ?? null;
        if (next && (!best || next < best)) best = next;
      }
      return best;
    },
    async failedDigests() {
      const now = deps.now().getTime();
      return (await store.outbox.pending())
        .filter((record) => deps.owns(record) && record.firstAttemptAt && now - Date.parse(record.firstAttemptAt) >= REPORT_AFTER_MS)
        .map((record) => ({
          key: record.key,
          guildId: record.guildId,
          channelId: record.channelId,
          scheduleId: record.scheduleId,
          period: record.period,
          attempts: record.attempts,
          firstAttemptAt: record.firstAttemptAt ?? record.composedAt,
          lastError: record.lastError,
        }));
    },
  };
}
