import type { Figure } from '../types.ts';
import { GENERIC_COUNTED } from '../text/figures.ts';

/**
 * Whether two figures count the same thing, so that different values mean the figure changed.
 * Both must count the same kind of thing (or people in general), for the same event (killed,
 * fled, admitted...), about the same place or event; and unless they are described alike, the
 * newer one must read as an update ("rose to", "now", "toll"). When unsure the answer is no: a
 * wrong "129 -> 22" misleads more than a figure shown as new.
 */
export function sameFigure(a: Figure, b: Figure): boolean {
  const countedA = a.counted ?? '';
  const countedB = b.counted ?? '';
  if ((countedA === 'percent') !== (countedB === 'percent')) return false;
  if (!a.event || !b.event || a.event !== b.event) return false;
  if (countedA !== countedB && !GENERIC_COUNTED.has(countedA) && !GENERIC_COUNTED.has(countedB)) return false;
  const contextA = a.context ?? [];
  const contextB = b.context ?? [];
  if (contextA.length > 0 && contextB.length > 0 && !contextA.some((name) => contextB.includes(name))) return false;
  if (contextA.length === 0 || contextB.length === 0) {
    // Without names on both sides only an explicit update or a same description will do.
    if (!(a.revision || b.revision)) return whatSimilarity(a, b) >= 0.75;
  }
  return Boolean(a.revision || b.revision) || whatSimilarity(a, b) >= 0.5;
}

function words(what: string): Set<string> {
  return new Set(
    what
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word.length > 2 && !['the', 'and', 'who', 'people', 'in', 'of'].includes(word))
      .map((word) => word.replace(/(?:ies|es|s)$/, '')),
  );
}

/** Dice overlap of the words of two descriptions. */
export function whatSimilarity(a: Figure, b: Figure): number {
  const x = words(a.what);
  const y = words(b.what);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const word of x) if (y.has(word)) shared += 1;
  return (2 * shared) / (x.size + y.size);
}
