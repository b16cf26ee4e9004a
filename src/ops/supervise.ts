import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../log.ts';
import { ShardConfigError } from './errors.ts';

/**
 * `sitrep run --processes N`: N bot processes on this machine, process i running Discord shard i
 * of N, all on the same shared store. Each child is a plain `sitrep run` with SITREP_SHARDS and
 * SITREP_SHARD_IDS set (the same variables that split shards across machines), so a supervised
 * child behaves exactly like one started by hand. A child that dies is started again after a
 * growing delay; SIGINT/SIGTERM stop every child and wait for them.
 */
export interface SuperviseOptions {
  processes: number;
  /** The script and arguments for one child (`bin/sitrep run ...`). */
  command: { file: string; args: string[] };
  env: NodeJS.ProcessEnv;
  log: Logger;
}

/** Checks up front what would make N processes wrong rather than merely slow. */
export function checkSupervisable(processes: number, env: NodeJS.ProcessEnv): void {
  if (!Number.isInteger(processes) || processes < 1 || processes > 64) {
    throw new ShardConfigError(`--processes ${processes}: give a whole number from 1 to 64`);
  }
  if (!env['DISCORD_TOKEN']?.trim()) {
    throw new ShardConfigError('--processes needs DISCORD_TOKEN: the console reads one terminal and runs in one process');
  }
  const store = env['SITREP_STORE'] ?? '';
  if (processes > 1 && !/^(rediss?|postgres(ql)?):\/\//.test(store)) {
    throw new ShardConfigError('--processes needs a shared store: set SITREP_STORE to redis://... or postgresql://... (SQLite serves one process)');
  }
  if (env['SITREP_SHARD_IDS'] || env['SITREP_SHARDS']) {
    throw new ShardConfigError('--processes assigns the shards itself; unset SITREP_SHARDS and SITREP_SHARD_IDS');
  }
}

/** Child i's environment: its shard, and its own ops port when a fixed one is configured. */
export function childEnv(env: NodeJS.ProcessEnv, index: number, processes: number): NodeJS.ProcessEnv {
  const port = env['SITREP_OPS_PORT']?.trim();
  return {
    ...env,
    SITREP_SHARDS: String(processes),
    SITREP_SHARD_IDS: String(index),
    ...(port && port !== '0' ? { SITREP_OPS_PORT: String(Number(port) + index) } : {}),
  };
}

export function supervise(options: SuperviseOptions): Promise<number> {
  const { log, processes } = options;
  const children = new Map<number, ChildProcess>();
  let stopping = false;
  let worst = 0;
  let resolveAll: (code: number) => void = () => undefined;
  const allDone = new Promise<number>((resolve) => {
    resolveAll = resolve;
  });

  const start = (index: number, restarts: number): void => {
    // The same node flags as this process (bin/sitrep's memory setting among them).
    const child = spawn(process.execPath, [...process.execArgv, options.command.file, ...options.command.args], {
      env: childEnv(options.env, index, processes),
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.set(index, child);
    log.info({ shard: index, pid: child.pid }, 'bot process started');
    child.on('exit', (code, signal) => {
      children.delete(index);
      if (stopping) {
        worst = Math.max(worst, code ?? 1);
        if (children.size === 0) resolveAll(worst);
        return;
      }
      const delay = Math.min(1_000 * 2 ** restarts, 60_000);
      log.error({ shard: index, code, signal, restartInMs: delay }, 'bot process exited; starting it again');
      setTimeout(() => {
        if (!stopping) start(index, restarts + 1);
        else if (children.size === 0) resolveAll(worst);
      }, delay).unref();
    });
  };

  for (let index = 0; index < processes; index += 1) start(index, 0);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info({ signal, processes: children.size }, 'stopping bot processes');
      if (children.size === 0) resolveAll(worst);
      for (const child of children.values()) child.kill('SIGTERM');
    });
  }
  return allDone;
}
