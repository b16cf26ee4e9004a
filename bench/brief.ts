/**
 * `npm run bench -- brief [--items N] [--topics N] [--days N] [--feeds N] [--runs N] [--fresh]`
 *
 * Time from receiving /brief to the reply being ready to send (dispatch, brief, Discord rendering),
 * over a SQLite store of N items across `days` days and `topics` topics: once idle, once while a
 * poll cycle of `feeds` loopback feeds runs in the same process. Prints median and p99, and the
 * ratio to a bare store read of the same items. The store is built once and kept in the temp
 * folder (--fresh rebuilds it).
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { commands } from '../commands/index.ts';
import { createBriefService } from '../src/briefing/index.ts';
import type { CommandContext, CommandInput } from '../src/chat/command.ts';
import { runCommand } from '../src/chat/dispatch.ts';
import { renderDiscord } from '../src/chat/render-discord.ts';
import { loadConfig } from '../src/config/load.ts';
import { digestsNotRunning } from '../src/digest/pending.ts';
import { createParsePool, defaultParseThreads } from '../src/feeds/index.ts';
import { runPollCycle } from '../src/ingest/index.ts';
import { createLogger } from '../src/log.ts';
import type { Baseline, Item, TopicDef } from '../src/news/types.ts';
import { openStore, type Store } from '../src/store/index.ts';
import { createStoryTracker } from '../src/stories/tracker.ts';

const DAY_MS = 86_400_000;
const PLACES = ['Aleppo', 'Homs', 'Mosul', 'Paris', 'Brussels', 'Ankara', 'Vienna', 'Geneva', 'Moscow', 'Beirut', 'Amman', 'Athens'];
const PEOPLE = ['Kerry', 'Lavrov', 'Hollande', 'Cameron', 'Erdogan', 'Merkel', 'Obama', 'Putin', 'Tusk', 'Mistura'];
const VOCABULARY = (
  'harbour pipeline tariff drought vaccine election bridge railway reactor border ceasefire refinery ' +
  'airport factory strike protest verdict budget census wildfire flood earthquake satellite treaty ' +
  'embassy hostage convoy shipment mine vessel festival museum stadium hospital school prison market ' +
  'bank currency loan subsidy wheat cotton oil gas copper gold water grain fishery forest canal dam ' +
  'summit envoy mediator militia coalition parliament court senate ministry agency union cartel'
).split(' ');
const OUTLETS = ['Wire One', 'Daily Two', 'Radio Three', 'Gazette Four', 'Post Five'];

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? 0;
}

function summary(times: number[]): { median: number; p99: number; n: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), n: sorted.length };
}

function topicDefs(count: number): TopicDef[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `topic-${index}`,
    name: `Topic ${index}`,
    keywords: [`subject${index}`],
    aliases: [],
    exclude: [],
  }));
}

/** Item `n`: one of a few items of story `n / 4`, on one or two topics, with places, people and figures. */
function makeItem(n: number, topics: number, days: number, end: number, feedUrl: string): { item: Item; topics: string[] } {
  const story = Math.floor(n / 4);
  const topic = story % topics;
  const second = (story * 7 + 3) % topics;
  const place = PLACES[story % PLACES.length] ?? 'Aleppo';
  const person = PEOPLE[(story >> 2) % PEOPLE.length] ?? 'Kerry';
  const killed = 10 + (story % 90) + (n % 4);
  // Stories spread over every hour of the `days` days, a story's items a few hours apart.
  const published = new Date(end - ((story * 7919) % (days * 24)) * 3_600_000 - (n % 4) * 3_600_000).toISOString();
  // Words of the story's own, so that different stories read differently, as real ones do.
  const own = Array.from({ length: 6 }, (_, k) => VOCABULARY[(story * 31 + k * 977) % VOCABULARY.length]).join(' ');
  const text =
    `${person} said in ${place} that ${killed} people were killed in subject${topic} fighting on day ${story % days}. ` +
    `Officials in ${PLACES[(story + 3) % PLACES.length] ?? 'Geneva'} said ${1_000 + story} refugees crossed the border. ` +
    `Talks on subject${second} will resume next week, ${PEOPLE[(story + 1) % PEOPLE.length] ?? 'Lavrov'} said. ` +
    `The dispute concerns ${own}.`;
  return {
    item: {
      id: `i${n}`,
      feedUrl,
      title: `${place}: ${killed} killed as subject${topic} talks stall (${story})`,
      text,
      link: `https://news.example/${story}/${n}`,
      published,
      source: OUTLETS[n % OUTLETS.length] ?? 'Wire',
    },
    topics: second === topic ? [`topic-${topic}`] : [`topic-${topic}`, `topic-${second}`],
  };
}

