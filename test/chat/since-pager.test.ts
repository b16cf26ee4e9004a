import { describe, expect, it } from 'vitest';
import { createPager, pageButtonId, parsePageButtonId } from '../../src/chat/pager.ts';
import { parseSince } from '../../src/chat/since.ts';

const NOW = new Date('2015-12-01T12:00:00Z');

describe('parseSince', () => {
  it.each([
    ['6h', '2015-12-01T06:00:00.000Z'],
    ['3d', '2015-11-28T12:00:00.000Z'],
    ['2 weeks', '2015-11-17T12:00:00.000Z'],
    ['90 minutes', '2015-12-01T10:30:00.000Z'],
    ['today', '2015-12-01T00:00:00.000Z'],
    ['yesterday', '2015-11-30T00:00:00.000Z'],
    ['2015-11-20', '2015-11-20T00:00:00.000Z'],
    ['2015-11-20T08:30:00Z', '2015-11-20T08:30:00.000Z'],
  ])('%s', (typed, iso) => {
    expect(parseSince(typed, NOW).toISOString()).toBe(iso);
  });

  it.each(['last tuesday', '2016-01-01', '0h', '999d', '2015-13-45'])('refuses %j with an example', (typed) => {
    expect(() => parseSince(typed, NOW)).toThrow('e.g. since:6h');
  });
});

describe('pager', () => {
  it('keeps pages for their owner until the TTL, and round-trips button ids', () => {
    let now = 0;
    const pager = createPager({ now: () => now, ttlMs: 1_000, max: 2 });
    const key = pager.save('u1', [{ text: 'a', blocks: [] }, { text: 'b', blocks: [] }]);
    expect(pager.get(key)?.userId).toBe('u1');
    expect(parsePageButtonId(pageButtonId(key, 1))).toEqual({ key, index: 1 });
    expect(parsePageButtonId('page:zz:1')).toBeNull();
    expect(parsePageButtonId(`${pageButtonId(key, 1)}:at`)).toBeNull();
    now = 1_000;
    expect(pager.get(key)).toBeUndefined();
  });

  it('drops the oldest answers beyond its capacity', () => {
    const pager = createPager({ now: () => 0, max: 2 });
    const first = pager.save('u', []);
    const second = pager.save('u', []);
    const third = pager.save('u', []);
    expect(pager.get(first)).toBeUndefined();
    expect(pager.get(second)).toBeDefined();
    expect(pager.get(third)).toBeDefined();
  });
});
