/**
 * `npm run bench -- feeds [--feeds N] [--items N] [--concurrency N]`: the poller against a loopback
 * server (a child process, so its memory and CPU are not counted as sitrep's) holding 2,000 RSS
 * feeds of 20 items built from the text of the bundled sample feeds. Three full cycles: the first
 * reads every feed, the second is answered 304 (the ETag round-trips), the third finds every feed
 * changed by one new item, as live feeds change between polls. Prints feeds/s per cycle,
 * event-loop delay during the first cycle, peak RSS, and sitrep's per-feed cost (cycles 1 and 3)
 * against a bare rss-parser `parseString` of the same bytes, measured in the same run.
 */
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Parser from 'rss-parser';
import { request } from 'undici';
import type { PollStore } from '../src/ingest/index.ts';
import { emptyFeedState, type FeedState, type StoredItem } from '../src/store/index.ts';

const here = fileURLToPath(import.meta.url);
const SAMPLE_DIR = fileURLToPath(new URL('../config/sample-feeds/', import.meta.url));
const SERVE_FLAG = '--bench-feeds-serve';

interface Story {
  title: string;
  text: string;
}

/** Time on a core and time waiting for one (ms), of one thread of this process: Linux's schedstat. */
interface ThreadTimes {
  run: number;
  wait: number;
}

function threadTimes(tid: number): ThreadTimes | null {
  try {
    const [run = 0, wait = 0] = readFileSync(`/proc/${process.pid}/task/${tid}/schedstat`, 'utf8').split(' ').map(Number);
    return { run: run / 1e6, wait: wait / 1e6 };
  } catch {
    return null;
  }
}

