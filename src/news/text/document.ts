import type { Doc, Figure } from '../types.ts';
import { findMentions, normalizeName, type Mention } from './entities.ts';
import { findFigures } from './figures.ts';
import { parseText, type Sentence } from './nlp.ts';
import { bigrams, contentTerms } from './words.ts';

/** A sentence's terms as sets, the form novelty checks compare. */
export interface TermSets {
  unigrams: Set<string>;
  bigrams: Set<string>;
}

/** A Doc parsed once for the stages that compare documents. */
export interface ParsedDoc {
  doc: Doc;
  /** Body sentences (the title alone when the body is empty). */
  sentences: Sentence[];
  titleSentences: Sentence[];
  mentions: Mention[];
  /** Keys of the names in the title and the first body sentences, without the dateline's city. */
  leadKeys: string[];
  /** Key of the dateline's place ("paris" for "PARIS (GW) —"), or "" when the text has no dateline. */
  datelineKey: string;
  /**
   * The lead's names that the headline itself spells out: what the item is about, as opposed to
   * names it only mentions. Read from the headline's words, so a Title Case headline counts too.
   */
  titleKeys: string[];
  /** Read on first use: only the baseline diff needs figures. */
  readonly figures: Figure[];
  /** Content terms of each body sentence, aligned with `sentences`. */
  sentenceTerms: string[][];
  titleTerms: string[][];
  /** Unigram and bigram sets of each body sentence, built on first use. */
  readonly sentenceSets: TermSets[];
}

/** Body sentences whose names count as the lead's. */
export const LEAD_SENTENCES = 2;

// Headline case ("Russia Intensifies Strikes On Raqqa") capitalizes common words: no name cues.
function isHeadlineCase(sentences: readonly Sentence[]): boolean {
  let words = 0;
  let capitalized = 0;
  for (const sentence of sentences)
    for (const token of sentence.tokens)
      if (token.type === 'word' && token.text.length > 3) {
        words += 1;
        const first = token.text[0]!;
        if (first !== first.toLowerCase()) capitalized += 1;
      }
  return words >= 3 && capitalized / words > 0.6;
}

/**
 * "BRUSSELS (GW) — ", "ANTALYA, Turkey — ", "BEIJING, March 3 (AP) _ ": a wire dateline says where and from whom, not what
 * happened. It is cut from the text and its place kept as a place, written the usual way.
 */
const MONTH = String.raw`(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b`;
const DATELINE = new RegExp(
  String.raw`^([\p{Lu}][\p{Lu}\p{M}'’.-]*(?: [\p{Lu}][\p{Lu}\p{M}'’.-]*){0,3})((?:,\s*(?!${MONTH})[\p{L}.]+(?: [\p{L}.]+){0,2}){0,2})(?:,?\s*${MONTH})?\s*(?:\([^)\n]{1,40}\)\s*)?(?:--|—|–|-|_)\s+(?=\S)`,
  'u',
);

export function splitDateline(text: string): { place: string; rest: string } | undefined {
  const match = DATELINE.exec(text);
  if (!match || match[1]!.length < 3 || /\p{Ll}/u.test(match[1]!)) return undefined;
  const place = match[1]!.toLowerCase().replace(/(^|[\s-])(\p{L})/gu, (_, space: string, letter: string) => space + letter.toUpperCase());
  return { place: `${place}${match[2] ?? ''}`, rest: text.slice(match[0].length) };
}

const nonWord = /[^\p{L}\p{N}]+/gu;

/** The keys among `keys` whose words stand in the headline ("paris" in "Paris toll rises to 130"). */
function headlineKeys(title: string, keys: readonly string[]): string[] {
  if (keys.length === 0 || !title.trim()) return [];
  const words = ` ${title.toLowerCase().replace(nonWord, ' ')} `;
  return keys.filter((key) => words.includes(` ${key.replace(nonWord, ' ').trim()} `));
}

/** Bounded memo of parsed docs by id and text: the baseline and stored items are parsed once. */
const MEMO_LIMIT = 2000;
const memo = new Map<string, { title: string; text: string; parsed: Parsed }>();

export function parseDoc(doc: Doc): ParsedDoc {
  const cached = memo.get(doc.id);
  if (cached && cached.text === doc.text && cached.title === doc.title) {
    // Refresh its place in the LRU order.
    memo.delete(doc.id);
    memo.set(doc.id, cached);
    return cached.parsed.doc === doc ? cached.parsed : cached.parsed.withDoc(doc);
  }
  const parsed = parseUncached(doc);
  memo.set(doc.id, { title: doc.title, text: doc.text, parsed });
  if (memo.size > MEMO_LIMIT) memo.delete(memo.keys().next().value!);
  return parsed;
}

