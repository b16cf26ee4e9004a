import type { Entity, EntityKind } from '../types.ts';
import { DEMONYMS, KEY_ALIASES, MONTHS_AND_DAYS, ORG_WORDS, PLACES, PLACE_PHRASES, TITLES } from './gazetteer.ts';
import type { Sentence, Token } from './nlp.ts';
import { STOPWORDS } from './words.ts';

/** One mention of a name in a sentence. */
export interface Mention extends Entity {
  sentence: number;
  /**
   * A person's family name ("abdeslam"), the part other texts are likely to use alone: two texts
   * name the same person when the full keys agree, or when one of them gives only this part.
   */
  surname?: string;
}

/** A token after hyphenated pieces are glued back ("Saint-Denis", "al-Assad"). */
interface Word {
  text: string;
  pos: string;
  possessive: boolean;
}

/** Lower-case particles that may sit inside a name: "Bashar al-Assad", "Stade de France". */
const CONNECTORS = new Set(['of', 'de', 'al', 'el', 'bin', 'ibn', 'van', 'von', 'la', 'le', 'du', 'der', 'da', 'di']);
const NAME_PARTICLES = new Set(['al', 'el', 'bin', 'ibn', 'van', 'von', 'da', 'di', 'le', 'la', 'du']);
const WELL_KNOWN_ORGS = new Set(['islamic state', 'united nations', 'european union', 'nato', 'white house', 'kremlin', 'pentagon', 'hezbollah', 'hamas', 'al-qaeda', 'al qaeda', 'taliban', 'al-nusra', 'nusra front']);
const NAME_CHARS = /^[\p{Lu}][\p{L}\p{M}\p{N}.'’-]*$/u;
const ACRONYM = /^[\p{Lu}][\p{Lu}.\d-]{1,6}$/u;

const POSSESSIVE_MARKS = new Set(["'s", '’s', "'", '’']);

function glueWords(tokens: readonly Token[]): Word[] {
  const words: Word[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    const previous = words[words.length - 1];
    if (POSSESSIVE_MARKS.has(token.normal) && previous && !token.spaceBefore) {
      previous.possessive = true;
      continue;
    }
    const next = tokens[i + 1];
    if (token.text === '-' && !token.spaceBefore && previous && next && !next.spaceBefore && next.type === 'word') {
      previous.text = `${previous.text}-${next.text}`;
      previous.pos = next.pos === 'PROPN' || previous.pos === 'PROPN' ? 'PROPN' : next.pos;
      i += 1;
      continue;
    }
    let text = token.text;
    let possessive = false;
    if ((text.endsWith("'s") || text.endsWith('’s')) && text.length > 2) {
      text = text.slice(0, -2);
      possessive = true;
    }
    words.push({ text, pos: token.type === 'word' ? token.pos : token.type === 'number' ? 'NUM' : 'PUNCT', possessive });
  }
  return words;
}

const DEPARTMENT_WORDS = new Set(['homeland', 'state', 'defense', 'defence', 'security', 'health', 'energy', 'treasury', 'commerce', 'labor', 'justice', 'agriculture', 'education', 'transportation', 'interior', 'veterans', 'affairs', 'housing', 'foreign', 'home', 'trade', 'finance', 'culture', 'and', 'human', 'services', 'urban', 'development']);
const DIRECTIONS = new Set(['north', 'south', 'east', 'west', 'northern', 'southern', 'eastern', 'western', 'central']);
/** Capitalized words that name nothing when they stand alone. */
const LONE_WORDS = new Set(['resolution', 'chapter', 'article', 'section', 'statement', 'bill', 'act', 'amendment', 'paragraph', 'administration', 'republican', 'republicans', 'democrat', 'democratic', 'conservative', 'liberal', 'socialist', 'gunmen', 'leaders', 'officials', 'authorities']);
const PLACE_STEMS = new Set([...PLACES].filter((place) => place.length >= 4).map((place) => place.slice(0, 4)));
const DEMONYM_ENDING = /(?:ians|ian|eans|ean|ans|an|ese|ish|is|i)$/;

/**
 * "Tunisian", "Malian", "Moroccan": a nationality adjective, known or formed from a known place.
 * What is left once the ending is cut must still spell the place ("tunisi" of Tunisia), so a
 * given name that merely starts like a country ("Francois", "Francesca") is not taken for one.
 */
export function isDemonym(text: string): boolean {
  const lower = text.toLowerCase();
  if (DEMONYMS.has(lower)) return true;
  if (!/^\p{Lu}\p{Ll}+$/u.test(text) || PLACES.has(lower) || !PLACE_STEMS.has(lower.slice(0, 4))) return false;
  const stem = lower.replace(DEMONYM_ENDING, '');
  if (stem.length < 4 || stem === lower) return false;
  for (const place of PLACES) if (place.startsWith(stem) || (stem.startsWith(place) && stem.length - place.length <= 2)) return true;
  return false;
}

/** Answers by word form: the same words recur in every text, and the patterns cost more than a lookup. */
const capitalizedCache = new Map<string, boolean>();

function isCapitalized(text: string): boolean {
  let known = capitalizedCache.get(text);
  if (known === undefined) {
    const bare = text.replace(/^(?:al|el|bin|ibn|ad|as|ash)-/, '');
    known = NAME_CHARS.test(bare) && /\p{L}/u.test(bare);
    if (capitalizedCache.size >= 100_000) capitalizedCache.clear();
    capitalizedCache.set(text, known);
  }
  return known;
}

/** The lower-cased comparison form: "U.S." -> "united states", "the Kremlin" -> "kremlin". */
export function normalizeName(name: string): string {
  const lower = name
    .toLowerCase()
    .replace(/[’']s$/, '')
    .replace(/^the\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const undotted = lower.replace(/\.$/, '');
  return KEY_ALIASES.get(undotted) ?? KEY_ALIASES.get(undotted.replace(/\./g, '')) ?? undotted;
}

function lastNameOf(words: readonly string[]): string {
  const last = (words[words.length - 1] ?? '').toLowerCase();
  return last.replace(/^(?:al|el)-/, '');
}

function kindOf(words: readonly string[], key: string, afterTitle: boolean): EntityKind {
  if (PLACES.has(key) || PLACE_PHRASES.has(key) || key === 'united states' || key === 'united kingdom') return 'place';
  const last = (words[words.length - 1] ?? '').toLowerCase();
  if (WELL_KNOWN_ORGS.has(key) || ORG_WORDS.has(last)) return 'organization';
  if (words.length === 1 && ACRONYM.test(words[0]!)) return 'organization';
  if (afterTitle) return 'person';
  const lowerWords = words.map((word) => word.toLowerCase());
  const looksLikeName =
    words.length >= 2 &&
    words.length <= 4 &&
    lowerWords.every((word) => !CONNECTORS.has(word) || NAME_PARTICLES.has(word)) &&
    lowerWords.every((word) => !PLACES.has(word) && !DEMONYMS.has(word) && !ORG_WORDS.has(word)) &&
    words.every((word) => !ACRONYM.test(word));
  return looksLikeName ? 'person' : 'other';
}

/** Capitalized words seen away from the start of a sentence: evidence that they are names. */
function namesSeenMidSentence(glued: readonly Word[][]): Set<string> {
  const seen = new Set<string>();
  for (const words of glued) {
    for (let i = 1; i < words.length; i += 1) {
      const word = words[i]!;
      const previous = words[i - 1]!;
      if (isCapitalized(word.text) && !/^["“‘'(—–-]+$/.test(previous.text)) seen.add(word.text);
    }
  }
  return seen;
}

/**
 * Finds the names in parsed sentences: runs of capitalized proper nouns, without titles, months
 * and days, and without capitalized common words that only open a sentence.
 */
export function findMentions(sentences: readonly Sentence[]): Mention[] {
  // Each sentence is glued once and read twice: for names seen mid-sentence, then for runs.
  const glued = sentences.map((sentence) => glueWords(sentence.tokens));
  const midSentence = namesSeenMidSentence(glued);
  const mentions: Mention[] = [];
  // A lone capitalized word opening a sentence may be a common word ("Officials") or a name
  // already given in full ("Salah" after "Salah Abdeslam"): kept only if a full name claims it.
  const openers = new Set<Mention>();

  glued.forEach((words, sentenceIndex) => {
    let run: Word[] = [];
    let runStart = -1;
    let afterTitle = false;

    const flush = (): void => {
      // Trailing connectors ("Bank of") are not part of the name.
      while (run.length > 0 && CONNECTORS.has(run[run.length - 1]!.text.toLowerCase())) run.pop();
      const firstIsOpening = runStart === 0 || (runStart > 0 && /^["“‘'(—–-]+$/.test(words[runStart - 1]!.text));
      let opener = false;
      if (run.length > 0 && firstIsOpening) {
        const first = run[0]!;
        const lower = first.text.toLowerCase();
        if (STOPWORDS.has(lower) || (first.pos !== 'PROPN' && run.length > 1)) run = run.slice(1);
        else if (run.length === 1 && !midSentence.has(first.text) && !PLACES.has(lower) && !KEY_ALIASES.has(lower.replace(/\./g, '')) && !ACRONYM.test(first.text)) opener = true;
      }
      // "Russian Su-24", "Belgian of Moroccan": nationality words describe; the rest may name. Before
      // an institution ("European Union", "Arab League", "Syrian Army") the word is part of its name.
      const institution = run.length > 1 && ORG_WORDS.has(run[run.length - 1]!.text.toLowerCase());
      while (run.length > 1 && isDemonym(run[0]!.text) && !institution) run = run.slice(1);
      if (run.length > 0 && run.every((word) => isDemonym(word.text) || CONNECTORS.has(word.text.toLowerCase()) || DIRECTIONS.has(word.text.toLowerCase()))) run = [];
      // "Belgian-born", "U.S.-backed", "French-drafted" describe; they do not name.
      if (run.length === 1 && /-(?:born|based|backed|led|owned|run|style|era|made|controlled|held|linked|allied|drafted|sponsored|funded|brokered|bound)$/i.test(run[0]!.text)) run = [];
      // A lone document word ("Resolution", "Chapter") or a gerund opening a clause ("Welcoming") names nothing.
      if (run.length === 1 && (LONE_WORDS.has(run[0]!.text.toLowerCase()) || (/ing$/.test(run[0]!.text) && run[0]!.pos !== 'PROPN' && firstIsOpening))) run = [];
      if (run.length > 0) {
        const parts = run.map((word) => word.text);
        const name = parts.join(' ');
        const key = normalizeName(name);
        const kind = kindOf(parts, key, afterTitle);
        const mention: Mention = kind === 'person' ? { name, key, kind, sentence: sentenceIndex, surname: lastNameOf(parts) } : { name, key, kind, sentence: sentenceIndex };
        mentions.push(mention);
        if (opener) openers.add(mention);
      }
      run = [];
      runStart = -1;
      afterTitle = false;
    };

    for (let i = 0; i < words.length; i += 1) {
      const word = words[i]!;
      const lower = word.text.toLowerCase();
      const next = words[i + 1];
      const capitalized = isCapitalized(word.text);
      const nextIsOrgWord = next !== undefined && isCapitalized(next.text) && ORG_WORDS.has(next.text.toLowerCase());

      if (capitalized && TITLES.has(lower) && !nextIsOrgWord && !(run.length > 0 && ORG_WORDS.has(lower))) {
        flush();
        afterTitle = true;
        // "Secretary of State John Kerry": the "of ..." belongs to the title.
        if (next?.text === 'of' && words[i + 2] && isCapitalized(words[i + 2]!.text)) {
          i += 2;
          // "Secretary of Homeland Security Jeh Johnson": the department's words belong to the title too.
          while (words[i + 1] && DEPARTMENT_WORDS.has(words[i + 1]!.text.toLowerCase()) && words[i + 2] && isCapitalized(words[i + 2]!.text)) i += 1;
        }
        continue;
      }
      if (capitalized && MONTHS_AND_DAYS.has(lower)) {
        flush();
        continue;
      }
      const properNoun =
        capitalized && word.pos !== 'PUNCT' && word.pos !== 'PRON' && word.pos !== 'DET' && word.pos !== 'AUX' &&
        word.pos !== 'ADP' && word.pos !== 'CCONJ' && word.pos !== 'SCONJ' &&
        (word.pos === 'PROPN' || word.pos === 'NOUN' || word.pos === 'ADJ' || word.pos === 'X' || word.pos === 'NUM' || word.pos === 'VERB');
      if (properNoun && !(STOPWORDS.has(lower) && run.length === 0 && i === 0)) {
        if (run.length === 0) runStart = i;
        run.push(word);
        if (word.possessive) flush();
        continue;
      }
      if (run.length > 0 && CONNECTORS.has(lower) && next && isCapitalized(next.text) && !TITLES.has(next.text.toLowerCase())) {
        run.push(word);
        continue;
      }
      flush();
    }
    flush();
  });

  return resolvePeople(mentions, openers);
}

function givenNameOf(name: string): string {
  const first = name.split(' ')[0] ?? '';
  return NAME_PARTICLES.has(first.toLowerCase()) ? '' : first.toLowerCase();
}

/**
 * A name given alone ("Abdeslam", "Salah", "President Hollande") is the person last named in full
 * with that family or given name, or, before any such name, the first one named after it. Two
 * people who share a family name (Salah and Ibrahim Abdeslam) stay two people. Sentence openers
 * that no full name claims are dropped.
 */
function resolvePeople(mentions: readonly Mention[], openers: ReadonlySet<Mention>): Mention[] {
  const fullNames = mentions.filter((mention) => mention.kind === 'person' && mention.name.includes(' '));
  if (fullNames.length === 0) return mentions.filter((mention) => !openers.has(mention));
  const position = new Map(mentions.map((mention, at) => [mention, at]));
  const resolved: Mention[] = [];
  mentions.forEach((mention, at) => {
    if (mention.name.includes(' ') || mention.kind === 'place' || mention.kind === 'organization') {
      if (!openers.has(mention)) resolved.push(mention);
      return;
    }
    const word = lastNameOf([mention.name]);
    const claims = (person: Mention): boolean => person.surname === word || givenNameOf(person.name) === word;
    let owner: Mention | undefined;
    for (const person of fullNames) {
      if (!claims(person)) continue;
      if (position.get(person)! < at) owner = person;
      else {
        owner ??= person;
        break;
      }
    }
    if (owner) resolved.push({ name: mention.name, key: owner.key, kind: 'person', sentence: mention.sentence, surname: owner.surname ?? word });
    else if (!openers.has(mention)) resolved.push(mention);
  });
  return resolved;
}

/** Distinct entities in order of first mention, each with its fullest name. */
export function distinctEntities(mentions: readonly Mention[]): Entity[] {
  const byKey = new Map<string, Entity>();
  for (const mention of mentions) {
    const known = byKey.get(mention.key);
    if (!known) {
      byKey.set(mention.key, { name: mention.name, key: mention.key, kind: mention.kind });
      continue;
    }
    if (mention.name.length > known.name.length) known.name = mention.name;
    if (known.kind === 'other' && mention.kind !== 'other') known.kind = mention.kind;
  }
  return [...byKey.values()];
}
