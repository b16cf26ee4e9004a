import { UserInputError } from './errors.ts';

const UNIT_MS: Record<string, number> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

const EXAMPLE = 'e.g. since:6h, since:3d, since:2w or since:2015-11-20';

/**
 * When a brief's window starts, from what the user typed: a duration back from `now` ("6h", "3d",
 * "2 weeks", "90 minutes"), "today", "yesterday", or a date ("2015-11-20", an ISO time). Pure.
 */
export function parseSince(typed: string, now: Date): Date {
  const text = typed.trim().toLowerCase();
  const fail = (why: string): never => {
    throw new UserInputError('since.invalid', `"${typed.slice(0, 40)}" ${why} (${EXAMPLE}).`);
  };
  if (!text) return fail('is empty');
  const startOfDay = (time: number): number => time - (((time % 86_400_000) + 86_400_000) % 86_400_000);
  if (text === 'today') return new Date(startOfDay(now.getTime()));
  if (text === 'yesterday') return new Date(startOfDay(now.getTime()) - 86_400_000);
  const duration = /^(\d{1,4})\s*(m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|w|wk|weeks?)$/.exec(text);
  if (duration) {
    const unit = (duration[2] ?? 'h').startsWith('min') || duration[2] === 'm' ? 'm' : (duration[2] ?? 'h').charAt(0);
    const ms = Number(duration[1]) * (UNIT_MS[unit] ?? UNIT_MS['h'] ?? 0);
    if (ms <= 0) return fail('must be more than zero');
    if (ms > 400 * 86_400_000) return fail('reaches back more than 400 days');
    return new Date(now.getTime() - ms);
  }
  if (/^\d{4}-\d{2}-\d{2}([t ][\d:.]+z?([+-]\d{2}:?\d{2})?)?$/.test(text)) {
    const time = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text.toUpperCase().replace(' ', 'T'));
    if (Number.isNaN(time)) return fail('is not a real date');
    if (time > now.getTime()) return fail('is in the future');
    return new Date(time);
  }
  return fail('is not a duration or a date');
}
