import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(ROOT, 'bin/sitrep');

/** A scratch folder with a config derived from config/default.json (absolute paths, changes applied). */
export async function scratchConfig(change: (config: Record<string, unknown>) => void = () => undefined): Promise<{
  dir: string;
  configFile: string;
  storeUrl: string;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'sitrep-e2e-'));
  const config = JSON.parse(await readFile(join(ROOT, 'config/default.json'), 'utf8')) as Record<string, unknown>;
  const baseline = config['baseline'] as Record<string, unknown>;
  baseline['file'] = join(ROOT, 'config', String(baseline['file']));
  config['sampleFeeds'] = join(ROOT, 'config', String(config['sampleFeeds']));
  change(config);
  const configFile = join(dir, 'config.json');
  await writeFile(configFile, JSON.stringify(config, null, 2));
  return { dir, configFile, storeUrl: `sqlite://${join(dir, 'store', 'sitrep.sqlite')}` };
}

export interface BotRun {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
}

/** Starts `bin/sitrep <args>` as a real process with a clean environment plus `env`. */
export function startBot(args: string[], env: Record<string, string>, stdin?: string): BotRun {
  const base: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'NODE_OPTIONS']) {
    const value = process.env[key];
    if (value !== undefined) base[key] = value;
  }
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...base, ...env } });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | string>((resolveExit) => {
    child.on('exit', (code, signal) => resolveExit(code ?? signal ?? -1));
  });
  if (stdin !== undefined) child.stdin.end(stdin);
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Runs to completion: for CLI commands and piped console sessions. */
export async function runToEnd(
  args: string[],
  env: Record<string, string>,
  stdin = '',
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const run = startBot(args, env, stdin);
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** Ends a bot process that may still be running (test clean-up): SIGKILL, then wait for the exit. */
export async function killBot(bot: BotRun | undefined): Promise<void> {
  if (!bot) return;
  if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
  await bot.exited;
}

/** Lines of a bot's JSON log with this message. */
export function logged(bot: BotRun, msg: string): Array<Record<string, unknown>> {
  return bot
    .stderr()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry['msg'] === msg);
}

/** The pid in a lease owner id (`<host>:<pid>:<hex>`), or -1. */
export function pidOf(owner: string): number {
  const match = /:(\d+):[0-9a-f]+$/.exec(owner);
  return match ? Number(match[1]) : -1;
}

/**
 * Compiles what a bot process runs (bin/sitrep's entry and the parse worker's), as a deployment's
 * first start would: processes started together then begin polling together, instead of each
 * compiling first on a cold cache, which gave one of three processes no feeds in its first interval.
 */
export async function compileBot(): Promise<void> {
  const launcher = new URL('../../src/cli/launch.mjs', import.meta.url).href;
  const { compiledModule } = (await import(launcher)) as {
    compiledModule: (entry: string) => Promise<string | null>;
  };
  await compiledModule('src/cli/main.ts');
  await compiledModule('src/feeds/parse/worker-task.ts');
}
