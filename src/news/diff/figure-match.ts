import type { Figure } from '../types.ts';
import { GENERIC_COUNTED, unitOf } from '../text/figures.ts';
import { DEMONYMS } from '../text/gazetteer.ts';

/**
 * Whether two figures count the same thing, so that different values mean the figure changed.
 * Both must count the same kind of thing (or people in general), for the same event (killed,
 * fled, admitted...), about the same place or event; and unless they are described alike, the
 * newer one must read as an update ("rose to", "now", "toll"). When unsure the answer is no: a
 * wrong "129 -> 22" misleads more than a figure shown as new.
 */
export function sameFigure(a: Figure, b: Figure): boolean {
  if (!sameKind(a, b)) return false;
  const contextA = a.context ?? [];
  const contextB = b.context ?? [];
  if (contextA.length === 0 || contextB.length === 0) {
    // Without names on both sides only an explicit update or a same description will do.
    if (!(a.revision || b.revision)) return whatSimilarity(a, b) >= 0.75;
  }
  return Boolean(a.revision || b.revision) || whatSimilarity(a, b) >= 0.5;
}

/**
 * The same kind of count: the same unit (things, percent, a currency), the same event, and the
 * same counted thing (or people in general), about places that do not differ.
 */
function sameKind(a: Figure, b: Figure): boolean {
  const countedA = a.counted ?? '';
  const countedB = b.counted ?? '';
  if (unitOf(countedA) !== unitOf(countedB)) return false;
  if (!a.event || !b.event || a.event !== b.event) return false;
  const contextA = a.context ?? [];
  const contextB = b.context ?? [];
  const sharePlace = contextA.some((name) => contextB.includes(name));
  if (countedA !== countedB && !GENERIC_COUNTED.has(countedA) && !GENERIC_COUNTED.has(countedB)) {
    // A nationality counts people ("3 million Syrians" who fled, "4 million refugees" who fled):
    // it may be the same count as another kind of people, but only about a place both name.
    if (!(DEMONYMS.has(countedA) || DEMONYMS.has(countedB)) || !sharePlace) return false;
  }
  return !(contextA.length > 0 && contextB.length > 0 && !sharePlace);
}

/**
 * Whether `a` repeats the known figure `b` in other words ("in which 129 people died" for "the
 * attacks that killed at least 129"): the same value of the same kind of count. An equal number
 * of the same kind is strong evidence on its own, so no description match is needed.
 */
export function restatesFigure(a: Figure, b: Figure): boolean {
  return a.value === b.value && sameKind(a, b);
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
