import { createTask, validateDetailed } from 'node-cron';
import { DigestScheduleError } from './errors.ts';

/**
 * Schedule maths for digests: when a cron expression fires in an IANA time zone.
 *
 * node-cron decides what a cron expression means: `validateDetailed` checks it and `parse` lists
 * its hours, minutes and seconds, and a node-cron task's `match` (its TimeMatcher) decides whether
 * a local wall-clock time matches, with all of its syntax (names, steps, `L`, `W`, `#`). node-cron
 * 4.6.0 only computes next runs from the real "now" (`getNextRuns`), and has no previous run,
 * so the walk from an arbitrary instant is here: it runs over local calendar days and turns each
 * matching wall time into an instant with the zone's own offsets (Intl).
 *
 * DST: a wall time that does not exist (the spring-forward gap) fires at the instant right after
 * the gap (01:30 in London on the last Sunday of March fires at 02:30 BST), so a daily digest is
 * never skipped; node-cron's own runner skips it. A wall time that happens twice (fall back) fires
 * once, at its first occurrence.
 */
export interface CronSchedule {
  readonly cron: string;
  readonly timezone: string;
  /** The first fire strictly after `after`. */
  next(after: Date): Date | null;
  /** The last fire at or before `atOrBefore` and strictly after `notBefore`; null when none. */
  previous(atOrBefore: Date, notBefore: Date): Date | null;
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** A cron that can never fire (Feb 30th) must not walk forever: node-cron looks 100 years ahead, we look 8. */
const MAX_DAYS = 366 * 8;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timezone: string): Intl.DateTimeFormat {
  let found = formatters.get(timezone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, found);
  }
  return found;
}

