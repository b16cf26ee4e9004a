import type { Doc, Figure } from '../types.ts';
import { findMentions, type Mention } from './entities.ts';
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

export function parseDoc(doc: Doc): ParsedDoc {
  const titleSentences = doc.title.trim() ? parseText(doc.title) : [];
  const body = doc.text.trim() ? parseText(doc.text) : [];
  const sentences = body.length > 0 ? body : titleSentences;
  const nameSource = body.length > 0 && isHeadlineCase(titleSentences) ? body : [...titleSentences, ...body];
  const mentions = findMentions(sentences === titleSentences ? titleSentences : nameSource);
  // Body first: a figure's evidence reads better as a full sentence than as a headline.
  const figures = findFigures(body.length > 0 ? [...body, ...titleSentences] : titleSentences);
  return { doc, sentences, titleSentences, mentions, figures, sentenceTerms: sentences.map((sentence) => contentTerms(sentence.tokens)) };
}
