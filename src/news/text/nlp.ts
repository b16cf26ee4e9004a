import winkNLP from 'wink-nlp';
import type { ItemSentence, ItemToken, ItsFunction, WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

/** One token of a sentence, with what the later stages need from wink-nlp. */
export interface Token {
  /** As written. */
  text: string;
  /** Lower-cased. */
  normal: string;
  lemma: string;
  stem: string;
  /** Universal POS tag, e.g. "PROPN", "NOUN", "VERB", "NUM", "PUNCT". */
  pos: string;
  /** wink token type: "word", "number", "ordinal", "punctuation", "url", ... */
  type: string;
  /** True when whitespace precedes the token (false inside "Saint-Denis" or "al-Assad"). */
  spaceBefore: boolean;
}

export interface Sentence {
  text: string;
  tokens: Token[];
}

let nlpInstance: WinkMethods | undefined;

// Loading the model takes ~100 ms; callers that never parse text should not pay for it.
function nlp(): WinkMethods {
  nlpInstance ??= winkNLP(model);
  return nlpInstance;
}

const CACHE_LIMIT = 2000;
const WORD_FORMS_LIMIT = 200_000;
const wordForms = new Map<string, { lemma: string; stem: string }>();
// The same text is parsed by several stages (diff, clustering, summary); a bounded memo keeps
// that cheap without changing results.
const cache = new Map<string, Sentence[]>();

function parseBlock(block: string, out: Sentence[]): void {
  const winkNlp = nlp();
  // wink's typings declare its helpers as methods (and stem/lemma with an extra addon
  // parameter); they are plain functions, so view them as such.
  const its = winkNlp.its as unknown as Record<'type' | 'pos' | 'precedingSpaces' | 'lemma' | 'stem', ItsFunction<string>>;
  const doc = winkNlp.readDoc(block);
  doc.sentences().each((sentence: ItemSentence) => {
    const tokens: Token[] = [];
    sentence.tokens().each((token: ItemToken) => {
      const type = String(token.out(its.type));
      if (type === 'tabCRLF' || type === 'space') return;
      const text = String(token.out());
      const normal = text.toLowerCase();
      const pos = String(token.out(its.pos));
      // Lemmas and stems cost most of a token's time and repeat across texts: look each up once.
      const key = `${normal}\u0000${pos}`;
      let forms = wordForms.get(key);
      if (!forms) {
        forms = { lemma: String(token.out(its.lemma)).toLowerCase(), stem: String(token.out(its.stem)).toLowerCase() };
        if (wordForms.size >= WORD_FORMS_LIMIT) wordForms.clear();
        wordForms.set(key, forms);
      }
      tokens.push({ text, normal, lemma: forms.lemma, stem: forms.stem, pos, type, spaceBefore: String(token.out(its.precedingSpaces)).length > 0 });
    });
    const text = String(sentence.out()).replace(/\s+/g, ' ').trim();
    if (text && tokens.length > 0) out.push({ text, tokens });
  });
}

/**
 * Splits text into sentences with tokens. Lines are parsed separately: in feed and web text a
 * line break ends a headline, caption or paragraph even without a full stop.
 */
export function parseText(text: string): Sentence[] {
  const cached = cache.get(text);
  if (cached) return cached;
  const sentences: Sentence[] = [];
  for (const line of text.split(/\r?\n/)) {
    const block = line.trim();
    if (block) parseBlock(block, sentences);
  }
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(text, sentences);
  return sentences;
}
