import type { Entity, Figure } from '../types.ts';
import { distinctEntities, findMentions } from './entities.ts';
import { findFigures } from './figures.ts';
import { parseText } from './nlp.ts';

export interface TextAnalysis {
  sentences: string[];
  entities: Entity[];
  figures: Figure[];
}

/** Sentences, named entities and counted figures of a plain text. */
export function analyzeText(text: string): TextAnalysis {
  const sentences = parseText(text);
  return {
    sentences: sentences.map((sentence) => sentence.text),
    entities: distinctEntities(findMentions(sentences)),
    figures: findFigures(sentences),
  };
}
