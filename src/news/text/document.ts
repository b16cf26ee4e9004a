import type { Doc, Figure } from '../types.ts';
import { findMentions, normalizeName, type Mention } from './entities.ts';
import { findFigures } from './figures.ts';
import { parseText, type Sentence } from './nlp.ts';
import { contentTerms } from './words.ts';

/** A Doc parsed once for the stages that compare documents. */
export interface ParsedDoc {
  doc: Doc;
  /** Body sentences (the title alone when the body is empty). */
  sentences: Sentence[];
  titleSentences: Sentence[];
  mentions: Mention[];
  figures: Figure[];
  /** Content terms of each body sentence, aligned with `sentences`. */
  sentenceTerms: string[][];
}

// Headline case ("Russia Intensifies Strikes On Raqqa") capitalizes common words: no name cues.
function isHeadlineCase(sentences: readonly Sentence[]): boolean {
  let words = 0;
  let capitalized = 0;
  for (const sentence of sentences)
    for (const token of sentence.tokens)
      if (token.type === 'word' && token.text.length > 3) {
        words += 1;
        if (/^\p{Lu}/u.test(token.text)) capitalized += 1;
      }
  return words >= 3 && capitalized / words > 0.6;
}

/**
 * "BRUSSELS (GW) — ", "ANTALYA, Turkey — ": a wire dateline says where and from whom, not what
 * happened. It is cut from the text and its place kept as a place, written the usual way.
 */
const DATELINE = /^([\p{Lu}][\p{Lu}\p{M}'’.-]*(?: [\p{Lu}][\p{Lu}\p{M}'’.-]*){0,3})((?:,\s*[\p{L}.]+(?: [\p{L}.]+){0,2}){0,2})\s*(?:\([^)\n]{1,40}\)\s*)?(?:--|—|–|-)\s+(?=\S)/u;

export function splitDateline(text: string): { place: string; rest: string } | undefined {
  const match = DATELINE.exec(text);
  if (!match || match[1]!.length < 3 || /\p{Ll}/u.test(match[1]!)) return undefined;
  const place = match[1]!.toLowerCase().replace(/(^|[\s-])(\p{L})/gu, (_, space: string, letter: string) => space + letter.toUpperCase());
  return { place: `${place}${match[2] ?? ''}`, rest: text.slice(match[0].length) };
}

export function parseDoc(doc: Doc): ParsedDoc {
  const cached = memo.get(doc.id);
  if (cached && cached.doc.text === doc.text && cached.doc.title === doc.title) {
    // Refresh its place in the LRU order.
    memo.delete(doc.id);
    memo.set(doc.id, cached);
    return cached.parsed.doc === doc ? cached.parsed : { ...cached.parsed, doc };
  }
  const parsed = parseUncached(doc);
  memo.set(doc.id, { doc: { title: doc.title, text: doc.text }, parsed });
  if (memo.size > MEMO_LIMIT) memo.delete(memo.keys().next().value!);
  return parsed;
}

/** Bounded memo of parsed docs by id and text: the baseline and stored items are parsed once. */
const MEMO_LIMIT = 5000;
const memo = new Map<string, { doc: { title: string; text: string }; parsed: ParsedDoc }>();

function parseUncached(doc: Doc): ParsedDoc {
  const titleSentences = doc.title.trim() ? parseText(doc.title) : [];
  const dateline = splitDateline(doc.text.trim());
  const bodyText = dateline ? `${dateline.place}.\n${dateline.rest}` : doc.text;
  const parsedBody = bodyText.trim() ? parseText(bodyText) : [];
  // The dateline's own "sentence" gives its place as a name; it is not a sentence of the story.
  const body = dateline ? parsedBody.slice(1) : parsedBody;
  const datelineSentence = dateline ? parsedBody.slice(0, 1) : [];
  const sentences = body.length > 0 ? body : titleSentences;
  const nameSource = body.length > 0 && isHeadlineCase(titleSentences) ? body : [...titleSentences, ...body];
  const found = findMentions(sentences === titleSentences ? titleSentences : nameSource);
  const city = dateline?.place.split(',')[0]?.trim() ?? '';
  const mentions = city && datelineSentence.length ? [{ name: city, key: normalizeName(city), kind: 'place' as const, sentence: 0 }, ...found] : found;
  // Body first: a figure's evidence reads better as a full sentence than as a headline.
  const figures = findFigures(body.length > 0 ? [...body, ...titleSentences] : titleSentences);
  return { doc, sentences, titleSentences, mentions, figures, sentenceTerms: sentences.map((sentence) => contentTerms(sentence.tokens)) };
}
