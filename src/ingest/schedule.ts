import cron from 'node-cron';
import type { Logger } from '../log.ts';

export interface Poller {
  /** Settles when the run started at start-up is over (whether it failed or not). */
  firstRun: Promise<void>;
  /** Runs a cycle now unless one is running; resolves when that cycle is over. */
  runNow(): Promise<void>;
  /** No new cycles; waits for the running one to finish. */
  stop(): Promise<void>;
}

/**
 * Runs `cycle` once at start and then on the cron schedule. Overlapping ticks are skipped: a slow
 * cycle delays the next one instead of piling up.
 */
export function startPoller(options: {
  schedule: string;
  timezone?: string;
  cycle: () => Promise<void>;
  log: Logger;
}): Poller {
  let running: Promise<void> | null = null;
  let stopped = false;
  const runNow = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) return running;
    running = options
      .cycle()
      .catch((error: unknown) => options.log.error({ err: (error as Error).message }, 'poll cycle failed'))
      .finally(() => {
        running = null;
      });
    return running;
  };
  const task = cron.schedule(
    options.schedule,
    () => {
      void runNow();
    },
    { name: 'poll', noOverlap: true, ...(options.timezone ? { timezone: options.timezone } : {}) },
  );
  const firstRun = runNow();
  return {
    firstRun,
    runNow,
    stop: async () => {
      stopped = true;
      await task.stop();
      await task.destroy();
      if (running) await running;
    },
  };
}
