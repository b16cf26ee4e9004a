import { describe, expect, it } from 'vitest';
import { decodeBody, utf8HasC1 } from '../../src/feeds/parse/decode.ts';

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

describe('utf8HasC1', () => {
  it('finds a C1 control (C2 80-C2 9F) and nothing else', () => {
    expect(utf8HasC1(bytes(0x61, 0xc2, 0x92, 0x62))).toBe(true);
    expect(utf8HasC1(bytes(0xc2, 0x80))).toBe(true);
    expect(utf8HasC1(bytes(0xc2, 0x9f))).toBe(true);
    expect(utf8HasC1(bytes(0xc2, 0xa0, 0xc2, 0xa9))).toBe(false); // no-break space, copyright
    expect(utf8HasC1(bytes(0xe2, 0x80, 0x99))).toBe(false); // right single quote
    expect(utf8HasC1(bytes(0x61, 0xc2))).toBe(false);
    expect(utf8HasC1(bytes())).toBe(false);
    // A view into a larger buffer is read from its own offset.
    const whole = bytes(0xc2, 0x92, 0x61, 0x62);
    expect(utf8HasC1(whole.subarray(2))).toBe(false);
  });
});

describe('decodeBody', () => {
  it('reads C1 controls in valid UTF-8 as the windows-1252 punctuation they meant', () => {
    expect(decodeBody(new TextEncoder().encode('don\u0092t \u0096 caf\u00e9'))).toBe('don\u2019t \u2013 caf\u00e9');
  });

  it('decodes valid UTF-8 over a wrong declaration, and drops the BOM', () => {
    const body = new TextEncoder().encode('\ufeff<rss>caf\u00e9 \u2019</rss>');
    expect(decodeBody(body, 'text/xml; charset=iso-8859-1')).toBe('<rss>caf\u00e9 \u2019</rss>');
  });

  it('falls back to the declared charset for bytes that are not UTF-8', () => {
    expect(decodeBody(bytes(0x63, 0x61, 0x66, 0xe9, 0x92), 'text/xml; charset=windows-1252')).toBe('caf\u00e9\u2019');
  });
});
