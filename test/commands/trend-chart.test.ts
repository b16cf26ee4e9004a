import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { niceMaximum, renderTrendChart } from '../../src/trend/chart.ts';

describe('renderTrendChart', () => {
  const days = Array.from({ length: 14 }, (_, index) => ({
    date: `2015-11-${String(10 + index).padStart(2, '0')}`,
    items: (index * 7) % 23,
    stories: (index * 3) % 7,
  }));

  it('draws a decodable PNG of the asked size, the same bytes for the same days', () => {
    const png = renderTrendChart(days, { title: 'Syria: items and stories per day', width: 640, height: 320 });
    const decoded = PNG.sync.read(png);
    expect([decoded.width, decoded.height]).toEqual([640, 320]);
    expect(renderTrendChart(days, { title: 'Syria: items and stories per day', width: 640, height: 320 }).equals(png)).toBe(true);
    // Bars in the items colour are there.
    let itemPixels = 0;
    for (let at = 0; at < decoded.data.length; at += 4) {
      if (decoded.data[at] === 88 && decoded.data[at + 1] === 101 && decoded.data[at + 2] === 242) itemPixels += 1;
    }
    expect(itemPixels).toBeGreaterThan(1_000);
  });

  it('draws empty and single days without failing', () => {
    expect(PNG.sync.read(renderTrendChart([], { title: 'none' })).width).toBe(800);
    expect(PNG.sync.read(renderTrendChart([{ date: '2015-11-16', items: 0, stories: 0 }], { title: 'one' })).height).toBe(400);
  });

  it('rounds the axis up to a readable maximum', () => {
    expect(niceMaximum(0)).toBe(4);
    expect(niceMaximum(22)).toBe(32);
    expect(niceMaximum(130)).toBe(200);
    expect(niceMaximum(1_001)).toBe(1_200);
  });
});