/** The parsed parts of a doc; figures and term sets wait until a stage asks for them. */
class Parsed implements ParsedDoc {
  private figuresCache: Figure[] | undefined;
  private setsCache: TermSets[] | undefined;

  constructor(
    readonly doc: Doc,
    readonly sentences: Sentence[],
    readonly titleSentences: Sentence[],
    readonly mentions: Mention[],
    readonly leadKeys: string[],
    readonly datelineKey: string,
    readonly titleKeys: string[],
    readonly sentenceTerms: string[][],
    readonly titleTerms: string[][],
    /** Sentences figures are read from: body first, as a figure's evidence reads better as a full sentence. */
    private readonly figureSource: Sentence[],
  ) {}

  get figures(): Figure[] {
    this.figuresCache ??= findFigures(this.figureSource);
    return this.figuresCache;
  }

  get sentenceSets(): TermSets[] {
    this.setsCache ??= this.sentenceTerms.map((terms) => ({ unigrams: new Set(terms), bigrams: new Set(bigrams(terms)) }));
    return this.setsCache;
  }

  /** The same parse for another Doc object with the same id and text; lazy parts are shared once computed. */
  withDoc(doc: Doc): Parsed {
    const copy = new Parsed(doc, this.sentences, this.titleSentences, this.mentions, this.leadKeys, this.datelineKey, this.titleKeys, this.sentenceTerms, this.titleTerms, this.figureSource);
    copy.figuresCache = this.figuresCache;
    copy.setsCache = this.setsCache;
    return copy;
  }
}

function parseUncached(doc: Doc): Parsed {
  const titleSentences = doc.title.trim() ? parseText(doc.title) : [];
  const dateline = splitDateline(doc.text.trim());
  const bodyText = dateline ? `${dateline.place}.\n${dateline.rest}` : doc.text;
  const parsedBody = bodyText.trim() ? parseText(bodyText) : [];
  // The dateline's own "sentence" gives its place as a name; it is not a sentence of the story.
  const body = dateline ? parsedBody.slice(1) : parsedBody;
  const sentences = body.length > 0 ? body : titleSentences;
  const titleInNames = sentences === titleSentences || !(body.length > 0 && isHeadlineCase(titleSentences));
  const nameSource = sentences === titleSentences ? titleSentences : titleInNames ? [...titleSentences, ...body] : body;
  const headlineOnly = sentences === titleSentences && isHeadlineCase(titleSentences);
  const titleWords = doc.title.trim().split(/\s+/).length;
  // In a Title Case headline with no body every word is capitalized: a "name" running over most
  // of the headline ("France Identifies Third Bataclan Attacker") is the headline, not a name.
  const found = findMentions(nameSource).filter(
    (mention) => !headlineOnly || mention.name.split(/\s+/).length <= Math.max(3, titleWords / 2),
  );
  // Names of the title and lead: what clustering compares, found in the same pass as the rest.
  const leadEnd = sentences === titleSentences ? nameSource.length : (titleInNames ? titleSentences.length : 0) + LEAD_SENTENCES;
  // People by family name: another outlet may write only "Abdeslam" for "Salah Abdeslam".
  const leadKeys = [...new Set(found.filter((mention) => mention.sentence < leadEnd).map((mention) => mention.surname ?? mention.key))];
  const city = dateline?.place.split(',')[0]?.trim() ?? '';
  const mentions = city && parsedBody.length > 0 ? [{ name: city, key: normalizeName(city), kind: 'place' as const, sentence: 0 }, ...found] : found;
  const figureSource = body.length > 0 ? [...body, ...titleSentences] : titleSentences;
  const sentenceTerms = sentences.map((sentence) => contentTerms(sentence.tokens));
  const titleTerms = sentences === titleSentences ? sentenceTerms : titleSentences.map((sentence) => contentTerms(sentence.tokens));
  const datelineKey = city && parsedBody.length > 0 ? normalizeName(city) : '';
  return new Parsed(doc, sentences, titleSentences, mentions, leadKeys, datelineKey, headlineKeys(doc.title, leadKeys), sentenceTerms, titleTerms, figureSource);
}
