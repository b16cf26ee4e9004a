import { describe, expect, it } from 'vitest';
import { htmlToText, tidyText } from '../../src/feeds/parse/text.ts';

// The regex chain tidyText replaces; it must give the same text for any input.
// eslint-disable-next-line no-control-regex -- control characters are the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g;
function chain(text: string): string {
  return text
    .replace(CONTROL, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A small seeded generator, so a failure names a case that can be run again. */
function random(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
}

describe('tidyText', () => {
  it('gives the same text as the replace chain on hand-made cases', () => {
    for (const text of [
      '',
      'plain words, one space each',
      '  padded\n\n',
      'a\r\nb\rc\n\r\nd',
      'tab\there\u00a0and\u00a0\u00a0there',
      'a \n b\n\n\n\nc',
      'ctrl\u0001\u0085\ufffechars',
      '\u2003lead and trail\u2003',
      'a\u0001\nb',
      'one\n\ntwo\nthree',
    ])
      expect(tidyText(text), JSON.stringify(text)).toBe(chain(text));
  });

  it('gives the same text as the replace chain on random strings', () => {
    const atoms = ['w', 'word', ' ', '  ', '\n', '\r', '\r\n', '\t', '\u00a0', '\u0001', '\u0085', '\u2003', '\ufeff', '\f', '\u000b', '\ufffe'];
    const next = random(7);
    for (let run = 0; run < 20_000; run += 1) {
      let text = '';
      for (let length = 1 + next(12); length > 0; length -= 1) text += atoms[next(atoms.length)];
      expect(tidyText(text), JSON.stringify(text)).toBe(chain(text));
    }
  });
});

describe('htmlToText', () => {
  it('tidies plain text, simple HTML and converted HTML the same way', () => {
    expect(htmlToText('Plain\u00a0 text\r\n\r\n\r\nnext', { isText: true })).toBe('Plain text\n\nnext');
    expect(htmlToText('<p>One&nbsp; two</p><br><br><p>three</p>')).toBe('One two\n\nthree');
    expect(htmlToText('<ul><li>a</li><li>b</li></ul>')).toBe('- a\n- b');
  });
});
