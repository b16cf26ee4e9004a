import { createHash } from 'node:crypto';

/*
 * When a feed is polled next. Pure: every input, the clock and the dice included, is a parameter,
 * so the rules are tested on plain numbers.
 */

/** No feed waits longer than this between polls, whatever its ttl or cache headers say. */
export const MAX_DELAY_MS = 24 * 60 * 60 * 1_000;
/** Backoff doubles per failure up to this exponent (interval x 2^10 is past the 24 h cap anyway). */
const MAX_BACKOFF_EXPONENT = 10;

/** A fixed offset in [0, intervalMs) from the URL, so feeds are spread over the interval. */
export function phaseOf(url: string, intervalMs: number): number {
  const digest = createHash('sha1').update(url).digest();
  return digest.readUInt32BE(0) % Math.max(1, Math.floor(intervalMs));
}

function mod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

/** What a successful poll learned about the feed's own pace. */
export interface FreshnessHints {
  /** RSS `<ttl>`, minutes. */
  ttlMinutes?: number | null;
  /** Cache-Control max-age or Expires, ms. */
  maxAgeMs?: number | null;
}

/** max(configured interval, ttl, max-age/Expires), capped at 24 h. */
export function successDelay(intervalMs: number, hints: FreshnessHints): number {
  const ttlMs = hints.ttlMinutes ? hints.ttlMinutes * 60_000 : 0;
  return Math.min(MAX_DELAY_MS, Math.max(intervalMs, ttlMs, hints.maxAgeMs ?? 0));
}

/**
 * The next poll after a success. Counting from when the poll was *due* (not when it ran) keeps a
 * feed on its phase, so tick latency does not make polls drift; the result is moved forward (by
 * less than one interval) onto the feed's phase, which spreads feeds that all started together.
 */
export function nextAfterSuccess(opts: {
  url: string;
  dueAt: number;
  now: number;
  delayMs: number;
  intervalMs: number;
}): number {
  const base = Math.max(opts.dueAt + opts.delayMs, opts.now);
  const offset = mod(phaseOf(opts.url, opts.intervalMs) - base, opts.intervalMs);
  return Math.min(base + offset, opts.now + MAX_DELAY_MS);
}

/**
 * The next poll after the n-th failure in a row: the interval doubled per failure, with +-25%
 * jitter so feeds that failed together (one host down) do not come back together; a server's
 * Retry-After is a floor. `random` is a number in [0, 1).
 */
export function nextAfterFailure(opts: {
  now: number;
  failures: number;
  intervalMs: number;
  retryAfterMs: number | null;
  random: number;
}): number {
  const exponent = Math.min(Math.max(opts.failures, 1), MAX_BACKOFF_EXPONENT) - 1;
  const backoff = Math.min(MAX_DELAY_MS, opts.intervalMs * 2 ** exponent) * (0.75 + 0.5 * opts.random);
  const floor = opts.retryAfterMs === null ? 0 : Math.min(MAX_DELAY_MS, opts.retryAfterMs);
  return opts.now + Math.round(Math.min(MAX_DELAY_MS, Math.max(backoff, floor)));
}
