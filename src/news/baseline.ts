/** Lines of web copy that are page furniture, not story. */
const BOILERPLATE = [
  /^advertisement$/i,
  /^latest headlines/i,
  /^RELATED\b/,
  /^(?:read more|see also|share|share this|comments?|tweet|email|print|follow us|sign up|subscribe)\b.{0,40}$/i,
  /\|\s*license photo$/i,
  /^(?:photo|image|video|file photo)s?(?: by|:)\s/i,
  /(?:photo|image|picture) by [^.]{2,60}$/i,
  /^By\s+\p{Lu}[\p{L}.'’ -]{1,60}$/u,
  /^(?:copyright|©)/i,
];

// "BELEK, Turkey, Nov. 16 (UPI) -- ": where and from whom, not what happened.
const DATELINE = /^[\p{Lu}][\p{Lu}\p{L} .'’-]*(?:,\s*[\p{L}\p{N}. ]+){0,3}\s*\([\p{L} .]{2,30}\)\s*(?:--|—|–|-)\s*/u;

function isBoilerplate(line: string): boolean {
  return BOILERPLATE.some((pattern) => pattern.test(line));
}

/**
 * Cleans a raw web copy of a story: drops page furniture (ads, "Latest Headlines", RELATED links,
 * bylines, photo captions and their duplicates) and returns the headline and the body.
 */
export function cleanBaselineText(raw: string): { title: string; text: string } {
  const lines = raw
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  // A caption often appears twice, once with a "| License Photo" tail: drop both copies.
  const captions = new Set(
    lines.filter((line) => /\|\s*license photo$/i.test(line)).map((line) => line.replace(/\s*\|\s*license photo$/i, '')),
  );
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const line of lines) {
    if (isBoilerplate(line) || captions.has(line) || seen.has(line)) continue;
    seen.add(line);
    kept.push(line);
  }
  const [title = '', ...body] = kept;
  const text = body.map((line, index) => (index === 0 ? line.replace(DATELINE, '') : line)).join('\n\n');
  return { title, text };
}
