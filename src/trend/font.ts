/**
 * A 3x5 bitmap font of upper-case letters, digits and a little punctuation: enough for chart
 * labels without shipping a font file or a text renderer. Each glyph is five rows of three pixels.
 */
const GLYPHS: Record<string, string> = {
  '0': '111 101 101 101 111',
  '1': '010 110 010 010 111',
  '2': '111 001 111 100 111',
  '3': '111 001 111 001 111',
  '4': '101 101 111 001 001',
  '5': '111 100 111 001 111',
  '6': '111 100 111 101 111',
  '7': '111 001 010 010 010',
  '8': '111 101 111 101 111',
  '9': '111 101 111 001 111',
  A: '010 101 111 101 101',
  B: '110 101 110 101 110',
  C: '011 100 100 100 011',
  D: '110 101 101 101 110',
  E: '111 100 110 100 111',
  F: '111 100 110 100 100',
  G: '011 100 101 101 011',
  H: '101 101 111 101 101',
  I: '111 010 010 010 111',
  J: '001 001 001 101 010',
  K: '101 101 110 101 101',
  L: '100 100 100 100 111',
  M: '101 111 111 101 101',
  N: '110 101 101 101 101',
  O: '010 101 101 101 010',
  P: '110 101 110 100 100',
  Q: '010 101 101 110 011',
  R: '110 101 110 101 101',
  S: '011 100 010 001 110',
  T: '111 010 010 010 010',
  U: '101 101 101 101 111',
  V: '101 101 101 101 010',
  W: '101 101 111 111 101',
  X: '101 101 010 101 101',
  Y: '101 101 010 010 010',
  Z: '111 001 010 100 111',
  ' ': '000 000 000 000 000',
  '-': '000 000 111 000 000',
  ':': '000 010 000 010 000',
  '/': '001 001 010 100 100',
  '.': '000 000 000 000 010',
  ',': '000 000 000 010 100',
  '(': '010 100 100 100 010',
  ')': '010 001 001 001 010',
  '?': '111 001 010 000 010',
};

export const GLYPH_WIDTH = 3;
export const GLYPH_HEIGHT = 5;

/** The pixels of a character (unknown characters draw as "?"), as rows of booleans. */
export function glyph(char: string): boolean[][] {
  const rows = GLYPHS[char.toUpperCase()] ?? GLYPHS['?'] ?? '';
  return rows.split(' ').map((row) => [...row].map((bit) => bit === '1'));
}

/** Width in pixels of a text drawn at `scale`, with one scaled pixel between characters. */
export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : text.length * (GLYPH_WIDTH + 1) * scale - scale;
}
