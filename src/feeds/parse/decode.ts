/*
 * Bytes to text. Valid UTF-8 wins over any declared charset: servers and prologs lie far more
 * often than bytes that happen to form valid UTF-8, and declaring latin1 over UTF-8 garbles every
 * accented letter. Only bytes that are not UTF-8 consult the declarations.
 */

import { gunzipSync } from 'node:zlib';

const FALLBACK = 'windows-1252';
/** Cap on what a gzip body found inside a body may expand to (a zip bomb stops here). */
const MAX_GUNZIP_BYTES = 32 * 1024 * 1024;

/**
 * A body that is still gzip after transport decoding: a file saved compressed, or a server that
 * compresses twice. Returns the bytes unchanged when they are not gzip or do not inflate.
 */
export function gunzipIfCompressed(bytes: Uint8Array): Uint8Array {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_GUNZIP_BYTES });
  } catch {
    return bytes;
  }
}

/** UTF-32 by BOM or by the zero bytes around '<'; TextDecoder has no UTF-32, so it is read here. */
function utf32Order(bytes: Uint8Array): 'le' | 'be' | null {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0x00 && b1 === 0x00 && ((b2 === 0xfe && b3 === 0xff) || (b2 === 0x00 && b3 === 0x3c)))
    return 'be';
  if (b2 === 0x00 && b3 === 0x00 && ((b0 === 0xff && b1 === 0xfe) || (b0 === 0x3c && b1 === 0x00)))
    return 'le';
  return null;
}

function decodeUtf32(bytes: Uint8Array, order: 'le' | 'be'): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  for (let offset = 0; offset + 4 <= bytes.byteLength; offset += 4) {
    const code = view.getUint32(offset, order === 'le');
    parts.push(code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\ufffd');
  }
  return parts.join('');
}

/** The charset named by a Content-Type header, lower-cased, or null. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  const match = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase() ?? null;
}

/** The encoding named by an XML prolog at the start of the bytes, or null. */
export function encodingFromProlog(bytes: Uint8Array): string | null {
  // The prolog is ASCII in every encoding this reads, so latin1 is a safe way to look at it.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 512)).toString(
    'latin1',
  );
  const match = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head);
  return match?.[1]?.toLowerCase() ?? null;
}

function tryDecode(bytes: Uint8Array, label: string, fatal: boolean): string | null {
  try {
    return new TextDecoder(label, { fatal }).decode(bytes);
  } catch {
    // An unknown label (RangeError) or invalid bytes under `fatal`.
    return null;
  }
}

/** UTF-16 by BOM, or by the zero bytes of "<?" / "<r" written as UTF-16 without a BOM. */
function utf16Label(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0xff && b1 === 0xfe) return 'utf-16le';
  if (b0 === 0xfe && b1 === 0xff) return 'utf-16be';
  if (b0 === 0x3c && b1 === 0x00 && b2 !== 0x00 && b3 === 0x00) return 'utf-16le';
  if (b0 === 0x00 && b1 === 0x3c && b2 === 0x00 && b3 !== 0x00) return 'utf-16be';
  return null;
}

/** Labels that name UTF-16/32 in a declaration but cannot be right once the bytes are not. */
function usableLabel(label: string | null): string | null {
  if (!label) return null;
  if (/^(utf-?16|utf-?32|ucs-?2|ucs-?4)/i.test(label)) return null;
  return label;
}

/*
 * windows-1252 at 0x80-0x9F, by code point (0 = undefined there). Written out because Node's
 * TextDecoder('windows-1252') decodes as latin1 in some builds, which leaves C1 controls.
 */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
  0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0, 0x017e, 0x0178,
];
const C1_CONTROLS = /[\u0080-\u009f]/g;

/**
 * C1 control characters in decoded text are nearly always windows-1252 punctuation that went
 * through a latin1 step somewhere ("don\u0092t"); they are read as the characters they meant
 * (curly quotes, dashes, the euro sign) instead of being dropped as junk later.
 */
function demoronize(text: string): string {
  return text.replace(C1_CONTROLS, (char) => {
    const code = CP1252_HIGH[char.charCodeAt(0) - 0x80] ?? 0;
    return code === 0 ? char : String.fromCharCode(code);
  });
}

/**
 * Whether UTF-8 bytes encode a C1 control (U+0080-U+009F, bytes C2 80-C2 9F). Asked of the bytes
 * because memchr over them is far cheaper than a regex over the decoded text, and almost no valid
 * UTF-8 feed has any.
 */
export function utf8HasC1(bytes: Uint8Array): boolean {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = buffer.indexOf(0xc2); at >= 0 && at + 1 < buffer.length; at = buffer.indexOf(0xc2, at + 1)) {
    const next = buffer[at + 1] ?? 0;
    if (next >= 0x80 && next <= 0x9f) return true;
  }
  return false;
}

/** Decodes a feed body; never throws. The result has no BOM. */
export function decodeBody(body: string | Uint8Array, contentType?: string | null): string {
  if (typeof body !== 'string' && !utf32Order(body) && !utf16Label(body)) {
    // TextDecoder drops a UTF-8 BOM by itself. Valid UTF-8 is decoded once, here.
    const utf8 = tryDecode(body, 'utf-8', true);
    if (utf8 !== null) return utf8HasC1(body) ? demoronize(utf8) : utf8;
  }
  return demoronize(decodeBytes(body, contentType));
}

/** Bytes that are not valid UTF-8 (or UTF-16/32, or a string already). */
function decodeBytes(body: string | Uint8Array, contentType?: string | null): string {
  if (typeof body === 'string') return body.replace(/^\uFEFF/, '');
  const utf32 = utf32Order(body);
  if (utf32) return decodeUtf32(body, utf32).replace(/^\uFEFF/, '');
  const utf16 = utf16Label(body);
  if (utf16) return (tryDecode(body, utf16, false) ?? '').replace(/^\uFEFF/, '');
  for (const label of [
    usableLabel(charsetFromContentType(contentType)),
    usableLabel(encodingFromProlog(body)),
  ]) {
    if (!label) continue;
    // Declared UTF-8 with a few broken bytes: replace those bytes rather than garble the rest.
    if (/^utf-?8$/i.test(label)) return tryDecode(body, 'utf-8', false) ?? '';
    const text = tryDecode(body, label, false);
    if (text !== null) return text.replace(/^\uFEFF/, '');
  }
  // Not UTF-8 and nothing usable declared: windows-1252 maps every byte, so nothing is lost.
  return (tryDecode(body, FALLBACK, false) ?? '').replace(/^\uFEFF/, '');
}
