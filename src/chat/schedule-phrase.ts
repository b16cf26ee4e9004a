/**
 * What an admin types as a digest schedule, turned into a cron expression. Pure: no clock, no I/O.
 * Phrases: "daily 08:00", "weekdays 18:30", "weekends 10:00", "mondays 9am", "mon,thu 07:15",
 * "daily 08:00,18:00", "every 6 hours", "every 30 minutes", "hourly"; or a cron expression.
 * The digest scheduler (src/digest) may import it too.
 */
import { validate as validateCron } from 'node-cron';
import { UserInputError } from './errors.ts';

export interface ParsedSchedule {
  /** A 5-field cron expression (6 when the admin typed seconds). */
  cron: string;
  /** What was typed, tidied (one space, trimmed), to show back. */
  phrase: string;
}

const EXAMPLES = 'e.g. "daily 08:00", "weekdays 18:30", "every 6 hours", "mondays 09:00" or a cron expression like "0 8 * * *"';
/** Digests more often than this would flood a channel. */
const MIN_MINUTES = 15;

const DAYS: Record<string, number> = {
  sun: 0,
  sunday: 0,
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
};

function fail(phrase: string, why: string): never {
  throw new UserInputError('digest.schedule', `"${phrase.slice(0, 80)}": ${why} (${EXAMPLES}).`);
}

/** "08:00", "8:00", "8", "8am", "6.30pm", "noon", "midnight" -> [hour, minute]; null if not a time. */
export function parseClock(text: string): [number, number] | null {
  const word = text.toLowerCase();
  if (word === 'noon') return [12, 0];
  if (word === 'midnight') return [0, 0];
  const match = /^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?$/.exec(word);
  if (!match) return null;
  let hour = Number(match[1]);
  const minute = match[2] === undefined ? 0 : Number(match[2]);
  const half = match[3];
  if (half) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  } else if (match[2] === undefined && !/^\d{1,2}$/.test(word)) {
    return null;
  }
  if (hour > 23 || minute > 59) return null;
  return [hour, minute];
}

/** One or more times of day ("08:00,18:00" or "08:00 and 18:00") -> cron minute and hour fields. */
function timesOfDay(phrase: string, text: string): { minute: string; hour: string } {
  const parts = text
    .replace(/^at\s+/, '')
    .split(/\s*(?:,|\band\b|\s)\s*/)
    .filter(Boolean);
  // "9 am" arrives as two words: glue a lone am/pm back to its number.
  const joined: string[] = [];
  for (const part of parts) {
    if ((part === 'am' || part === 'pm') && joined.length > 0) joined[joined.length - 1] += part;
    else if (part !== 'at') joined.push(part);
  }
  if (joined.length === 0) fail(phrase, 'it needs a time of day');
  const clocks = joined.map((part) => parseClock(part) ?? fail(phrase, `"${part.slice(0, 20)}" is not a time of day`));
  const minutes = new Set(clocks.map(([, minute]) => minute));
  if (minutes.size > 1) fail(phrase, 'several times a day must share their minutes (08:00,18:00 works; 08:00,18:30 does not)');
  const hours = [...new Set(clocks.map(([hour]) => hour))].sort((a, b) => a - b);
  return { minute: String(clocks[0]?.[1] ?? 0), hour: hours.join(',') };
}

function dayList(phrase: string, text: string): string | null {
  if (/^(daily|every ?day|each day)$/.test(text)) return '*';
  if (/^(weekdays?|every weekday|mon(day)?-fri(day)?)$/.test(text)) return '1-5';
  if (/^(weekends?|every weekend)$/.test(text)) return '0,6';
  const words = text
    .replace(/^(weekly( on)?|every|on)\s+/, '')
    .split(/\s*(?:,|\band\b|\s)\s*/)
    .filter(Boolean);
  if (words.length === 0) return null;
  const days: number[] = [];
  for (const word of words) {
    const day = DAYS[word.replace(/s$/, '')] ?? DAYS[word];
    if (day === undefined) return null;
    if (!days.includes(day)) days.push(day);
  }
  if (days.length === 0) fail(phrase, 'it names no day');
  return days.sort((a, b) => a - b).join(',');
}

