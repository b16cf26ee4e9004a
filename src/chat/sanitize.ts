/** Shared clean-up of untrusted text before any transport shows it. */

// C0/C1 controls except tab and newline: terminal escape sequences and invisible junk.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function stripControls(text: string): string {
  return text.replace(CONTROL, '');
}

/** Cuts at a word boundary and marks the cut with an ellipsis; never returns more than `max` chars. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, Math.max(0, max));
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/** One line of clean text: controls removed, whitespace collapsed, clipped. */
export function oneLineText(text: string, max: number): string {
  return clip(stripControls(text).replace(/\s+/g, ' ').trim(), max);
}

/** Only http(s) URLs are ever turned into links; anything else is dropped. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    return parsed.href.length <= 1_000 ? parsed.href : null;
  } catch {
    return null;
  }
}
