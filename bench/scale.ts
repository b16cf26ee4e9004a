/**
 * `npm run bench -- scale [--feeds N] [--seconds S] [--redis URL]`: feeds polled per second and
 * store operations per second with 1, 2 and 3 processes on Redis, against one process on SQLite,
 * and the ratios. Each process is a real Node process (bench/_scale-worker.ts) with its own store
 * connection; the feeds come from a loopback server (RSS, 20 items each), so the figures are the
 * poll path's own cost (fetch, parse, match, store), not the network's.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startFeedServer, type FeedServer } from '../test/harness/feed-server.ts';

const here = dirname(fileURLToPath(import.meta.url));

interface Result {
  polled: number;
  ops: number;
  ms: number;
}

function rss(n: number): string {
  const items = Array.from(
    { length: 20 },
    (_, i) => `<item><guid>f${n}-i${i}</guid><title>Syria talks: report ${i} from outlet ${n}</title>
<link>https://outlet${n}.example/${i}</link><pubDate>Tue, 17 Nov 2015 ${String(i).padStart(2, '0')}:00:00 GMT</pubDate>
<description>Ministers met in Vienna on Syria; ${i * 7} delegates attended, said outlet ${n}. Russia and Turkey disagreed.</description></item>`,
  ).join('\n');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet ${n}</title><link>https://outlet${n}.example/</link>${items}</channel></rss>`;
}

function worker(job: Record<string, unknown>): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, '_scale-worker.ts')], {
      env: { ...process.env, SITREP_BENCH_JOB: JSON.stringify(job) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line) resolve(JSON.parse(line) as Result);
      else reject(new Error(`bench worker exited with ${code}: ${out}`));
    });
  });
}

async function measure(
  storeUrl: () => Promise<string>,
  processes: number,
  server: FeedServer,
  feeds: number,
  seconds: number,
): Promise<{ feedsPerSecond: number; opsPerSecond: number }> {
  const urls = Array.from({ length: feeds }, (_, n) => server.url(`/f/${n}.xml`));
  const run = async (kind: 'polls' | 'ops'): Promise<Result[]> => {
    const url = await storeUrl();
    const namespace = `bench-${kind}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    // Start together once every process has opened its store (start-up is not what is measured).
    const startAt = Date.now() + 2_500;
    return Promise.all(
      Array.from({ length: processes }, (_, index) =>
        worker({ kind, storeUrl: url, namespace, feeds: urls, index, startAt, durationMs: seconds * 1_000 }),
      ),
    );
  };
  const polls = await run('polls');
  const polled = polls.reduce((sum, result) => sum + result.polled, 0);
  if (polled !== feeds) throw new Error(`bench: ${polled} polls for ${feeds} feeds: a feed was polled twice or never`);
  const pollMs = Math.max(...polls.map((result) => result.ms));
  const ops = await run('ops');
  const opsMs = Math.max(...ops.map((result) => result.ms));
  return {
    feedsPerSecond: feeds / (pollMs / 1_000),
    opsPerSecond: ops.reduce((sum, result) => sum + result.ops, 0) / (opsMs / 1_000),
  };
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { feeds: { type: 'string', default: '300' }, seconds: { type: 'string', default: '5' }, redis: { type: 'string' } },
  });
  const feeds = Number(values.feeds);
  const seconds = Number(values.seconds);
  const redis = values.redis ?? process.env['SITREP_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const server = await startFeedServer();
  for (let n = 0; n < feeds; n += 1) server.route(`/f/${n}.xml`, { kind: 'body', body: rss(n) });
  try {
    const sqlite = async (): Promise<string> => `sqlite://${join(await mkdtemp(join(tmpdir(), 'sitrep-bench-')), 's.sqlite')}`;
    const base = await measure(sqlite, 1, server, feeds, seconds);
    const rows: Array<[string, { feedsPerSecond: number; opsPerSecond: number }]> = [['sqlite x1', base]];
    for (const processes of [1, 2, 3]) {
      try {
        rows.push([`redis x${processes}`, await measure(() => Promise.resolve(redis), processes, server, feeds, seconds)]);
      } catch (error) {
        process.stdout.write(`redis x${processes}: skipped (${(error as Error).message.split('\n')[0]})\n`);
        break;
      }
    }
    process.stdout.write(`${feeds} feeds of 20 items on a loopback server; store ops for ${seconds} s with 8 lanes per process\n`);
    process.stdout.write('setup        feeds/s  vs sqlite   store ops/s  vs sqlite\n');
    for (const [name, row] of rows) {
      process.stdout.write(
        `${name.padEnd(11)} ${row.feedsPerSecond.toFixed(0).padStart(8)}  ${(row.feedsPerSecond / base.feedsPerSecond).toFixed(2).padStart(8)}x  ${row.opsPerSecond
          .toFixed(0)
          .padStart(11)}  ${(row.opsPerSecond / base.opsPerSecond).toFixed(2).padStart(8)}x\n`,
      );
    }
  } finally {
    await server.close();
  }
}
