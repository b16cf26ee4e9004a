import { PNG } from 'pngjs';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyph, textWidth } from './font.ts';

/** One day of the chart: its date (YYYY-MM-DD) and its counts. */
export interface TrendDay {
  date: string;
  items: number;
  stories: number;
}

export interface TrendChartOptions {
  title: string;
  width?: number;
  height?: number;
}

type Rgb = readonly [number, number, number];

// Discord's dark theme, so the chart sits well in a message.
const BACKGROUND: Rgb = [43, 45, 49];
const GRID: Rgb = [63, 65, 71];
const AXIS: Rgb = [130, 133, 140];
const TEXT: Rgb = [219, 222, 225];
const ITEMS: Rgb = [88, 101, 242];
const STORIES: Rgb = [240, 160, 32];

class Canvas {
  readonly png: PNG;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.png = new PNG({ width, height });
    this.rect(0, 0, width, height, BACKGROUND);
  }

  pixel(x: number, y: number, [r, g, b]: Rgb): void {
    const px = Math.round(x);
    const py = Math.round(y);
    if (px < 0 || py < 0 || px >= this.width || py >= this.height) return;
    const at = (py * this.width + px) * 4;
    this.png.data[at] = r;
    this.png.data[at + 1] = g;
    this.png.data[at + 2] = b;
    this.png.data[at + 3] = 255;
  }

  rect(x: number, y: number, w: number, h: number, color: Rgb): void {
    for (let py = Math.round(y); py < Math.round(y + h); py += 1) {
      for (let px = Math.round(x); px < Math.round(x + w); px += 1) this.pixel(px, py, color);
    }
  }

  /** A line `thickness` pixels wide, by stepping along its longer axis. */
  line(x0: number, y0: number, x1: number, y1: number, color: Rgb, thickness = 1): void {
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    const half = Math.floor(thickness / 2);
    for (let step = 0; step <= steps; step += 1) {
      const x = x0 + ((x1 - x0) * step) / steps;
      const y = y0 + ((y1 - y0) * step) / steps;
      this.rect(x - half, y - half, thickness, thickness, color);
    }
  }

  text(x: number, y: number, text: string, color: Rgb, scale: number): void {
    let cursor = x;
    for (const char of text) {
      glyph(char).forEach((row, rowIndex) => {
        row.forEach((on, column) => {
          if (on) this.rect(cursor + column * scale, y + rowIndex * scale, scale, scale, color);
        });
      });
      cursor += (GLYPH_WIDTH + 1) * scale;
    }
  }
}

/** A round axis maximum (1, 2, 5 times a power of ten) at or above `value`, with 4 steps. */
export function niceMaximum(value: number): number {
  if (value <= 4) return 4;
  const rough = value / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 1.5, 2, 2.5, 3, 5, 7.5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power;
  return Math.ceil(step) * 4;
}

/**
 * A PNG chart of items (bars) and stories (a line with dots) per day. Pure: the same days always
 * give the same bytes.
 */
export function renderTrendChart(days: ReadonlyArray<TrendDay>, options: TrendChartOptions): Buffer {
  const width = options.width ?? 800;
  const height = options.height ?? 400;
  const canvas = new Canvas(width, height);
  const left = 56;
  const right = width - 16;
  const top = 56;
  const bottom = height - 44;
  const plotWidth = right - left;
  const plotHeight = bottom - top;

  const title = options.title.toUpperCase().replace(/[^A-Z0-9 \-:/.,()]/g, '').slice(0, Math.floor((width - 32) / 12));
  canvas.text(16, 16, title, TEXT, 3);

  // Legend, top right: a swatch and a word each.
  const legend: Array<[string, Rgb]> = [
    ['ITEMS', ITEMS],
    ['STORIES', STORIES],
  ];
  let legendX = right - legend.reduce((sum, [word]) => sum + textWidth(word, 2) + 28, 0);
  for (const [word, color] of legend) {
    canvas.rect(legendX, 40 - 10, 10, 10, color);
    canvas.text(legendX + 14, 40 - 10, word, TEXT, 2);
    legendX += textWidth(word, 2) + 28;
  }

  const maximum = niceMaximum(Math.max(0, ...days.map((day) => Math.max(day.items, day.stories))));
  const yOf = (value: number): number => bottom - (value / maximum) * plotHeight;
  for (let step = 0; step <= 4; step += 1) {
    const value = (maximum / 4) * step;
    const y = Math.round(yOf(value));
    canvas.line(left, y, right, y, step === 0 ? AXIS : GRID);
    const label = String(Math.round(value));
    canvas.text(left - 8 - textWidth(label, 2), y - GLYPH_HEIGHT, label, TEXT, 2);
  }
  canvas.line(left, top, left, bottom, AXIS);

  const count = Math.max(1, days.length);
  const slot = plotWidth / count;
  const barWidth = Math.max(1, Math.floor(slot * 0.6));
  const centers = days.map((_, index) => left + slot * index + slot / 2);
  days.forEach((day, index) => {
    const center = centers[index] ?? left;
    const y = yOf(day.items);
    if (day.items > 0) canvas.rect(center - barWidth / 2, y, barWidth, Math.max(1, bottom - y), ITEMS);
  });
  for (let index = 1; index < days.length; index += 1) {
    canvas.line(centers[index - 1] ?? left, yOf(days[index - 1]?.stories ?? 0), centers[index] ?? left, yOf(days[index]?.stories ?? 0), STORIES, 2);
  }
  days.forEach((day, index) => canvas.rect((centers[index] ?? left) - 3, yOf(day.stories) - 3, 6, 6, STORIES));

  // Date labels (MM-DD) as often as they fit side by side.
  const labelWidth = textWidth('00-00', 2) + 12;
  const every = Math.max(1, Math.ceil(labelWidth / slot));
  days.forEach((day, index) => {
    if (index % every !== 0 && index !== days.length - 1) return;
    if (index === days.length - 1 && index % every !== 0 && (index % every) * slot < labelWidth) return;
    const label = day.date.slice(5, 10);
    const center = centers[index] ?? left;
    canvas.line(center, bottom, center, bottom + 4, AXIS);
    canvas.text(center - textWidth(label, 2) / 2, bottom + 10, label, TEXT, 2);
  });
  return PNG.sync.write(canvas.png);
}
