import { createTask } from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cronSchedule, instantOf, quietUntil } from '../../src/digest/schedule.ts';
import { isSitrepError } from '../../src/errors.ts';

/** The next `count` fires after `from`, walking with `next`. */
function fires(cron: string, timezone: string, from: string, count: number): string[] {
  const schedule = cronSchedule(cron, timezone);
  const out: string[] = [];
  let at = new Date(from);
  for (let i = 0; i < count; i += 1) {
    const next = schedule.next(at);
    if (!next) break;
    out.push(next.toISOString());
    at = next;
  }
  return out;
}

/** node-cron's own next runs from a faked "now" (getNextRuns walks from `new Date()`). */
function nodeCronFires(cron: string, timezone: string, from: string, count: number): string[] {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(from));
  const task = createTask(cron, () => undefined, { timezone });
  try {
    return task.getNextRuns(count).map((date) => date.toISOString());
  } finally {
    void task.destroy();
    vi.useRealTimers();
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('digest schedule maths (real node-cron, IANA zones)', () => {
  it('daily 08:00 Europe/London stays at 08:00 local across both DST changes', () => {
    expect(fires('0 8 * * *', 'Europe/London', '2026-03-27T12:00:00Z', 4)).toEqual([
      '2026-03-28T08:00:00.000Z', // GMT
      '2026-03-29T07:00:00.000Z', // the clocks went forward at 01:00 GMT: 08:00 BST
      '2026-03-30T07:00:00.000Z',
      '2026-03-31T07:00:00.000Z',
    ]);
    expect(fires('0 8 * * *', 'Europe/London', '2026-10-23T12:00:00Z', 3)).toEqual([
      '2026-10-24T07:00:00.000Z', // BST
      '2026-10-25T08:00:00.000Z', // back to GMT at 02:00 BST
      '2026-10-26T08:00:00.000Z',
    ]);
  });

  it('agrees with node-cron\'s own next runs on DST change days', () => {
    const cases: Array<[string, string, string]> = [
      ['0 8 * * *', 'Europe/London', '2026-03-27T12:00:00Z'],
      ['0 8 * * *', 'Europe/London', '2026-10-23T12:00:00Z'],
      ['0 */6 * * *', 'America/New_York', '2026-03-07T12:00:00Z'],
      ['0 */6 * * *', 'America/New_York', '2026-10-31T12:00:00Z'],
      ['30 18 * * 1-5', 'America/New_York', '2026-03-05T12:00:00Z'],
      ['30 18 * * 1-5', 'Europe/London', '2026-10-22T12:00:00Z'],
    ];
    for (const [cron, zone, from] of cases) {
      expect(fires(cron, zone, from, 8), `${cron} ${zone}`).toEqual(nodeCronFires(cron, zone, from, 8));
    }
  });

  it('every 6 hours in America/New_York: 5 h across spring forward, 7 h across fall back', () => {
    expect(fires('0 */6 * * *', 'America/New_York', '2026-03-08T00:00:00Z', 5)).toEqual([
      '2026-03-08T05:00:00.000Z', // 00:00 EST
      '2026-03-08T10:00:00.000Z', // 06:00 EDT: 02:00 became 03:00
      '2026-03-08T16:00:00.000Z',
      '2026-03-08T22:00:00.000Z',
      '2026-03-09T04:00:00.000Z',
    ]);
    expect(fires('0 */6 * * *', 'America/New_York', '2026-11-01T00:00:00Z', 4)).toEqual([
      '2026-11-01T04:00:00.000Z', // 00:00 EDT
      '2026-11-01T11:00:00.000Z', // 06:00 EST: 02:00 EDT became 01:00 EST
      '2026-11-01T17:00:00.000Z',
      '2026-11-01T23:00:00.000Z',
    ]);
  });

  it('weekdays 18:30 skips the weekend, and the Monday after the change is at the new offset', () => {
    expect(fires('30 18 * * 1-5', 'America/New_York', '2026-03-06T12:00:00Z', 3)).toEqual([
      '2026-03-06T23:30:00.000Z', // Friday, EST
      '2026-03-09T22:30:00.000Z', // Monday, EDT
      '2026-03-10T22:30:00.000Z',
    ]);
    expect(fires('0 7 * * MON-FRI', 'Europe/London', '2026-03-27T12:00:00Z', 2)).toEqual([
      '2026-03-30T06:00:00.000Z', // Monday 07:00 BST
      '2026-03-31T06:00:00.000Z',
    ]);
  });

  it('a time in the spring-forward gap fires right after the gap, where node-cron would skip the day', () => {
    // 01:30 does not exist in London on 2026-03-29; 02:30 BST is the same instant as 01:30 GMT.
    expect(fires('30 1 * * *', 'Europe/London', '2026-03-28T12:00:00Z', 2)).toEqual([
      '2026-03-29T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
    expect(nodeCronFires('30 1 * * *', 'Europe/London', '2026-03-28T12:00:00Z', 1)).toEqual(['2026-03-30T00:30:00.000Z']);
    // 02:30 does not exist in New York on 2026-03-08: 03:30 EDT.
    expect(fires('30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', 2)).toEqual([
      '2026-03-08T07:30:00.000Z',
      '2026-03-09T06:30:00.000Z',
    ]);
  });

  it('a time that happens twice when the clocks go back fires once, at its first occurrence', () => {
    expect(fires('30 1 * * *', 'Europe/London', '2026-10-24T12:00:00Z', 2)).toEqual([
      '2026-10-25T00:30:00.000Z', // 01:30 BST; 01:30 GMT an hour later does not fire again
      '2026-10-26T01:30:00.000Z',
    ]);
    expect(fires('30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 2)).toEqual([
      '2026-11-01T05:30:00.000Z', // 01:30 EDT
      '2026-11-02T06:30:00.000Z',
    ]);
  });

  it('previous: a week down finds only the latest missed fire', () => {
    const daily = cronSchedule('0 8 * * *', 'Europe/London');
    const lastDelivered = new Date('2026-03-20T08:00:00Z');
    expect(daily.previous(new Date('2026-03-27T10:00:00Z'), lastDelivered)?.toISOString()).toBe('2026-03-27T08:00:00.000Z');
    // Before 08:00 the latest missed fire is yesterday's, across the DST change.
    expect(daily.previous(new Date('2026-03-30T06:59:00Z'), lastDelivered)?.toISOString()).toBe('2026-03-29T07:00:00.000Z');
    // Nothing after the last delivered one: nothing to catch up.
    expect(daily.previous(new Date('2026-03-20T12:00:00Z'), lastDelivered)).toBeNull();
    // A fire exactly now counts.
    expect(daily.previous(new Date('2026-03-21T08:00:00Z'), lastDelivered)?.toISOString()).toBe('2026-03-21T08:00:00.000Z');
    const sixHourly = cronSchedule('0 */6 * * *', 'America/New_York');
    expect(sixHourly.previous(new Date('2026-03-08T09:59:00Z'), new Date('2026-03-01T00:00:00Z'))?.toISOString()).toBe(
      '2026-03-08T05:00:00.000Z',
    );
  });

  it('six-field expressions fire on seconds', () => {
    expect(fires('*/20 * * * * *', 'UTC', '2026-01-01T00:00:05Z', 3)).toEqual([
      '2026-01-01T00:00:20.000Z',
      '2026-01-01T00:00:40.000Z',
      '2026-01-01T00:01:00.000Z',
    ]);
  });

  it('rejects what node-cron rejects, and unknown zones, with a coded error', () => {
    for (const [cron, zone] of [
      ['61 * * * *', 'UTC'],
      ['every day', 'UTC'],
      ['0 8 * * *', 'Mars/Olympus'],
    ] as const) {
      let caught: unknown;
      try {
        cronSchedule(cron, zone);
      } catch (error) {
        caught = error;
      }
      expect(isSitrepError(caught) && caught.code).toBe('digest.schedule');
    }
  });

  it('quiet windows hold a post until they end, also across midnight and DST', () => {
    const quiet = { from: '22:00', to: '07:00' };
    expect(quietUntil(new Date('2026-03-28T23:00:00Z'), quiet, 'Europe/London')?.toISOString()).toBe('2026-03-29T06:00:00.000Z');
    expect(quietUntil(new Date('2026-03-29T05:30:00Z'), quiet, 'Europe/London')?.toISOString()).toBe('2026-03-29T06:00:00.000Z');
    expect(quietUntil(new Date('2026-03-29T06:00:00Z'), quiet, 'Europe/London')).toBeNull();
    expect(quietUntil(new Date('2026-03-29T12:00:00Z'), { from: '12:00', to: '14:00' }, 'UTC')?.toISOString()).toBe('2026-03-29T14:00:00.000Z');
    expect(quietUntil(new Date('2026-03-29T12:00:00Z'), null, 'UTC')).toBeNull();
  });

  it('instantOf picks the earlier instant in an overlap and shifts forward in a gap', () => {
    const wall = { year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0 };
    expect(instantOf(wall, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(instantOf({ ...wall, month: 3, day: 8, hour: 2 }, 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(instantOf({ ...wall, month: 6, day: 1, hour: 12 }, 'Asia/Kolkata').toISOString()).toBe('2026-06-01T07:00:00.000Z');
  });
});
