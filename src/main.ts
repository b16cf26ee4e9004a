import { randomUUID } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { commands } from '../commands/index.ts';
import { loadBaselines } from './config/baselines.ts';
import { configFileFrom, loadConfig } from './config/load.ts';
import type { CommandContext } from './chat/command.ts';
import { startConsole } from './chat/console.ts';
import { DEFAULT_DISCORD_API, startDiscord } from './chat/discord.ts';
import { createBriefService, guildTopicKey } from './briefing/index.ts';
import { consoleDigests, discordDigests } from './digest/index.ts';
import { discordDigestTransport } from './digest/transport-discord.ts';
import { digestsNotRunning } from './digest/pending.ts';
import { createParsePool, defaultParseThreads } from './feeds/index.ts';
import type { TopicIndex } from './ingest/cycle.ts';
import { listSampleFeeds } from './ingest/sample.ts';
import { feedSources, startFeedScheduler } from './ingest/scheduler.ts';
import { createStoryTracker } from './stories/tracker.ts';
import { createLogger, type Logger } from './log.ts';
import { ownsGuild, opsPortFrom, shardPlanFrom, startOpsServer, type HealthChecks } from './ops/index.ts';
import type { TopicDef } from './news/types.ts';
import { DEFAULT_STORE_URL, openStore } from './store/index.ts';
import { VERSION } from './version.ts';

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  /** Read the bundled sample feeds instead of the configured ones. */
  sample: boolean;
  configFile?: string;
  input: Readable;
  output: Writable;
  /** Input and output are a terminal (prompt, pretty logs). */
  interactive: boolean;
  logger?: Logger;
  /** Install SIGINT/SIGTERM handlers (off in tests that run the bot in-process). */
  handleSignals?: boolean;
}

export interface RunningBot {
  ctx: CommandContext;
  /** Settles with the process exit code when the bot has stopped and the store is closed. */
  finished: Promise<number>;
  stop(reason: string): Promise<number>;
}

