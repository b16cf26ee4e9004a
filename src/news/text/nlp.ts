import winkNLP from 'wink-nlp';
import type { ItsFunction, Tokens, WinkMethods } from 'wink-nlp';
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
// Only sentence breaking and POS tagging are used: negation, sentiment and wink's own
// entities (dates, numbers) would cost time and are not read by any stage.
function nlp(): WinkMethods {
  nlpInstance ??= winkNLP(model, ['sbd', 'pos']);
  return nlpInstance;
}

type ItsKey = 'type' | 'pos' | 'precedingSpaces' | 'lemma' | 'stem' | 'span';

// wink's typings declare its helpers as methods (and stem/lemma with an extra addon
// parameter); they are plain functions, so view them as such.
function itsOf(winkNlp: WinkMethods): Record<ItsKey, ItsFunction<unknown>> {
  return winkNlp.its as unknown as Record<ItsKey, ItsFunction<unknown>>;
}

const CACHE_LIMIT = 500;
const WORD_FORMS_LIMIT = 200_000;
/**
 * Lemma by word and POS, stem by word. Asking wink for either costs more than tagging the token,
 * and news repeats its vocabulary, so each form is computed once and looked up afterwards.
 */
const lemmas = new Map<string, Map<string, string>>();
let lemmaCount = 0;
const stems = new Map<string, string>();
// The same text is parsed by several stages (diff, clustering, summary); a bounded memo keeps
// that cheap without changing results.
const cache = new Map<string, Sentence[]>();

function remember(map: Map<string, string>, key: string, value: string): string {
  if (map.size >= WORD_FORMS_LIMIT) map.clear();
  map.set(key, value);
  return value;
}

function parseBlock(block: string, out: Sentence[]): void {
  const winkNlp = nlp();
  const its = itsOf(winkNlp);
  const doc = winkNlp.readDoc(block);
  const tokens: Tokens = doc.tokens();
  // Whole-document outputs are several times cheaper than asking token by token.
  const texts = tokens.out();
  const types = tokens.out(its.type) as string[];
  const tags = tokens.out(its.pos) as string[];
  const spaces = tokens.out(its.precedingSpaces) as string[];
  const spans = doc.sentences().out(its.span) as Array<[number, number]>;
  const sentenceTexts = doc.sentences().out();
  spans.forEach(([from, to], index) => {
    const sentenceTokens: Token[] = [];
    for (let i = from; i <= to; i += 1) {
      const type = types[i]!;
      if (type === 'tabCRLF' || type === 'space') continue;
      const text = texts[i]!;
      const normal = text.toLowerCase();
      const pos = tags[i]!;
      let byWord = lemmas.get(pos);
      if (!byWord) lemmas.set(pos, (byWord = new Map<string, string>()));
      let lemma = byWord.get(normal);
      if (lemma === undefined) {
        // One budget for all tags: a per-tag cap would let the table grow with the tag set.
        if (lemmaCount >= WORD_FORMS_LIMIT) {
          for (const map of lemmas.values()) map.clear();
          lemmaCount = 0;
        }
        lemma = String(tokens.itemAt(i).out(its.lemma)).toLowerCase();
        byWord.set(normal, lemma);
        lemmaCount += 1;
      }
      const stem = stems.get(normal) ?? remember(stems, normal, String(tokens.itemAt(i).out(its.stem)).toLowerCase());
      sentenceTokens.push({ text, normal, lemma, stem, pos, type, spaceBefore: spaces[i]!.length > 0 });
    }
    const text = (sentenceTexts[index] ?? '').replace(/\s+/g, ' ').trim();
    if (text && sentenceTokens.length > 0) out.push({ text, tokens: sentenceTokens });
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
