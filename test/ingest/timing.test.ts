import { describe, expect, it } from 'vitest';
import {
  MAX_DELAY_MS,
  nextAfterFailure,
  nextAfterSuccess,
  phaseOf,
  successDelay,
} from '../../src/ingest/index.ts';

const MIN = 60_000;
const INTERVAL = 15 * MIN;

describe('successDelay', () => {
  it('takes the longest of the interval, the ttl and the cache headers, capped at 24 h', () => {
    expect(successDelay(INTERVAL, {})).toBe(INTERVAL);
    expect(successDelay(INTERVAL, { ttlMinutes: 5 })).toBe(INTERVAL);
    expect(successDelay(INTERVAL, { ttlMinutes: 60 })).toBe(60 * MIN);
    expect(successDelay(INTERVAL, { ttlMinutes: 60, maxAgeMs: 120 * MIN })).toBe(120 * MIN);
    expect(successDelay(INTERVAL, { ttlMinutes: 100_000 })).toBe(MAX_DELAY_MS);
  });
});

describe('nextAfterSuccess', () => {
  it('stays on the feed phase: a poll that ran late does not push the next one later', () => {
    const url = 'https://a.example/feed';
    const phase = phaseOf(url, INTERVAL);
    const dueAt = 100 * INTERVAL + phase;
    const next = nextAfterSuccess({
      url,
      dueAt,
      now: dueAt + 7_000,
      delayMs: INTERVAL,
      intervalMs: INTERVAL,
    });
    expect(next).toBe(dueAt + INTERVAL);
  });

  it('moves a new feed onto its phase, less than one interval later', () => {
    const url = 'https://b.example/feed';
    const now = 1_000 * INTERVAL;
    const next = nextAfterSuccess({ url, dueAt: now, now, delayMs: INTERVAL, intervalMs: INTERVAL });
    expect(next).toBeGreaterThanOrEqual(now + INTERVAL);
    expect(next).toBeLessThan(now + 2 * INTERVAL);
    expect((next - phaseOf(url, INTERVAL)) % INTERVAL).toBe(0);
  });

  it('spreads feeds over the interval by URL', () => {
    const buckets = new Array<number>(10).fill(0);
    for (let index = 0; index < 500; index += 1) {
      const phase = phaseOf(`https://site${index}.example/rss`, INTERVAL);
      const bucket = Math.floor((phase / INTERVAL) * 10);
      buckets[bucket] = (buckets[bucket] ?? 0) + 1;
    }
    // 50 per bucket on average; a hash that clumped would leave some nearly empty.
    for (const count of buckets) expect(count).toBeGreaterThan(20);
  });
});

describe('nextAfterFailure', () => {
  it('doubles per failure with jitter, capped at 24 h', () => {
    const at = (failures: number, random: number): number =>
      nextAfterFailure({ now: 0, failures, intervalMs: INTERVAL, retryAfterMs: null, random });
    expect(at(1, 0.5)).toBe(INTERVAL);
    expect(at(2, 0.5)).toBe(2 * INTERVAL);
    expect(at(3, 0)).toBe(4 * INTERVAL * 0.75);
    expect(at(3, 0.999)).toBeLessThan(4 * INTERVAL * 1.25);
    expect(at(30, 0.999)).toBe(MAX_DELAY_MS);
  });

  it('treats Retry-After as a floor', () => {
    expect(
      nextAfterFailure({
        now: 0,
        failures: 1,
        intervalMs: INTERVAL,
        retryAfterMs: 3 * 3_600_000,
        random: 0.5,
      }),
    ).toBe(3 * 3_600_000);
    expect(
      nextAfterFailure({ now: 0, failures: 1, intervalMs: INTERVAL, retryAfterMs: 10_000, random: 0.5 }),
    ).toBe(INTERVAL);
  });
});
