import type { Writable } from 'node:stream';
import type { Client } from 'discord.js';
import type { BriefService } from '../briefing/index.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import type { TopicDef } from '../news/types.ts';
import { newOwnerId, type DigestSchedule, type Store } from '../store/index.ts';
import { CONSOLE_GUILD, createDigestScheduler, type DigestScheduler, type ScheduleEntry } from './service.ts';
import { consoleDigestTransport } from './transport-console.ts';
import { discordDigestTransport } from './transport-discord.ts';

const DEFAULT_TICK_MS = 60_000;
const DEFAULT_RETRY_MS = 30_000;

/**
 * `SITREP_DIGEST_TICK_MS` is for tests only: it shortens the scheduler's longest sleep and its
 * first retry delay (both normally a minute / 30 s), so an end-to-end test sees a retry or a new
 * schedule within moments. Schedules still fire at their cron times; nothing else changes.
 */
export function digestTiming(env: NodeJS.ProcessEnv): { tickMs: number; retryBaseMs: number } {
  const raw = Number(env['SITREP_DIGEST_TICK_MS']);
  if (Number.isFinite(raw) && raw >= 10) return { tickMs: raw, retryBaseMs: raw };
  return { tickMs: DEFAULT_TICK_MS, retryBaseMs: DEFAULT_RETRY_MS };
}

interface Common {
  store: Store;
  config: Pick<Config, 'brief' | 'digest'>;
  topics: ReadonlyArray<TopicDef>;
  briefs: Pick<BriefService, 'baselineFor'>;
  log: Logger;
  env: NodeJS.ProcessEnv;
  ready: Promise<void>;
}

/**
 * Every guild's /digest schedules, posted to their Discord channels; missed ones caught up once at
 * start. With several processes, each serves its own shards' guilds first (`prefers`) and takes
 * over another's once that one's digests are overdue (its process is down).
 */
export function discordDigests(
  options: Common & { client: Client; token: string; apiBase: string; prefers?: (guildId: string) => boolean },
): DigestScheduler {
  const timing = digestTiming(options.env);
  return createDigestScheduler({
    store: options.store,
    transport: discordDigestTransport({ client: options.client, token: options.token, apiBase: options.apiBase }),
    topics: options.topics,
    baselineFor: (topicId, guildId) => options.briefs.baselineFor(topicId, guildId),
    limits: { maxStories: options.config.brief.maxStories, storyWindowHours: options.config.brief.storyWindowHours },
    schedules: async (): Promise<ScheduleEntry[]> =>
      (await options.store.guilds.list()).flatMap((guild) => guild.digests.map((schedule) => ({ guildId: guild.guildId, schedule }))),
    owns: (record) => record.guildId !== CONSOLE_GUILD,
    ready: options.ready,
    catchUp: true,
    log: options.log.child({ part: 'digest' }),
    now: () => new Date(),
    ...timing,
    owner: newOwnerId(),
    ...(options.prefers ? { prefers: options.prefers, takeOverAfterMs: Math.max(2 * timing.tickMs, 5_000) } : {}),
  });
}

/**
 * The console has no channels: the config's `digest` block (schedule, timezone, topics) is its one
 * schedule, printed to the console's output while an interactive console is open. It is not caught
 * up at start, so opening the console never prints a stale digest.
 */
export function consoleDigests(options: Common & { output: Writable }): DigestScheduler {
  const schedule: DigestSchedule = {
    id: 'config',
    channelId: CONSOLE_GUILD,
    cron: options.config.digest.schedule,
    phrase: options.config.digest.schedule,
    timezone: options.config.digest.timezone,
    topics: options.config.digest.topics,
    quiet: null,
    whenEmpty: 'post',
    paused: false,
    pausedReason: null,
    createdBy: 'config',
    createdAt: new Date().toISOString(),
  };
  return createDigestScheduler({
    store: options.store,
    transport: consoleDigestTransport(options.output),
    topics: options.topics,
    baselineFor: (topicId) => options.briefs.baselineFor(topicId, null),
    limits: { maxStories: options.config.brief.maxStories, storyWindowHours: options.config.brief.storyWindowHours },
    schedules: () => Promise.resolve([{ guildId: CONSOLE_GUILD, schedule }]),
    owns: (record) => record.guildId === CONSOLE_GUILD,
    ready: options.ready,
    catchUp: false,
    log: options.log.child({ part: 'digest' }),
    now: () => new Date(),
    ...digestTiming(options.env),
    owner: newOwnerId(),
  });
}