/** The wall-clock time of an instant in a zone. */
export function wallTime(instant: Date, timezone: string): Wall {
  const parts: Record<string, number> = {};
  for (const part of formatter(timezone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts['year'] ?? 0,
    month: parts['month'] ?? 1,
    day: parts['day'] ?? 1,
    hour: (parts['hour'] ?? 0) % 24,
    minute: parts['minute'] ?? 0,
    second: parts['second'] ?? 0,
  };
}

function wallMs(wall: Wall): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/** How far a zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetMs(instant: number, timezone: string): number {
  return wallMs(wallTime(new Date(instant), timezone)) - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant of a wall-clock time in a zone: in a fall-back overlap the earlier one, in a
 * spring-forward gap the time shifted forward by the gap (as Temporal's "compatible" does).
 */
export function instantOf(wall: Wall, timezone: string): Date {
  const local = wallMs(wall);
  const offsets = new Set([offsetMs(local - DAY_MS / 2, timezone), offsetMs(local + DAY_MS / 2, timezone), offsetMs(local, timezone)]);
  const candidates = [...offsets].map((offset) => local - offset).sort((a, b) => a - b);
  const exact = candidates.find((candidate) => wallMs(wallTime(new Date(candidate), timezone)) === local);
  if (exact !== undefined) return new Date(exact);
  // In the gap: the offset before the change, so the result lands just after the gap.
  return new Date(candidates.at(-1) ?? local);
}

/** Checks an IANA zone name with the runtime's own zone data. */
export function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A schedule for a cron expression (5 or 6 fields) in a zone. Throws DigestScheduleError when
 * node-cron rejects the expression or the zone is unknown.
 */
export function cronSchedule(cron: string, timezone: string): CronSchedule {
  const checked = validateDetailed(cron);
  if (!checked.valid || !checked.fields) {
    const why = checked.errors.map((error) => `${error.field}: ${error.message}`).join('; ');
    throw new DigestScheduleError(`digest: "${cron}" is not a cron expression (${why || 'invalid'})`);
  }
  if (!isTimeZone(timezone)) throw new DigestScheduleError(`digest: "${timezone}" is not an IANA time zone`);
  const fields = checked.fields;
  // The task is only a matcher: it is never started, and destroying it takes it out of node-cron's
  // registry while its TimeMatcher stays usable. It matches in UTC because it is given wall times
  // written as UTC instants; the zone's offsets are applied here, once.
  const task = createTask(cron, () => undefined, { timezone: 'Etc/UTC', name: `digest-matcher:${cron}` });
  void task.destroy();
  const seconds = [...fields.second].sort((a, b) => a - b);
  const minutes = [...fields.minute].sort((a, b) => a - b);
  const hours = [...fields.hour].sort((a, b) => a - b);

  /** The fires of one local calendar day, in order. */
  const firesOn = (year: number, month: number, day: number): number[] => {
    // A day matches on month, day-of-month and weekday whatever the time: ask at its first listed time.
    const probe = { year, month, day, hour: hours[0] ?? 0, minute: minutes[0] ?? 0, second: seconds[0] ?? 0 };
    if (!task.match(new Date(wallMs(probe)))) return [];
    const dayStart = Date.UTC(year, month - 1, day);
    // Zones are at most 14 h from UTC: equal offsets around the day mean no change within it, and
    // every fire is plain arithmetic; only the two DST days a year need a lookup per time.
    const before = offsetMs(dayStart - DAY_MS, timezone);
    const steady = before === offsetMs(dayStart + 2 * DAY_MS, timezone);
    const out: number[] = [];
    for (const hour of hours) {
      for (const minute of minutes) {
        for (const second of seconds) {
          out.push(
            steady
              ? dayStart + ((hour * 60 + minute) * 60 + second) * 1000 - before
              : instantOf({ year, month, day, hour, minute, second }, timezone).getTime(),
          );
        }
      }
    }
    return [...new Set(out)].sort((a, b) => a - b);
  };
  const dayAfter = (wall: Wall, step: number): Wall => {
    const date = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + step));
    return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: 0, minute: 0, second: 0 };
  };

  return {
    cron,
    timezone,
    next(after) {
      const base = after.getTime();
      // Start a day early: a gap-shifted fire of the previous local day can land after `after`.
      let day = dayAfter(wallTime(after, timezone), -1);
      for (let i = 0; i < MAX_DAYS; i += 1) {
        const found = firesOn(day.year, day.month, day.day).find((instant) => instant > base);
        if (found !== undefined) return new Date(found);
        day = dayAfter(day, 1);
      }
      return null;
    },
    previous(atOrBefore, notBefore) {
      const top = atOrBefore.getTime();
      const bottom = notBefore.getTime();
      let day = dayAfter(wallTime(atOrBefore, timezone), 1);
      const lastDay = wallMs(dayAfter(wallTime(notBefore, timezone), -1));
      for (let i = 0; i < MAX_DAYS && wallMs(day) >= lastDay; i += 1) {
        const fires = firesOn(day.year, day.month, day.day).filter((instant) => instant <= top);
        const found = fires.at(-1);
        if (found !== undefined) return found > bottom ? new Date(found) : null;
        day = dayAfter(day, -1);
      }
      return null;
    },
  };
}

/** "22:00" -> minutes after midnight; null when malformed. */
function minutesOf(clock: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(clock.trim());
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  return hour < 24 && minute < 60 ? hour * 60 + minute : null;
}

/**
 * When a quiet window ("22:00"-"07:00" local) holds `now`, the instant it ends; null outside it.
 * The window includes its start and excludes its end; a window may wrap past midnight.
 */
export function quietUntil(now: Date, quiet: { from: string; to: string } | null, timezone: string): Date | null {
  if (!quiet) return null;
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === null || to === null || from === to) return null;
  const wall = wallTime(now, timezone);
  const current = wall.hour * 60 + wall.minute;
  const inside = from < to ? current >= from && current < to : current >= from || current < to;
  if (!inside) return null;
  const endDay = from < to || current < to ? 0 : 1;
  const date = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + endDay));
  return instantOf(
    { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: Math.floor(to / 60), minute: to % 60, second: 0 },
    timezone,
  );
}
