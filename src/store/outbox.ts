import type Keyv from 'keyv';
import type { Reply } from '../chat/reply.ts';
import type { Exclusive } from './serial.ts';
import { byCodeUnits } from './collections.ts';

/**
 * The digest outbox. A digest is composed, stored here under its idempotency key, and only then
 * sent; it is marked sent once the transport confirmed it. Everything about one channel (its
 * records, its per-topic watermarks and its schedules' last periods) is one keyv value, so a
 * digest and the watermark it advances are written together or not at all.
 */
export interface OutboxRecord {
  /** Idempotency key: `<channel>:<schedule>:<period>`. */
  key: string;
  /** A short hash of the key, shown in the message footer so a re-send can look for it. */
  ref: string;
  guildId: string;
  channelId: string;
  scheduleId: string;
  /** The scheduled fire this digest is for (ISO); for a /digest now run, when it was asked for. */
  period: string;
  kind: 'scheduled' | 'manual';
  composedAt: string;
  /** Item keys per topic the digest covers, shown or counted in "N more". */
  covered: Record<string, string[]>;
  reply: Reply;
  status: 'pending' | 'sent' | 'cancelled';
  attempts: number;
  firstAttemptAt: string | null;
  lastAttemptAt: string | null;
  /** Not before this (ISO): the retry backoff. */
  nextAttemptAt: string | null;
  /** An attempt may have reached the transport, so the channel is checked before sending again. */
  mayHaveLanded: boolean;
  lastError: string | null;
  /** When it was reported as failing for 24 h (once). */
  reportedAt: string | null;
  sentAt: string | null;
  messageId: string | null;
}

/** What a schedule last composed, and for which cron: an edited cron starts afresh. */
export interface ScheduleMark {
  lastPeriod: string;
  cron: string;
  timezone: string;
}

export interface ChannelOutbox {
  channelId: string;
  /** Per topic: items first seen up to this instant (ISO) are in a composed digest already. */
  watermarks: Record<string, string>;
  /**
   * Per topic, the items of the last minutes of digests (key -> first seen). An item's first-seen
   * time is when its poll started, so it can be written after a digest's cutoff although seen
   * before it; the next digest looks back a little and leaves out what these already hold.
   */
  recent: Record<string, Record<string, string>>;
  schedules: Record<string, ScheduleMark>;
  /** Unsent records and the last few sent ones, oldest first. */
  records: OutboxRecord[];
}

/** What composing a digest moves forward for its channel (topics not named stay as they are). */
export interface ChannelAdvance {
  watermarks: Record<string, string>;
  recent: Record<string, Record<string, string>>;
}

export interface OutboxRepository {
  get(channelId: string): Promise<ChannelOutbox>;
  /**
   * Stores a composed digest, advances the channel's watermarks and the schedule's mark, in one
   * write. False (and nothing written) when a record with that key exists already.
   */
  enqueue(record: OutboxRecord, advance: ChannelAdvance, mark: ScheduleMark | null): Promise<boolean>;
  /** Records a period that posts nothing (nothing new and the schedule skips empty digests, or an edited schedule). */
  markPeriod(channelId: string, scheduleId: string, mark: ScheduleMark, advance: ChannelAdvance): Promise<void>;
  /** Read-modify-write of one record; null when the channel has no record with that key. */
  updateRecord(channelId: string, key: string, change: (record: OutboxRecord) => OutboxRecord): Promise<OutboxRecord | null>;
  /** Every unsent record across channels, oldest first. */
  pending(): Promise<OutboxRecord[]>;
}

/** Sent and cancelled records kept per channel, for /status and for looking back after a crash. */
const KEPT_DONE = 20;
const channelKey = (channelId: string): string => `outbox:${channelId}`;
const CHANNELS_KEY = 'outbox-channels';

function emptyChannel(channelId: string): ChannelOutbox {
  return { channelId, watermarks: {}, recent: {}, schedules: {}, records: [] };
}

function trimmed(records: OutboxRecord[]): OutboxRecord[] {
  const done = records.filter((record) => record.status !== 'pending');
  const drop = new Set(done.slice(0, Math.max(0, done.length - KEPT_DONE)).map((record) => record.key));
  return records.filter((record) => !drop.has(record.key));
}

export function createOutboxRepository(keyv: Keyv, exclusive: Exclusive): OutboxRepository {
  const read = async (channelId: string): Promise<ChannelOutbox> => ({
    ...emptyChannel(channelId),
    ...((await keyv.get<ChannelOutbox>(channelKey(channelId))) ?? {}),
  });
  const write = async (next: ChannelOutbox): Promise<void> => {
    await keyv.set(channelKey(next.channelId), { ...next, records: trimmed(next.records) });
    const list = (await keyv.get<string[]>(CHANNELS_KEY)) ?? [];
    if (!list.includes(next.channelId)) await keyv.set(CHANNELS_KEY, [...list, next.channelId]);
  };
  return {
    get: read,
    enqueue: (record, advance, mark) =>
      exclusive(async () => {
        const current = await read(record.channelId);
        if (current.records.some((existing) => existing.key === record.key)) return false;
        await write({
          ...current,
          watermarks: { ...current.watermarks, ...advance.watermarks },
          recent: { ...current.recent, ...advance.recent },
          schedules: mark ? { ...current.schedules, [record.scheduleId]: mark } : current.schedules,
          records: [...current.records, record],
        });
        return true;
      }),
    markPeriod: (channelId, scheduleId, mark, advance) =>
      exclusive(async () => {
        const current = await read(channelId);
        await write({
          ...current,
          watermarks: { ...current.watermarks, ...advance.watermarks },
          recent: { ...current.recent, ...advance.recent },
          schedules: { ...current.schedules, [scheduleId]: mark },
        });
      }),
    updateRecord: (channelId, key, change) =>
      exclusive(async () => {
        const current = await read(channelId);
        const index = current.records.findIndex((record) => record.key === key);
        const found = current.records[index];
        if (!found) return null;
        const next = change(found);
        const records = [...current.records];
        records[index] = next;
        await write({ ...current, records });
        return next;
      }),
    pending: async () => {
      const channels = (await keyv.get<string[]>(CHANNELS_KEY)) ?? [];
      const all = await Promise.all(channels.map((channelId) => read(channelId)));
      return all
        .flatMap((channel) => channel.records.filter((record) => record.status === 'pending'))
        .sort((a, b) => byCodeUnits(a.composedAt, b.composedAt));
    },
  };
}