async function buildStore(file: string, count: number, topics: number, days: number, end: number): Promise<Store> {
  const fresh = !existsSync(file);
  const store = await openStore(`sqlite://${file}`, { itemsPerTopic: 100_000 });
  if (!fresh && (await store.items.count()) >= count) return store;
  const started = performance.now();
  // Items go in as the bot stores them: grouped into stories at ingest by the story tracker.
  const tracker = createStoryTracker(store, { windowHours: 72 });
  const batch = 2_000;
  for (let from = 0; from < count; from += batch) {
    const made = Array.from({ length: Math.min(batch, count - from) }, (_, offset) =>
      makeItem(from + offset, topics, days, end, `https://feed${(from + offset) % 40}.example/rss`),
    );
    const byId = new Map(made.map((entry) => [`${entry.item.feedUrl}#${entry.item.id}`, entry.topics]));
    const fresh = await store.items.addNew(
      made.map((entry) => entry.item),
      (item) => byId.get(`${item.feedUrl}#${item.id}`) ?? [],
      new Date(end),
    );
    await tracker.track(fresh);
    await tracker.flush();
  }
  process.stdout.write(`built a store of ${count} items in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return store;
}

/** A loopback server of `count` RSS feeds of 20 items each, on the benchmark's topics. */
async function feedServer(count: number, topics: number, end: number): Promise<{ urls: string[]; close: () => Promise<void> }> {
  const bodies = new Map<string, string>();
  for (let feed = 0; feed < count; feed += 1) {
    const items = Array.from({ length: 20 }, (_, index) => {
      const { item } = makeItem(1_000_000 + feed * 20 + index, topics, 2, end, 'x');
      return `<item><title>${item.title}</title><guid>f${feed}-${index}</guid><link>${item.link ?? ''}</link><pubDate>${new Date(item.published).toUTCString()}</pubDate><description>${item.text}</description></item>`;
    }).join('');
    bodies.set(`/f${feed}.xml`, `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed ${feed}</title><link>https://f.example/</link><description>d</description>${items}</channel></rss>`);
  }
  const server = createServer((req, res) => {
    const body = bodies.get(req.url ?? '');
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/rss+xml' });
    res.end(body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    urls: [...bodies.keys()].map((path) => `http://127.0.0.1:${port}${path}`),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function run(args: string[]): Promise<void> {
  const count = option(args, 'items', 100_000);
  const topicCount = option(args, 'topics', 50);
  const days = option(args, 'days', 30);
  const feedCount = option(args, 'feeds', 2_000);
  const runs = option(args, 'runs', 200);
  const end = Date.parse('2015-12-10T00:00:00Z');
  const folder = join(tmpdir(), 'sitrep-bench-brief');
  await mkdir(folder, { recursive: true });
  const file = join(folder, `store-v6-${count}-${topicCount}-${days}.sqlite`);
  if (args.includes('--fresh')) await rm(file, { force: true });
  // The built store is kept for the next run, and each run works on a copy: the poll cycle below
  // adds items, which would otherwise make every run measure a bigger store than the last.
  await (await buildStore(file, count, topicCount, days, end)).close();
  const runDir = await mkdtemp(join(tmpdir(), 'sitrep-bench-brief-run-'));
  const runFile = join(runDir, 'store.sqlite');
  await copyFile(file, runFile);
  const store = await openStore(`sqlite://${runFile}`, { itemsPerTopic: 100_000 });

  const loaded = await loadConfig(join(process.cwd(), 'config/default.json'));
  const topics = topicDefs(topicCount);
  const baseline: Baseline = {
    id: 'bench-baseline',
    title: 'Talks stall as fighting goes on',
    text: 'Kerry said in Vienna that 10 people were killed. Officials in Geneva said 1000 refugees crossed the border.',
    published: new Date(end - days * DAY_MS).toISOString(),
    source: 'Bench',
  };
  // The bot's own brief settings (the default 7-day lookback) over a store holding `days` days.
  const config = loaded.config;
  const baselines = new Map(topics.map((topic) => [topic.id, baseline]));
  const now = (): Date => new Date(end);
  const log = createLogger({ level: 'error' });
  const ctx: CommandContext = {
    config,
    topics,
    baselines,
    store,
    briefs: createBriefService({ store, config, baselines, now }),
    digests: digestsNotRunning(),
    log,
    now,
    firstPoll: Promise.resolve(),
    version: 'bench',
    commands,
  };
  const input = (topic: string): CommandInput => ({
    name: 'brief',
    subcommand: null,
    options: { topic },
    guildId: null,
    channelId: null,
    userId: 'bench',
    permissions: null,
    transport: 'discord',
  });
  const perTopic = (await store.items.listByTopic('topic-0')).length;
  process.stdout.write(`store: ${await store.items.count()} items, ${topicCount} topics (~${perTopic} items in topic-0), ${days} days\n`);

  /**
   * One /brief as the bot gets it: an interaction is an event of its own, so it is queued behind
   * whatever the event loop is doing (a poll's commit, a parsed feed coming back) and timed from
   * then; the bare read is timed the same way.
   */
  const measure = async (topic: string): Promise<{ brief: number; read: number }> => {
    const readStart = performance.now();
    await new Promise<void>((resolve) => setImmediate(resolve));
    await store.items.listByTopic(topic, { since: new Date(end - config.brief.lookbackDays * DAY_MS).toISOString() });
    const read = performance.now() - readStart;
    const briefStart = performance.now();
    await new Promise<void>((resolve) => setImmediate(resolve));
    const reply = await runCommand(input(topic), ctx);
    renderDiscord(reply);
    const brief = performance.now() - briefStart;
    if (reply.error) throw new Error(`bench: /brief ${topic} failed: ${reply.text}`);
    return { brief, read };
  };

  // Warm-up: JIT, SQLite page cache, the NLP model.
  for (let index = 0; index < 5; index += 1) await measure(`topic-${index % topicCount}`);

  const idle = { brief: [] as number[], read: [] as number[] };
  for (let index = 0; index < runs; index += 1) {
    const sample = await measure(`topic-${index % topicCount}`);
    idle.brief.push(sample.brief);
    idle.read.push(sample.read);
  }

  const server = await feedServer(feedCount, topicCount, end);
  const busy = { brief: [] as number[], read: [] as number[] };
  let done = false;
  // The cycle is stopped once enough briefs were timed during it: a full cycle can take minutes.
  let stop = false;
  // Parsing runs in worker threads, as in the bot (poll.parseThreads: one per extra core).
  const parsePool = createParsePool(config.poll.parseThreads ?? defaultParseThreads());
  const cycleTracker = createStoryTracker(store, { windowHours: config.brief.storyWindowHours });
  await cycleTracker.warmUp(
    topics.map((topic) => topic.id),
    new Date(end),
  );
  const cycleStart = performance.now();
  const cycle = runPollCycle(
    server.urls.map((url) => ({ url })),
    {
      store,
      topics: () => Promise.resolve(topics.map((def) => ({ key: def.id, def }))),
      log,
      // New items are grouped into stories as the bot does, which also keeps the reused store whole.
      onNewItems: async (items) => {
        await cycleTracker.track(items);
        await cycleTracker.flush();
      },
      fetch: { timeoutMs: 30_000, maxBytes: 5_000_000, allowPrivate: true, userAgent: 'sitrep-bench', parser: parsePool.parse },
      concurrency: config.poll.concurrency,
      now: () => new Date(end),
      stopping: () => stop,
    },
  ).finally(() => {
    done = true;
  });
  for (let index = 0; !done && index < runs; index += 1) {
    // Users do not send briefs back to back: a pause between them lets the cycle move on.
    await new Promise<void>((resolve) => setTimeout(resolve, 20));
    const sample = await measure(`topic-${index % topicCount}`);
    busy.brief.push(sample.brief);
    busy.read.push(sample.read);
  }
  stop = true;
  const report = await cycle;
  const cycleMs = performance.now() - cycleStart;
  await parsePool.close();
  await server.close();

  const line = (label: string, times: { brief: number[]; read: number[] }): void => {
    const brief = summary(times.brief);
    const read = summary(times.read);
    process.stdout.write(
      `${label}: /brief median ${brief.median.toFixed(1)} ms, p99 ${brief.p99.toFixed(1)} ms (n=${brief.n}); ` +
        `bare store read median ${read.median.toFixed(1)} ms, p99 ${read.p99.toFixed(1)} ms; ` +
        `ratio median ${(brief.median / Math.max(0.001, read.median)).toFixed(1)}x, p99 ${(brief.p99 / Math.max(0.001, read.p99)).toFixed(1)}x\n`,
    );
  };
  line('idle', idle);
  line(
    `during a ${feedCount}-feed poll cycle (stopped after the briefs: ${report.polled} feeds polled, ${report.newItems} new items in ${(cycleMs / 1000).toFixed(1)} s)`,
    busy,
  );
  process.stdout.write('targets: p99 < 100 ms idle, < 250 ms during the cycle\n');
  await store.close();
  await rm(runDir, { recursive: true, force: true });
}
