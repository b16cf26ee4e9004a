/*
 * xml2js (under rss-parser) gives a field as a string, an object with text in `_` and attributes
 * in `$`, or an array of those, depending on the markup. These helpers turn any of them into text
 * so that an odd feed never reaches normalization as "[object Object]".
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** All text inside a value, depth-first; attributes (`$`) are ignored. */
export function textOf(value: unknown, depth = 0): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (depth > 20) return '';
  if (Array.isArray(value)) return value.map((part) => textOf(part, depth + 1)).join(' ');
  if (isRecord(value)) {
    // Mixed content (`<div>Example <b>Atom</b></div>`) comes as `_` plus child keys; xml2js has
    // lost their order, but keeping every word beats keeping only the first run of text.
    const children = Object.entries(value)
      .filter(([key]) => key !== '$' && key !== '_')
      .map(([, part]) => textOf(part, depth + 1));
    return [typeof value._ === 'string' ? value._ : '', ...children].filter(Boolean).join(' ');
  }
  return '';
}

/** Text of a field or null when missing or blank. */
export function optionalText(value: unknown): string | null {
  const text = textOf(value).trim();
  return text.length > 0 ? text : null;
}

/** An attribute of the first element of an xml2js field, e.g. `href` of `<link href>`. */
export function attributeOf(value: unknown, name: string): string | null {
  const first = Array.isArray(value) ? (value[0] as unknown) : value;
  if (!isRecord(first) || !isRecord(first.$)) return null;
  const attr = first.$[name];
  return typeof attr === 'string' && attr.trim() ? attr.trim() : null;
}

export { isRecord };