/** The main thread's times and those of all threads alive now (threads that ended are not counted); null off Linux. */
function schedTimes(): { main: ThreadTimes; all: ThreadTimes } | null {
  const main = threadTimes(process.pid);
  if (!main) return null;
  const all = { run: 0, wait: 0 };
  for (const tid of readdirSync(`/proc/${process.pid}/task`)) {
    const times = threadTimes(Number(tid));
    all.run += times?.run ?? 0;
    all.wait += times?.wait ?? 0;
  }
  return { main, all };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Real sentences to build items from: every item of every sample feed, read by sitrep's parser. */
async function loadStories(): Promise<Story[]> {
  const { parseFeed } = await import('../src/feeds/index.ts');
  const stories: Story[] = [];
  for (const name of (await readdir(SAMPLE_DIR)).filter((file) => /\.(xml|json)$/.test(file)).sort()) {
    const feed = await parseFeed(await readFile(join(SAMPLE_DIR, name)), { feedUrl: name, now: new Date(0) });
    for (const item of feed.items)
      if (item.text.length > 200) stories.push({ title: item.title, text: item.text });
  }
  return stories;
}

/**
 * Feed i: 20 items, each a summary plus a full text of a few stories' paragraphs in
 * content:encoded, as news sites publish them (~2.5-3 KB an item, ~60 KB a feed).
 */
function buildFeed(index: number, items: number, stories: Story[], generation = 0): string {
  const parts: string[] = [];
  // Generation g shows slots g .. g+items-1, newest first: one new item, the oldest gone.
  for (let slot = generation + items - 1; slot >= generation; slot -= 1) {
    const pick = (offset: number): Story =>
      stories[(index * 7 + slot * 3 + offset) % stories.length] as Story;
    const main = pick(0);
    const paragraphs = [main, pick(1), pick(2)]
      .flatMap((story) => story.text.split(/\n+/))
      .slice(0, 8)
      .map((paragraph) => `<p>${escapeXml(paragraph)}</p>`)
      .join('\n');
    const day = 1 + ((index + slot) % 28);
    parts.push(`    <item>
      <title>${escapeXml(main.title)}</title>
      <link>https://outlet${index % 50}.example/news/${index}/${slot}</link>
      <guid isPermaLink="false">outlet-${index}-${slot}</guid>
      <pubDate>${new Date(Date.UTC(2015, 10, day, slot % 24, (index * 13) % 60)).toUTCString()}</pubDate>
      <description>${escapeXml(main.text.slice(0, 300))}</description>
      <content:encoded><![CDATA[${paragraphs}]]></content:encoded>
    </item>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>Outlet ${index} - World</title>
    <link>https://outlet${index % 50}.example/world/</link>
    <description>World news from outlet ${index}</description>
${parts.join('\n')}
  </channel>
</rss>
`;
}

/** One bench feed, for profiling the parse path on its own. */
export async function buildFeedForTest(index: number, items = 20): Promise<string> {
  return buildFeed(index, items, await loadStories());
}

/** The child: builds every feed once, then answers GET /feed/<i> with a 200 or, given its ETag, a 304. */
async function serve(feeds: number, items: number): Promise<void> {
  const stories = await loadStories();
  const build = (generation: number): Array<{ body: Buffer; etag: string }> =>
    Array.from({ length: feeds }, (_, index) => {
      const body = Buffer.from(buildFeed(index, items, stories, generation));
      return { body, etag: `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"` };
    });
  let bodies = build(0);
  const server = createServer((req, res) => {
    const index = Number(/^\/feed\/(\d+)$/.exec(req.url ?? '')?.[1] ?? -1);
    const feed = bodies[index];
    if (!feed) {
      res.writeHead(404).end();
      return;
    }
    if (req.headers['if-none-match'] === feed.etag) {
      res.writeHead(304, { etag: feed.etag }).end();
      return;
    }
    res
      .writeHead(200, {
        'content-type': 'application/rss+xml; charset=utf-8',
        'content-length': feed.body.byteLength,
        etag: feed.etag,
      })
      .end(feed.body);
  });
  // The parent asks for this process's CPU time, to show what serving costs on the shared cores.
  process.on('message', (message) => {
    if (message === 'cpu') {
      const usage = process.cpuUsage();
      process.send?.({ cpuMs: (usage.user + usage.system) / 1000 });
    }
    // Every feed gains one new item (and a new ETag), as between two polls of a live feed.
    if (message === 'next') {
      bodies = build(1);
      process.send?.({ next: true });
    }
  });
  server.listen(0, '127.0.0.1', () => {
    const bytes = bodies.reduce((sum, feed) => sum + feed.body.byteLength, 0);
    process.send?.({ port: (server.address() as AddressInfo).port, bytes });
  });
}

/** Just what a poll needs of a store, in maps: isolates the feed pipeline from storage costs. */
function memoryStore(): PollStore {
  const states = new Map<string, FeedState>();
  const seen = new Set<string>();
  return {
    feeds: {
      get: (url) => Promise.resolve(states.get(url) ?? emptyFeedState(url)),
      put: (state) => {
        // A copy, as a real store keeps: substrings of a parsed body would otherwise keep the
        // whole body alive (V8 sliced strings), which no store that serializes does.
        states.set(state.url, JSON.parse(JSON.stringify(state)) as FeedState);
        return Promise.resolve();
      },
    },
    items: {
      addNew: async (incoming, topicsOf, now, options = {}) => {
        const fresh: StoredItem[] = [];
        for (const item of incoming) {
          const key = JSON.parse(JSON.stringify(`${item.feedUrl}\n${item.id}`)) as string;
          if (seen.has(key)) continue;
          seen.add(key);
          fresh.push({ ...item, key, topics: topicsOf(item), firstSeen: now.toISOString() });
        }
        await options.alongside?.();
        return fresh;
      },
    },
  };
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      feeds: { type: 'string', default: '2000' },
      items: { type: 'string', default: '20' },
      concurrency: { type: 'string', default: '32' },
      // Where the SQLite store goes; /dev/shm (tmpfs) takes the disk's fsync cost out of the figures.
      'store-dir': { type: 'string' },
      // sqlite (the real store) or memory (maps in this process: the feed pipeline without storage).
      store: { type: 'string', default: 'sqlite' },
      // Parse worker threads (0: parse in the main thread); the bot's default is one per extra core.
      'parse-threads': { type: 'string' },
    },
  });
  const feeds = Number(values.feeds);
  const items = Number(values.items);
  const concurrency = Number(values.concurrency);

  const child = fork(here, [SERVE_FLAG, String(feeds), String(items)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { port, bytes } = await new Promise<{ port: number; bytes: number }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { port: number; bytes: number }));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  try {
    const ask = <Reply>(question: string): Promise<Reply> =>
      new Promise((resolve) => {
        child.once('message', (message) => resolve(message as Reply));
        child.send(question);
      });
    const server = {
      cpuMs: async (): Promise<number> => (await ask<{ cpuMs: number }>('cpu')).cpuMs,
      next: async (): Promise<void> => {
        await ask<{ next: true }>('next');
      },
    };
    await measure(port, bytes, feeds, items, concurrency, values['store-dir'], values.store === 'memory', values['parse-threads'], server);
  } finally {
    child.kill();
  }
}

