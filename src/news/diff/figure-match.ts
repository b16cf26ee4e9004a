import type { Figure } from '../types.ts';
import { parseText } from '../text/nlp.ts';
import { isContentToken, termOf } from '../text/words.ts';

/** Words that name one measured concept, so "killed", "dead" and "toll" compare equal. */
const CONCEPTS: ReadonlyMap<string, string> = new Map([
  ...['kill', 'killed', 'killing', 'dead', 'die', 'died', 'death', 'toll', 'fatality', 'fatalities', 'murder', 'perish', 'life', 'lives', 'body', 'bodies', 'victim'].map((word): [string, string] => [word, 'DEATH']),
  ...['wound', 'wounded', 'injure', 'injured', 'injury', 'hurt', 'casualty', 'hospitalize'].map((word): [string, string] => [word, 'INJURY']),
  ...['flee', 'fled', 'refugee', 'displace', 'displaced', 'migrant', 'asylum', 'exodus'].map((word): [string, string] => [word, 'FLEE']),
  ...['arrest', 'detain', 'detained', 'custody', 'hold', 'held'].map((word): [string, string] => [word, 'DETAIN']),
  ...['strike', 'airstrike', 'bomb', 'bombing', 'raid', 'sortie'].map((word): [string, string] => [word, 'STRIKE']),
]);

/** Words that say nothing about what is counted. */
const GENERIC = new Set(['people', 'person', 'number', 'total', 'figure', 'count', 'tally', 'least', 'some', 'than', 'rise', 'reach', 'now']);

/** The comparable core of a figure's `what`: concept words plus context terms. */
export function figureTerms(figure: Figure): Set<string> {
  const terms = new Set<string>();
  for (const sentence of parseText(figure.what)) {
    for (const token of sentence.tokens) {
      if (!isContentToken(token) || token.type === 'number') continue;
      const concept = CONCEPTS.get(token.lemma) ?? CONCEPTS.get(token.normal);
      if (concept) {
        terms.add(concept);
        continue;
      }
      const term = termOf(token);
      if (!GENERIC.has(token.lemma) && !GENERIC.has(term)) terms.add(term);
    }
  }
  return terms;
}

function isPercent(figure: Figure): boolean {
  return /percent/i.test(figure.what);
}

/** How alike two figures' `what`s are (Dice over their terms), 0 when units differ. */
export function figureSimilarity(a: Figure, aTerms: ReadonlySet<string>, b: Figure, bTerms: ReadonlySet<string>): number {
  if (isPercent(a) !== isPercent(b)) return 0;
  if (aTerms.size === 0 || bTerms.size === 0) return 0;
  let shared = 0;
  for (const term of aTerms) if (bTerms.has(term)) shared += 1;
  return (2 * shared) / (aTerms.size + bTerms.size);
}

export const SAME_FIGURE = 0.5;
