import { describe, expect, it } from 'vitest';
import { parseQuietHours, parseSchedule, parseTimeZone } from '../../src/chat/schedule-phrase.ts';

describe('parseSchedule', () => {
  it.each([
    ['daily 08:00', '0 8 * * *'],
    ['Daily at 8am', '0 8 * * *'],
    ['every day at noon', '0 12 * * *'],
    ['weekdays 18:30', '30 18 * * 1-5'],
    ['weekends 10:00', '0 10 * * 0,6'],
    ['mondays 9:00', '0 9 * * 1'],
    ['mon,thu 07:15', '15 7 * * 1,4'],
    ['fridays and mondays 6.30pm', '30 18 * * 1,5'],
    ['weekly on friday 17:00', '0 17 * * 5'],
    ['daily 08:00,18:00', '0 8,18 * * *'],
    ['every 6 hours', '0 */6 * * *'],
    ['every hour', '0 * * * *'],
    ['hourly', '0 * * * *'],
    ['every 30 minutes', '*/30 * * * *'],
    ['every 24 hours', '0 0 * * *'],
    ['0 8 * * *', '0 8 * * *'],
    ['*/15 * * * *', '*/15 * * * *'],
    ['0 0 8 * * 1-5', '0 0 8 * * 1-5'],
  ])('%s -> %s', (phrase, cron) => {
    expect(parseSchedule(phrase).cron).toBe(cron);
  });

  it.each([
    ['', 'it is empty'],
    ['daily', 'it needs days and a time of day'],
    ['tomorrow 08:00', '"tomorrow" is not "daily"'],
    ['daily 25:00', '"25:00" is not a time of day'],
    ['daily 08:00,18:30', 'must share their minutes'],
    ['every 7 minutes', 'minutes must be 15, 20, 30 or 60'],
    ['every 13 hours', 'use every 1 to 12 hours'],
    ['* * * * *', 'at most every 15 minutes'],
    ['*/5 * * * *', 'at most every 15 minutes'],
    ['0 25 * * *', 'not a valid cron expression'],
  ])('refuses %j: %s, with an example', (phrase, why) => {
    expect(() => parseSchedule(phrase)).toThrow(why);
    expect(() => parseSchedule(phrase)).toThrow('e.g. "daily 08:00"');
  });
});

describe('parseTimeZone and parseQuietHours', () => {
  it('canonicalizes IANA names and refuses others with an example', () => {
    expect(parseTimeZone('europe/london')).toBe('Europe/London');
    expect(parseTimeZone('UTC')).toBe('UTC');
    expect(() => parseTimeZone('Mars/Olympus')).toThrow('(e.g. "Europe/London"');
    expect(() => parseTimeZone('x'.repeat(100))).toThrow('not an IANA time zone');
  });

  it('reads quiet hours as HH:MM pairs', () => {
    expect(parseQuietHours('22:00-7am')).toEqual({ from: '22:00', to: '07:00' });
    expect(parseQuietHours('23:30 to 06:00')).toEqual({ from: '23:30', to: '06:00' });
    expect(() => parseQuietHours('late')).toThrow('e.g. "22:00-07:00"');
  });
});