async function measure(
  port: number,
  bytes: number,
  feeds: number,
  items: number,
  concurrency: number,
  storeDir: string | undefined,
  inMemory: boolean,
  parseThreadsOption: string | undefined,
  server: { cpuMs: () => Promise<number>; next: () => Promise<void> },
): Promise<void> {
  const urls = Array.from({ length: feeds }, (_, index) => `http://127.0.0.1:${port}/feed/${index}`);
  console.log(
    `${feeds} feeds x ${items} items on a loopback server (child process): ${mb(bytes)}, ${(bytes / feeds / 1024).toFixed(0)} KB a feed; concurrency ${concurrency}`,
  );

  const { openStore } = await import('../src/store/index.ts');

  const { startFeedScheduler } = await import('../src/ingest/index.ts');
  const { createParsePool, defaultParseThreads } = await import('../src/feeds/index.ts');
  const parsePool = createParsePool(parseThreadsOption === undefined ? defaultParseThreads() : Number(parseThreadsOption));
  // Set-up, not timed (as opening the store is): the parse thread loads and warms up first. The
  // bot starts polling at once, and its first bodies wait a few hundred milliseconds for this.
  await parsePool.ready;
  console.log(`parse threads: ${parsePool.threads || 'none (main thread)'}`);
  const { createLogger } = await import('../src/log.ts');
  const config = JSON.parse(await readFile(new URL('../config/default.json', import.meta.url), 'utf8')) as {
    topics: Array<{ id: string; name: string; keywords: string[]; aliases?: string[]; exclude?: string[] }>;
  };
  const topics = config.topics.map((topic) => ({
    key: topic.id,
    def: {
      id: topic.id,
      name: topic.name,
      keywords: topic.keywords,
      aliases: topic.aliases ?? [],
      exclude: topic.exclude ?? [],
    },
  }));
  const dir = await mkdtemp(join(storeDir ?? tmpdir(), 'sitrep-bench-'));
  const sqlite = inMemory
    ? null
    : await openStore(`sqlite://${join(dir, 'bench.sqlite')}`, { itemsPerTopic: 2_000 });
  console.log(`store: ${sqlite ? `SQLite in ${dir}` : 'in-memory maps (no storage cost)'}`);
  const store: PollStore = sqlite ?? memoryStore();

  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const baseRss = peakRss;
  // RSS alone is cheap to read; the heap figures (a walk of V8's spaces) are read less often, so
  // sampling costs the poller almost nothing.
  let samples = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    samples += 1;
    if (samples % 5 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 20);
  const T0 = Date.parse('2015-11-20T00:00:00Z');
  let now = T0;
  const intervalMs = 15 * 60_000;
  let newItems = 0;
  const scheduler = startFeedScheduler({
    store,
    topics: () => Promise.resolve(topics),
    onNewItems: (stored) => {
      newItems += stored.length;
      return Promise.resolve();
    },
    log: createLogger({ level: 'silent' }),
    fetch: { timeoutMs: 30_000, maxBytes: 5_000_000, allowPrivate: true, userAgent: 'sitrep-bench', parser: parsePool.parse },
    concurrency,
    perHost: concurrency,
    intervalMs,
    now: () => new Date(now),
    stopping: () => false,
    sources: () => Promise.resolve(urls.map((url) => ({ url }))),
    tickMs: null,
  });

  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const serverCpuBefore = await server.cpuMs();
  let started = performance.now();
  const cpuBefore = process.cpuUsage();
  const schedBefore = schedTimes();
  const eluBefore = performance.eventLoopUtilization();
  await scheduler.firstRun;
  const mainBusyMs = performance.eventLoopUtilization(eluBefore).active;
  const first = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const schedAfter = schedTimes();
  const serverCpuMs = (await server.cpuMs()) - serverCpuBefore;
  const firstCpuMs = (cpu.user + cpu.system) / 1000;
  loop.disable();
  const firstPeak = peakRss;
  // With --expose-gc, what cycle 1 left alive (the rest of the peak heap was garbage not yet collected).
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const liveAfterFirst = gc ? process.memoryUsage().heapUsed : null;
  const firstNew = newItems;

  now = T0 + 2 * intervalMs + 1;
  started = performance.now();
  const report = await scheduler.tick();
  const second = performance.now() - started;

  // Cycle 3, the usual case of a live feed: changed, with one new item among 19 known ones.
  await server.next();
  const newBefore = newItems;
  now = T0 + 4 * intervalMs + 2;
  started = performance.now();
  const changedReport = await scheduler.tick();
  const third = performance.now() - started;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const maxRss = process.resourceUsage().maxRSS * 1024;
  await scheduler.stop();
  await parsePool.close();
  await sqlite?.close();

  // The bare baseline: the same bytes, fetched again (not timed), parsed by rss-parser alone.
  const parser = new Parser();
  let bare = 0;
  for (const url of urls) {
    const response = await request(url);
    const text = await response.body.text();
    const t = performance.now();
    await parser.parseString(text);
    bare += performance.now() - t;
  }
  await rm(dir, { recursive: true, force: true });

  const ms = (value: number): string => `${value.toFixed(0)} ms`;
  console.log(
    `cycle 1 (200s): ${ms(first)}, ${(feeds / (first / 1000)).toFixed(0)} feeds/s, ${firstNew} new items stored`,
  );
  console.log(
    `CPU during cycle 1, all of sitrep's threads: ${ms(firstCpuMs)} (user ${ms(cpu.user / 1000)}, system ${ms(cpu.system / 1000)}), ${(firstCpuMs / feeds).toFixed(2)} ms a feed, ${(firstCpuMs / first).toFixed(2)} cores busy on average; the loopback server process: ${ms(serverCpuMs)} (${(serverCpuMs / first).toFixed(2)} cores)`,
  );
  // The main thread's share: the event loop's active time (it fetches, hands bodies over and stores).
  console.log(
    `main thread busy during cycle 1: ${ms(mainBusyMs)} (${((100 * mainBusyMs) / first).toFixed(0)}% of the cycle); the other threads (parse, checkpoints): about ${ms(Math.max(0, firstCpuMs - mainBusyMs))} of CPU`,
  );
  // Busy is not the same as running: on a machine whose cores are all taken, a busy thread waits
  // for one (the parse thread, V8's own threads for garbage collection and compiling, the server).
  if (schedBefore && schedAfter) {
    const mainRun = schedAfter.main.run - schedBefore.main.run;
    console.log(
      `threads during cycle 1 (Linux schedstat): main thread on a core ${ms(mainRun)}, waiting for a core ${ms(schedAfter.main.wait - schedBefore.main.wait)}; the other threads on a core ${ms(schedAfter.all.run - schedBefore.all.run - mainRun)}; all of sitrep's threads waiting for a core ${ms(schedAfter.all.wait - schedBefore.all.wait)}`,
    );
  }
  console.log(
    `cycle 2 (304s): ${ms(second)}, ${(feeds / (second / 1000)).toFixed(0)} feeds/s (${report.notModified} not modified, ${report.ok} changed, ${report.failed} failed)`,
  );
  console.log(
    `cycle 3 (every feed changed, 1 new item of ${items}): ${ms(third)}, ${(feeds / (third / 1000)).toFixed(0)} feeds/s (${changedReport.ok} changed, ${changedReport.failed} failed), ${newItems - newBefore} new items stored`,
  );
  console.log(
    `event-loop delay during cycle 1: p50 ${(loop.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`,
  );
  console.log(
    `peak RSS: ${mb(Math.max(firstPeak, peakRss))} sampled (${mb(maxRss)} process max RSS; ${mb(baseRss)} before the first poll (node, the store and the parse thread loaded); peak JS heap ${mb(peakHeap)}${liveAfterFirst === null ? '' : `, ${mb(liveAfterFirst)} live after cycle 1`})`,
  );
  console.log(
    `bare rss-parser parseString of the same bytes: ${ms(bare)} (${(bare / feeds).toFixed(2)} ms a feed, ${(bytes / 1024 / 1024 / (bare / 1000)).toFixed(0)} MB/s)`,
  );
  console.log(
    `sitrep per-feed cost: ${(first / feeds).toFixed(2)} ms = ${(first / bare).toFixed(2)}x bare parse (whole cycle 1 / sum of bare parses); every feed changed (cycle 3): ${(third / feeds).toFixed(2)} ms = ${(third / bare).toFixed(2)}x`,
  );
}

if (process.argv.includes(SERVE_FLAG)) {
  const at = process.argv.indexOf(SERVE_FLAG);
  await serve(Number(process.argv[at + 1]), Number(process.argv[at + 2]));
}
