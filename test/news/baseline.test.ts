import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanBaselineText } from '../../src/news/index.ts';

describe('cleanBaselineText', () => {
  const raw = readFileSync(new URL('../../config/baseline/upi-2015-11-16-obama-cameron-putin.txt', import.meta.url), 'utf8');
  const { title, text } = cleanBaselineText(raw);

  it('takes the first real line as the title', () => {
    expect(title).toBe('Obama, Cameron urge Putin to focus Syria attacks on Islamic State');
  });

  it('drops page furniture, bylines, captions and the dateline', () => {
    for (const junk of ['Advertisement', 'Latest Headlines', 'RELATED', 'License Photo', 'By Andrew', 'Pool photo', '(UPI) --']) expect(text).not.toContain(junk);
    expect(text.startsWith('U.S. President Barack Obama and British Prime Minister David Cameron are urging')).toBe(true);
    expect(text).toContain('More than 3 million Syrians');
  });
});