/** The composition root: config, store, poller and a transport (Discord with a token, else the console). */
export async function runBot(options: RunOptions): Promise<RunningBot> {
  const { env } = options;
  // Checked before anything starts, so a typo stops start-up with the variable named.
  const opsPort = opsPortFrom(env);
  const shardPlan = shardPlanFrom(env);
  const token = env['DISCORD_TOKEN']?.trim() || null;
  const log =
    options.logger ??
    createLogger({
      level: env['LOG_LEVEL'] ?? (token ? 'info' : 'warn'),
      pretty: process.stderr.isTTY,
      secrets: token ? [token] : [],
    });
  const loaded = await loadConfig(configFileFrom(env, options.configFile));
  // The sample feeds span weeks of 2015: in sample mode everything since the baseline is new.
  const config = options.sample ? { ...loaded.config, brief: { ...loaded.config.brief, lookbackDays: 365 } } : loaded.config;
  const baselines = await loadBaselines(loaded);
  const topics: TopicDef[] = config.topics.map((topic) => ({
    id: topic.id,
    name: topic.name,
    keywords: topic.keywords,
    aliases: topic.aliases,
    exclude: topic.exclude,
  }));
  const store = await openStore(env['SITREP_STORE'] || DEFAULT_STORE_URL, {
    itemsPerTopic: config.retention.itemsPerTopic,
    itemDays: config.retention.itemDays,
  });
  const sources = options.sample ? await listSampleFeeds(loaded.resolvePath(config.sampleFeeds)) : config.feeds;
  log.info({ config: loaded.file, store: store.url, feeds: sources.length, sample: options.sample }, 'sitrep starting');
  // /healthz and /metrics on 127.0.0.1 when SITREP_OPS_PORT is set (one port per process).
  let started = false;
  let discordClient: { isReady(): boolean } | null = null;
  const health: HealthChecks = {
    ready: () => started && !stopping,
    store: () => store.ping(),
    discord: () => (discordClient === null ? 'not-used' : discordClient.isReady() ? 'connected' : 'disconnected'),
    info: () => ({ pid: process.pid, backend: store.kind, shards: shardPlan }),
  };
  const ops =
    opsPort === null
      ? null
      : await startOpsServer({ port: opsPort, checks: health }).catch(async (error: unknown) => {
          await store.close();
          throw error;
        });
  if (ops) log.info({ port: ops.port }, 'ops server on 127.0.0.1 (/healthz, /metrics)');

  // Sample feeds are from 2015: in sample mode the brief's "now" is the newest sample item, so the
  // stories show as they would have on that day.
  let clock: () => Date = () => new Date();
  let stopping = false;
  // Config topics, plus each guild's extra watched keywords filed under that guild's own index.
  const topicIndexes = async (): Promise<TopicIndex[]> => {
    const indexes: TopicIndex[] = topics.map((def) => ({ key: def.id, def }));
    for (const guild of await store.guilds.list()) {
      for (const [topicId, words] of Object.entries(guild.keywords)) {
        const def = topics.find((topic) => topic.id === topicId);
        if (def && words.length > 0) {
          indexes.push({ key: guildTopicKey(guild.guildId, topicId), def: { ...def, keywords: words, aliases: [] } });
        }
      }
    }
    return indexes;
  };
  // Set once Discord is up: the scheduler tells each guild that added a paused feed, once per pause.
  let tellAdmins: ((guildId: string, text: string) => Promise<string>) | null = null;
  const tellAdminsFeedPaused = async (url: string, reason: string | null): Promise<void> => {
    if (!tellAdmins) return;
    for (const guild of await store.guilds.list()) {
      if (!guild.feeds.some((feed) => feed.url === url)) continue;
      const text =
        `sitrep paused the feed ${url} after ${config.poll.pauseAfterFailures} failed polls in a row` +
        `${reason ? ` (last error: ${reason})` : ''}. It is kept; remove it with /feeds remove or check it with /feeds test.`;
      try {
        const where = await tellAdmins(guild.guildId, text);
        log.info({ guild: guild.guildId, feed: url, where }, 'admins told that a feed was paused');
      } catch (error) {
        log.error({ guild: guild.guildId, feed: url, err: (error as Error).message }, 'could not tell the admins about a paused feed');
      }
    }
  };
  const stories = createStoryTracker(store, { windowHours: config.brief.storyWindowHours });
  const warmed = await stories.warmUp(
    (await topicIndexes()).map((index) => index.key),
    new Date(),
  );
  log.debug({ items: warmed }, 'open stories rebuilt');
  // Polling starts at once: the first bodies wait in the pool while its threads load and warm up
  // (waiting for them here made processes sharing a store start unevenly, so one could find every
  // feed already leased by the others in its first interval).
  const parsePool = createParsePool(config.poll.parseThreads ?? defaultParseThreads());
  const poller = startFeedScheduler({
    store,
    topics: topicIndexes,
    onNewItems: (items) => stories.track(items),
    log,
    fetch: {
      timeoutMs: config.poll.timeoutSeconds * 1_000,
      maxBytes: config.poll.maxBytes,
      allowPrivate: config.poll.allowPrivateAddresses,
      userAgent: config.poll.userAgent,
      parser: parsePool.parse,
    },
    concurrency: config.poll.concurrency,
    perHost: config.poll.perHost,
    intervalMs: config.poll.intervalMinutes * 60_000,
    pauseAfterFailures: config.poll.pauseAfterFailures,
    tickMs: config.poll.tickSeconds * 1_000,
    now: () => new Date(),
    stopping: () => stopping,
    // Sample mode reads the bundled files only; otherwise the config feeds plus every guild's, each URL once.
    sources: options.sample
      ? () => Promise.resolve(sources)
      : async () => feedSources(sources, await store.guilds.list()),
    leases: store.leases,
    owner: `sitrep:${process.pid}:${randomUUID().slice(0, 8)}`,
    // The lead wires this to tell the guilds that watch the feed; until then it is logged.
    onFeedPaused: (state) => {
      log.warn({ feed: state.url, reason: state.lastError }, 'feed paused after repeated failures');
      void tellAdminsFeedPaused(state.url, state.lastError);
    },
    afterTick: async (report) => {
      log.info({ ...report, grouped: await stories.flush() }, 'poll tick done');
      if (options.sample) {
        const newest = await newestItemTime(store, topics);
        if (newest) clock = () => new Date(newest.getTime() + 60 * 60 * 1000);
      }
    },
  });

  const ctx: CommandContext = {
    config,
    topics,
    baselines,
    store,
    briefs: createBriefService({ store, config, baselines, now: () => clock() }),
    digests: digestsNotRunning(),
    log,
    now: () => clock(),
    firstPoll: poller.firstRun,
    version: VERSION,
    commands,
  };

  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => {
    finish = resolve;
  });
  let stopTransport: () => Promise<void> = () => Promise.resolve();
  let stopDigests: () => Promise<void> = () => Promise.resolve();
  let stopPromise: Promise<number> | null = null;
  const stop = (reason: string, code = 0): Promise<number> => {
    stopPromise ??= (async () => {
      log.info({ reason }, 'sitrep stopping');
      stopping = true;
      // Digests first: a post in flight finishes (and is marked) while the transport is still up.
      await stopDigests();
      await stopTransport();
      await poller.stop();
      await parsePool.close();
      await store.close();
      await ops?.close();
      log.info('sitrep stopped');
      finish(code);
      return code;
    })();
    return stopPromise;
  };

  if (token) {
    const discord = startDiscord({
      token,
      apiBase: env['DISCORD_API_BASE'] || DEFAULT_DISCORD_API,
      devGuildId: env['SITREP_DEV_GUILD_ID'] || null,
      ctx,
    });
    stopTransport = () => discord.stop();
    discordClient = discord.client;
    // Digests start once the client is ready and the first poll stored its items.
    const digests = discordDigests({
      store,
      config,
      topics,
      briefs: ctx.briefs,
      log,
      env,
      ready: discord.ready.then(() => poller.firstRun),
      client: discord.client,
      token,
      apiBase: env['DISCORD_API_BASE'] || DEFAULT_DISCORD_API,
      // Its own shards' guilds first; another's once that process is overdue.
      ...(shardPlan ? { prefers: (guildId: string) => ownsGuild(shardPlan, guildId) } : {}),
    });
    ctx.digests = digests;
    const adminNotices = discordDigestTransport({ client: discord.client, token, apiBase: env['DISCORD_API_BASE'] || DEFAULT_DISCORD_API });
    tellAdmins = (guildId, text) => adminNotices.notifyAdmins(guildId, '', text);
    digests.start();
    stopDigests = () => digests.stop();
    discord.ready.catch((error: unknown) => {
      log.error({ err: (error as Error).message }, 'could not log in to Discord');
      void stop('login failed', 1);
    });
  } else {
    // The config's digest schedule prints to an interactive console; /digest now works in any.
    const digests = consoleDigests({ store, config, topics, briefs: ctx.briefs, log, env, ready: poller.firstRun, output: options.output });
    ctx.digests = digests;
    if (options.interactive) digests.start();
    stopDigests = () => digests.stop();
    const consoleTransport = startConsole({ ctx, input: options.input, output: options.output, interactive: options.interactive });
    stopTransport = async () => {
      consoleTransport.stop();
      await consoleTransport.done;
    };
    void consoleTransport.done.then(() => stop('end of input'));
  }

  if (options.handleSignals) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        void stop(signal);
      });
    }
  }
  started = true;
  return { ctx, finished, stop: (reason) => stop(reason) };
}

async function newestItemTime(store: Awaited<ReturnType<typeof openStore>>, topics: TopicDef[]): Promise<Date | null> {
  let newest = 0;
  for (const topic of topics) {
    const [first] = await store.items.listByTopic(topic.id);
    if (first) newest = Math.max(newest, Date.parse(first.published));
  }
  return newest > 0 ? new Date(newest) : null;
}