/** Only fixed minutes or a step of at least MIN_MINUTES: "* * * * *" would post every minute. */
function checkFrequency(phrase: string, fields: string[]): void {
  const [first, second] = fields;
  const minute = fields.length === 6 ? second : first;
  if (fields.length === 6 && !/^\d{1,2}$/.test(first ?? '')) fail(phrase, 'the seconds field must be one number');
  if (minute === undefined) fail(phrase, 'it has no minute field');
  const step = /^(?:\*|0)\/(\d+)$/.exec(minute);
  if (step) {
    if (Number(step[1]) < MIN_MINUTES) fail(phrase, `a digest can come at most every ${MIN_MINUTES} minutes`);
    return;
  }
  if (!/^\d{1,2}(,\d{1,2}){0,3}$/.test(minute)) {
    fail(phrase, `the minute field must be fixed minutes or a step of ${MIN_MINUTES} or more, so a digest comes at most every ${MIN_MINUTES} minutes`);
  }
}

/** Reads a schedule phrase or cron expression; throws UserInputError('digest.schedule') with an example. */
export function parseSchedule(input: string): ParsedSchedule {
  const phrase = input.replace(/\s+/g, ' ').trim();
  const text = phrase.toLowerCase();
  if (!text) fail(phrase, 'it is empty');
  if (text.length > 100) fail(phrase, 'it is longer than 100 characters');

  const fields = phrase.split(' ');
  if ((fields.length === 5 || fields.length === 6) && fields.every((field) => /^[\d*/,\-?A-Za-z]+$/.test(field)) && /[\d*]/.test(fields[0] ?? '')) {
    if (!validateCron(phrase)) fail(phrase, 'it is not a valid cron expression');
    checkFrequency(phrase, fields);
    return { cron: phrase, phrase };
  }

  if (/^(hourly|every hour)$/.test(text)) return { cron: '0 * * * *', phrase };
  const every = /^every (\d{1,3}) ?(hours?|hrs?|h|minutes?|mins?|m)$/.exec(text);
  if (every) {
    const count = Number(every[1]);
    const unit = every[2] ?? '';
    if (unit.startsWith('h')) {
      if (count === 24) return { cron: '0 0 * * *', phrase };
      if (count < 1 || count > 12) fail(phrase, 'use every 1 to 12 hours, or "daily 08:00"');
      return { cron: count === 1 ? '0 * * * *' : `0 */${count} * * *`, phrase };
    }
    if (count === 60) return { cron: '0 * * * *', phrase };
    if (![15, 20, 30].includes(count)) fail(phrase, 'minutes must be 15, 20, 30 or 60');
    return { cron: `*/${count} * * * *`, phrase };
  }

  // "<days> [at] <times>": the days are everything before the first word that starts with a digit
  // (or noon/midnight).
  const timeStart = text.search(/(?:^|\s)(?:at\s+)?(?:\d|noon|midnight)/);
  if (timeStart <= 0) fail(phrase, 'it needs days and a time of day');
  const days = dayList(phrase, text.slice(0, timeStart).trim());
  if (days === null) fail(phrase, `"${text.slice(0, timeStart).trim().slice(0, 30)}" is not "daily", "weekdays", "weekends" or day names`);
  const { minute, hour } = timesOfDay(phrase, text.slice(timeStart).trim());
  return { cron: `${minute} ${hour} * * ${days}`, phrase };
}

/** An IANA time zone as Intl knows it ("europe/london" -> "Europe/London"); throws UserInputError otherwise. */
export function parseTimeZone(input: string): string {
  const name = input.trim();
  const problem = (): never => {
    throw new UserInputError(
      'digest.timezone',
      `"${name.slice(0, 60)}" is not an IANA time zone name (e.g. "Europe/London", "America/New_York" or "UTC").`,
    );
  };
  if (!name || name.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) problem();
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return problem();
  }
}

/** Quiet hours "22:00-07:00" -> {from, to} as HH:MM; throws UserInputError otherwise. */
export function parseQuietHours(input: string): { from: string; to: string } {
  const parts = input.trim().toLowerCase().split(/\s*(?:-|–|to)\s*/);
  const clocks = parts.length === 2 ? parts.map((part) => parseClock(part)) : [];
  const [from, to] = clocks;
  if (!from || !to) {
    throw new UserInputError('digest.schedule', `quiet hours "${input.slice(0, 40)}" must be two times, e.g. "22:00-07:00".`);
  }
  const pad = ([hour, minute]: [number, number]): string => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  return { from: pad(from), to: pad(to) };
}
