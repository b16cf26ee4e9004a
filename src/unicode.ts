/** `String.prototype.isWellFormed` (Node 20+; not in TypeScript's ES2023 library). */
const nativeIsWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;
const SURROGATE = /[\ud800-\udfff]/;

/**
 * No lone surrogate: a UTF-8 round trip (a store, a socket) gives the string back unchanged. The
 * native check is far faster than a `\p{Cs}` search on long text.
 */
export function isWellFormed(text: string): boolean {
  if (nativeIsWellFormed) return nativeIsWellFormed.call(text);
  if (!SURROGATE.test(text)) return true;
  return Buffer.from(text, 'utf8').toString('utf8') === text;
}
