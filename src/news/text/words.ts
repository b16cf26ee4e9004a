import type { Token } from './nlp.ts';

/** Function words and newsroom filler that carry no topic. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a about above after again against all also am an and any are aren't as at be because been before
being below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over own
same she should so some such than that the their theirs them themselves then there these they this
those through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself 's ’s said says say told according added also would could may
might must shall one two new like well even still yet however since via per among across around
mr mrs ms dr just many much several including include includes us upon whether another within
without others it’s it's don't didn't can't won't n't`.split(/\s+/),
);

const CLITIC = /^(?:'s|’s|'|’|n't|'re|'ve|'ll|'d|'m)$/;

/** True for tokens that carry meaning: words and numbers that are not function words. */
export function isContentToken(token: Token): boolean {
  if (token.type === 'number') return true;
  if (token.type !== 'word') return false;
  if (CLITIC.test(token.normal) || STOPWORDS.has(token.normal)) return false;
  return /\p{L}/u.test(token.normal) && token.normal.length > 1;
}

/**
 * The comparison form of a token: its stem, with possessives stripped and dots removed, so
 * "U.S." is "us" and "Putin's" is "putin".
 */
export function termOf(token: Token): string {
  if (token.type === 'number') return token.normal.replace(/,/g, '');
  const base = token.normal.replace(/(?:'s|’s)$/, '').replace(/\./g, '');
  const stem = token.stem.replace(/(?:'s|’s)$/, '').replace(/\./g, '');
  return stem && base.startsWith(stem.slice(0, 2)) ? stem : base;
}

const TERMS_LIMIT = 200_000;
/** Term of each word form ("" for function words): a word's term never depends on its sentence. */
const wordTerms = new Map<string, string>();

export function contentTerms(tokens: readonly Token[]): string[] {
  const terms: string[] = [];
  for (const token of tokens) {
    if (token.type === 'number') {
      terms.push(token.normal.includes(',') ? token.normal.replace(/,/g, '') : token.normal);
      continue;
    }
    if (token.type !== 'word') continue;
    let term = wordTerms.get(token.normal);
    if (term === undefined) {
      term = isContentToken(token) ? termOf(token) : '';
      if (wordTerms.size >= TERMS_LIMIT) wordTerms.clear();
      wordTerms.set(token.normal, term);
    }
    if (term) terms.push(term);
  }
  return terms;
}

export function wordCount(text: string): number {
  const trimmed = text.trim();
  return trimmed ? trimmed.split(/\s+/).length : 0;
}

export function bigrams(terms: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < terms.length; i += 1) out.push(`${terms[i - 1]} ${terms[i]}`);
  return out;
}

/** Share of `a`'s distinct items found in `b` (0 when `a` is empty). */
export function containment(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0) return 0;
  let shared = 0;
  for (const item of a) if (b.has(item)) shared += 1;
  return shared / a.size;
}

export type Vector = Map<string, number>;

export function termFrequencies(terms: readonly string[], weight = 1, into: Vector = new Map()): Vector {
  for (const term of terms) into.set(term, (into.get(term) ?? 0) + weight);
  return into;
}

export function norm(vector: Vector): number {
  let sum = 0;
  for (const value of vector.values()) sum += value * value;
  return Math.sqrt(sum);
}

export function cosine(a: Vector, b: Vector, normA = norm(a), normB = norm(b)): number {
  if (normA === 0 || normB === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, value] of small) {
    const other = large.get(term);
    if (other !== undefined) dot += value * other;
  }
  return dot / (normA * normB);
}
