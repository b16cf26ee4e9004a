import type { Figure } from '../types.ts';
import { MONTHS, MONTHS_AND_DAYS } from './gazetteer.ts';
import type { Sentence, Token } from './nlp.ts';

type Qualifier = Figure['qualifier'];

const UNITS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60,
  seventy: 70, eighty: 80, ninety: 90,
};
const SCALES: Record<string, number> = { hundred: 100, thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12, bn: 1e9 };

/** Qualifiers read backwards from the number, longest first. */
const QUALIFIERS: Array<[string[], Qualifier]> = [
  [['no', 'more', 'than'], 'at most'], [['as', 'many', 'as'], 'at most'], [['upwards', 'of'], 'more than'],
  [['in', 'excess', 'of'], 'more than'], [['just', 'under'], 'nearly'], [['just', 'over'], 'more than'],
  [['an', 'estimated'], 'about'], [['at', 'least'], 'at least'], [['more', 'than'], 'more than'],
  [['over'], 'more than'], [['above'], 'more than'], [['nearly'], 'nearly'], [['almost'], 'nearly'],
  [['close', 'to'], 'nearly'], [['about'], 'about'], [['around'], 'about'], [['some'], 'about'],
  [['roughly'], 'about'], [['approximately'], 'about'], [['estimated'], 'about'], [['up', 'to'], 'at most'],
  [['at', 'most'], 'at most'], [['fewer', 'than'], 'at most'], [['less', 'than'], 'at most'],
  [['under'], 'at most'], [['exactly'], 'exact'],
];

/** Words before a number that make it a label, not a count ("Resolution 2249", "level 4"). */
const LABEL_WORDS = new Set(['no.', 'no', 'resolution', 'flight', 'article', 'chapter', 'page', 'section', 'route', 'room', 'gate', 'level', 'phase', 'vol.', 'case', 'paragraph', 'highway', 'channel', 'number', 'version', 'category', 'grade', 'platform', 'block', 'building']);
const TIME_WORDS = new Set(['a.m.', 'p.m.', 'am', 'pm', 'gmt', 'utc', "o'clock", 'est', 'edt', 'cet', 'bst', 'hrs', 'local']);
const RISE_VERBS = new Set(['rise', 'climb', 'increase', 'jump', 'reach', 'grow', 'soar', 'fall', 'drop', 'decline', 'stand', 'hit', 'edge', 'top', 'surpass', 'exceed', 'raise', 'revise', 'lower', 'put', 'mount', 'swell', 'double']);
const REPORTING_VERBS = new Set(['think', 'believe', 'say', 'report', 'estimate', 'fear', 'expect', 'know', 'confirm', 'feel', 'understand', 'presume', 'suspect']);
/** Verbs that introduce what someone said; the number belongs to the reported clause. */
const SPEECH_VERBS = new Set(['say', 'tell', 'announce', 'add', 'state', 'claim', 'warn', 'note', 'insist', 'show', 'find', 'suggest', 'indicate', 'reveal']);
const NOUNISH = new Set(['NOUN', 'PROPN', 'ADJ']);

interface NumberSpan {
  start: number;
  /** Index after the last token of the number (and its scale, range and unit). */
  end: number;
  value: number;
  /** Upper bound for ranges. */
  max?: number;
  percent: boolean;
  /** Currency code for money ("usd", "eur", "gbp"), from a symbol before or a word after the number. */
  currency?: string;
  fromWords: boolean;
}

/** Currency symbols (wink's "currency" tokens) and words, by the code a figure is counted in. */
const CURRENCY_SYMBOLS: Record<string, string> = { '$': 'usd', 'us$': 'usd', '€': 'eur', '£': 'gbp', '¥': 'jpy', '₹': 'inr' };
const CURRENCY_WORDS: Record<string, string> = {
  dollar: 'usd', dollars: 'usd', euro: 'eur', euros: 'eur', pound: 'gbp', pounds: 'gbp', yen: 'jpy', yuan: 'cny',
  rupee: 'inr', rupees: 'inr', francs: 'chf', rubles: 'rub', roubles: 'rub', riyals: 'sar', lira: 'try',
};
const CURRENCY_NAMES: Record<string, string> = { usd: 'dollars', eur: 'euros', gbp: 'pounds', jpy: 'yen', cny: 'yuan', inr: 'rupees', chf: 'francs', rub: 'rubles', sar: 'riyals', try: 'lira' };
/** Units a figure can be counted in besides things: comparing a percentage or a sum of money with a head count is meaningless. */
export function unitOf(counted: string | undefined): string {
  return counted === 'percent' || (counted !== undefined && Object.hasOwn(CURRENCY_NAMES, counted)) ? counted : '';
}
/** The last word of a street name: "48 Rue de la Republique", "10 Downing Street". */
const STREET_WORDS = new Set(['street', 'st.', 'avenue', 'ave.', 'road', 'rd.', 'boulevard', 'blvd', 'blvd.', 'rue', 'lane', 'place', 'square', 'drive', 'terrace', 'quai', 'via', 'calle', 'strasse', 'way', 'court', 'plaza']);

/** The value of a lower-cased number word ("seven", "forty-seven"), if it is one. */
function wordValue(lower: string): number | undefined {
  if (Object.hasOwn(UNITS, lower)) return UNITS[lower];
  // Most words are not numbers: only "forty-seven"-like compounds need the split below.
  if (!lower.includes('-')) return undefined;
  const parts = lower.split('-');
  if (parts.length === 2 && parts[0]! in UNITS && parts[1]! in UNITS) return UNITS[parts[0]!]! + UNITS[parts[1]!]!;
  return undefined;
}

/** A bare number (digits or words) with any scale words after it: "3 million", "three hundred". */
function readNumber(tokens: readonly Token[], i: number): { value: number; end: number; fromWords: boolean; raw: string } | undefined {
  const token = tokens[i];
  if (!token) return undefined;
  let value: number | undefined;
  let fromWords = false;
  if (token.type === 'number') {
    if (!/^\d[\d,]*(?:\.\d+)?$/.test(token.text)) return undefined;
    value = Number(token.text.replace(/,/g, ''));
  } else if (token.type === 'word') {
    value = wordValue(token.normal);
    fromWords = true;
    if (value === undefined && token.normal === 'dozen' && tokens[i - 1]?.normal === 'a') value = 12;
  }
  if (value === undefined || !Number.isFinite(value)) return undefined;
  let end = i + 1;
  // "forty-seven" arrives as three tokens.
  if (fromWords && value >= 20 && value % 10 === 0 && tokens[end]?.text === '-' && !tokens[end]!.spaceBefore) {
    const unit = wordValue(tokens[end + 1]?.normal ?? '');
    if (unit !== undefined && unit < 10) {
      value += unit;
      end += 2;
    }
  }
  while (end < tokens.length) {
    const scale = SCALES[tokens[end]!.normal];
    if (scale === undefined) break;
    value *= scale;
    end += 1;
  }
  return { value, end, fromWords, raw: token.text };
}

function isYear(raw: string, value: number): boolean {
  return /^\d{4}$/.test(raw) && value >= 1800 && value <= 2100;
}

function readSpan(tokens: readonly Token[], i: number): NumberSpan | undefined {
  const first = readNumber(tokens, i);
  if (!first) return undefined;
  let { end } = first;
  let max: number | undefined;
  const joiner = tokens[end];
  const opener = tokens[i - 1]?.normal;
  if (joiner && (joiner.normal === 'to' || joiner.text === '-' || joiner.text === '–' || (joiner.normal === 'and' && opener === 'between'))) {
    const second = readNumber(tokens, end + 1);
    if (second && second.fromWords === first.fromWords) {
      max = second.value;
      // "2 to 3 million": the scale of the upper bound applies to the lower one too.
      if (first.end === i + 1 && second.end > end + 2 && first.value < second.value / 100) {
        const scale = second.value / Number(second.raw.replace(/,/g, '') || 1) || 1;
        if (Number.isFinite(scale)) first.value *= scale;
      }
      end = second.end;
    }
  }
  let percent = false;
  let currency: string | undefined;
  const symbol = tokens[i - 1];
  if (symbol?.type === 'currency') currency = CURRENCY_SYMBOLS[symbol.normal];
  const unit = tokens[end];
  // "1,000 pounds of explosives" weighs; "1,000 pounds" alone is money.
  if (!currency && unit && Object.hasOwn(CURRENCY_WORDS, unit.normal) && !(unit.normal.startsWith('pound') && tokens[end + 1]?.normal === 'of')) {
    currency = CURRENCY_WORDS[unit.normal];
    end += 1;
  }
  if (unit && (unit.normal === 'percent' || unit.text === '%' || unit.normal === 'pct')) {
    percent = true;
    end += 1;
  } else if (unit?.normal === 'per' && tokens[end + 1]?.normal === 'cent') {
    percent = true;
    end += 2;
  }
  return { start: i, end, value: first.value, ...(max !== undefined && max > first.value ? { max } : {}), percent, ...(currency ? { currency } : {}), fromWords: first.fromWords };
}

function isCapitalizedWord(token: Token | undefined): boolean {
  return token !== undefined && token.type === 'word' && /^\p{Lu}/u.test(token.text);
}

/** Dates, times, years, ages and labels are numbers that count nothing. */
function countsNothing(tokens: readonly Token[], span: NumberSpan): boolean {
  const first = tokens[span.start]!;
  const before = tokens[span.start - 1];
  const after = tokens[span.end];
  if (/[:/]/.test(first.text)) return true;
  if (before && MONTHS.has(before.normal)) return true;
  if (after && MONTHS.has(after.normal)) return true;
  if (after && (TIME_WORDS.has(after.normal) || after.normal === 'th')) return true;
  if (!span.max && isYear(first.text, span.value) && !(after && after.pos === 'NOUN' && !MONTHS_AND_DAYS.has(after.normal))) return true;
  if (before && LABEL_WORDS.has(before.normal)) return true;
  if (before && isCapitalizedWord(before) && span.start - 1 > 0 && !findQualifier(tokens, span.start)) return true;
  if (before && (before.normal === 'aged' || before.normal === 'age')) return true;
  // "48 Rue de la Republique", "10 Downing Street": a house number before a capitalized street name.
  for (let k = span.end; k < span.end + 3 && isCapitalizedWord(tokens[k]); k += 1) if (STREET_WORDS.has(tokens[k]!.normal)) return true;
  const afterText = tokens.slice(span.end, span.end + 2).map((token) => token.normal).join(' ');
  if (/^(?:years?|yrs?) old/.test(afterText) || /^-?year-old/.test(afterText) || /^- year/.test(afterText)) return true;
  // "Salah Abdeslam, 26, ..." is an age.
  if (before?.text === ',' && after?.text === ',' && span.end === span.start + 1 && tokens[span.start - 2]?.pos === 'PROPN' && span.value < 120) return true;
  // "one" and "a dozen" alone are usually not counts worth tracking.
  if (span.fromWords && span.value === 1) return true;
  return false;
}

function findQualifier(tokens: readonly Token[], start: number): { qualifier: Qualifier; start: number } | undefined {
  for (const [words, qualifier] of QUALIFIERS) {
    const from = start - words.length;
    if (from < 0) continue;
    if (!words.every((word, k) => tokens[from + k]!.normal === word)) continue;
    // "revised the toll up to 130", "brings the total up to 30": "up" goes with the verb, and 130 is the new value.
    const previous = tokens[from - 1];
    if (words[0] === 'up' && previous && (previous.pos === 'NOUN' || previous.pos === 'PROPN' || (previous.pos === 'VERB' && RISE_VERBS.has(previous.lemma)))) continue;
    return { qualifier, start: from };
  }
  return undefined;
}

function phrase(tokens: readonly Token[]): string {
  let text = '';
  for (const token of tokens) text += (text && token.spaceBefore ? ' ' : '') + token.text;
  return text.trim();
}

/** Trims determiners, prepositions, dates and numbers from the ends of a phrase. */
function tidy(tokens: Token[]): Token[] {
  const kept = tokens.filter((token) => !MONTHS_AND_DAYS.has(token.normal) && token.type !== 'number');
  const droppable = (token: Token): boolean =>
    ['DET', 'ADP', 'CCONJ', 'SCONJ', 'PART', 'PUNCT', 'PRON', 'AUX', 'NUM', 'ADV'].includes(token.pos) || token.type !== 'word';
  let from = 0;
  let to = kept.length;
  while (from < to && droppable(kept[from]!)) from += 1;
  while (to > from && droppable(kept[to - 1]!)) to -= 1;
  return kept.slice(from, to);
}

/** The noun phrase that follows a number: "people", "US military advisers", "percent of the ground". */
function countedAfter(tokens: readonly Token[], span: NumberSpan): { words: Token[]; end: number } {
  let i = span.end;
  const words: Token[] = [];
  if (span.percent && tokens[i]?.normal === 'of') {
    const ofStart = i;
    i += 1;
    while (i < tokens.length && (NOUNISH.has(tokens[i]!.pos) || tokens[i]!.pos === 'DET') && i - ofStart < 5) i += 1;
    return { words: tidy(tokens.slice(ofStart, i)).length ? [...tokens.slice(ofStart, i)] : [], end: i };
  }
  while (i < tokens.length && words.length < 5) {
    const token = tokens[i]!;
    // "heads of state": one "of" may join two nouns.
    // "Syrian and Iraqi refugees": "and" between two modifiers.
    if (token.normal === 'and' && words.length > 0 && words[words.length - 1]!.pos === 'ADJ' && NOUNISH.has(tokens[i + 1]?.pos ?? '')) {
      words.push(token);
      i += 1;
      continue;
    }
    const joinsNouns = token.normal === 'of' && words.length > 0 && !words.some((word) => word.normal === 'of') && NOUNISH.has(tokens[i + 1]?.pos ?? '') && tokens[i + 1]?.type === 'word';
    if (!joinsNouns && (token.type !== 'word' || !NOUNISH.has(token.pos) || MONTHS_AND_DAYS.has(token.normal))) break;
    words.push(token);
    i += 1;
  }
  return { words, end: i };
}

/** The verb a counted noun goes with: "were killed", "are thought to have fled", "have reached". */
function verbAfter(tokens: readonly Token[], from: number): { verb: Token; end: number } | undefined {
  let i = from;
  let verb: Token | undefined;
  let end = from;
  for (let steps = 0; i < tokens.length && steps < 7; i += 1, steps += 1) {
    const token = tokens[i]!;
    if (token.pos === 'VERB' && !['have', 'be', 'get'].includes(token.lemma)) {
      verb = token;
      end = i + 1;
      if (!REPORTING_VERBS.has(token.lemma) || tokens[i + 1]?.normal !== 'to') break;
      continue;
    }
    if (token.pos === 'AUX' || token.pos === 'ADV' || token.pos === 'PART' || (token.pos === 'VERB' && ['have', 'be', 'get'].includes(token.lemma))) continue;
    break;
  }
  return verb ? { verb, end } : undefined;
}

/** A short object or prepositional phrase after a verb: "to Turkey", "in the Paris attacks", "Europe". */
function complementAfter(tokens: readonly Token[], from: number): Token[] {
  let i = from;
  const out: Token[] = [];
  if (tokens[i]?.pos === 'ADP') {
    out.push(tokens[i]!);
    i += 1;
  }
  let nouns = 0;
  while (i < tokens.length && nouns < 4) {
    const token = tokens[i]!;
    if (token.pos === 'DET' && nouns === 0) {
      out.push(token);
      i += 1;
      continue;
    }
    if (token.type !== 'word' || !NOUNISH.has(token.pos) || MONTHS_AND_DAYS.has(token.normal)) break;
    out.push(token);
    nouns += 1;
    i += 1;
  }
  return nouns > 0 ? out : [];
}

/** Event words, by lemma, grouped into the thing they measure: "killed", "dead" and "toll" are one. */
const EVENT_CONCEPTS: ReadonlyMap<string, string> = new Map([
  ...['kill', 'killed', 'killing', 'dead', 'die', 'death', 'toll', 'fatality', 'murder', 'perish', 'life', 'lives', 'body'].map((word): [string, string] => [word, 'DEATH']),
  ...['wound', 'wounded', 'injure', 'injured', 'injury', 'hurt', 'casualty', 'hospitalize'].map((word): [string, string] => [word, 'INJURY']),
  ...['flee', 'fled', 'refugee', 'displace', 'displaced', 'uproot', 'exodus', 'escape'].map((word): [string, string] => [word, 'FLEE']),
  ...['arrest', 'detain', 'detained', 'custody', 'hold', 'held', 'round'].map((word): [string, string] => [word, 'DETAIN']),
  ...['hostage', 'seize', 'kidnap', 'abduct', 'captive'].map((word): [string, string] => [word, 'HOSTAGE']),
  ...['admit', 'resettle', 'accept', 'welcome', 'take', 'receive', 'settle', 'relocate'].map((word): [string, string] => [word, 'ADMIT']),
  ...['reach', 'arrive', 'enter', 'cross', 'land'].map((word): [string, string] => [word, 'ARRIVE']),
  ...['strike', 'airstrike', 'bomb', 'raid', 'sortie', 'hit', 'target', 'drop', 'bombard'].map((word): [string, string] => [word, 'STRIKE']),
  ...['release', 'free', 'freed'].map((word): [string, string] => [word, 'RELEASE']),
  ...['evacuate', 'rescue'].map((word): [string, string] => [word, 'RESCUE']),
  ...['pledge', 'offer', 'promise', 'donate', 'donation', 'aid', 'grant', 'commit', 'contribute', 'contribution', 'allocate', 'earmark'].map((word): [string, string] => [word, 'PLEDGE']),
]);
const CONCEPT = /^[A-Z]+$/;
/** Concepts whose counts are worth tracking even when small: one more death is news. */
const TRACKED_WHEN_SMALL = new Set(['DEATH', 'INJURY', 'DETAIN', 'HOSTAGE', 'RELEASE']);
/** Nouns that name an event, so a figure can say which event it belongs to. */
const EVENT_NOUNS = new Set(
  `attack attacks bombing bombings blast blasts explosion explosions raid raids crash shooting shootings siege assault
massacre war conflict fighting violence earthquake quake flood floods storm fire fires outbreak epidemic clash clashes
ambush uprising riot riots protest protests hijacking stabbing stabbings killings assaults sieges massacres crashes ambushes
rampage battle`.split(/\s+/),
);
const TIME_UNITS = new Set(['second', 'minute', 'hour', 'day', 'week', 'month', 'year', 'decade', 'century', 'night', 'time', 'times']);
/** Counted nouns that say only "people": compatible with any more specific kind of person. */
export const GENERIC_COUNTED = new Set(['', 'people', 'person', 'persons', 'individual', 'civilian', 'victim', 'other', 'resident', 'citizen']);
/** Words near a number that mark it as a revision of an earlier figure. */
const REVISION_WORDS = new Set(['rise', 'rose', 'risen', 'climb', 'revise', 'now', 'increase', 'raise', 'lower', 'jump', 'toll', 'mount', 'exceed', 'surpass', 'update', 'updated']);
const IRREGULAR: Record<string, string> = {
  flee: 'fled', hold: 'held', take: 'taken in', seize: 'seized', die: 'died', hit: 'hit', bomb: 'bombed',
  admit: 'admitted', free: 'freed', round: 'rounded up', let: 'let go', send: 'sent', bring: 'brought',
  find: 'found', leave: 'left', give: 'given', get: 'got', keep: 'kept', lose: 'lost', make: 'made',
  put: 'put', set: 'set', shoot: 'shot', sell: 'sold', build: 'built', buy: 'bought', catch: 'caught',
  fight: 'fought', meet: 'met', pay: 'paid', run: 'run', say: 'said', see: 'seen', spend: 'spent',
  win: 'won', write: 'written', strike: 'struck', drive: 'driven', fall: 'fallen', rise: 'risen',
  grow: 'grown', know: 'known', show: 'shown', throw: 'thrown', begin: 'begun', tell: 'told', go: 'gone',
  come: 'come', become: 'become', stand: 'stood', hide: 'hidden', feed: 'fed', lead: 'led', cut: 'cut',
  shut: 'shut', spread: 'spread', bear: 'borne', swear: 'sworn', steal: 'stolen', forbid: 'forbidden',
};
const INTRANSITIVE = new Set(['flee', 'die', 'reach', 'arrive', 'enter', 'cross', 'land', 'perish', 'escape']);

/** What a figure counts, taken apart for comparison and put together for reading. */
interface Described {
  what: string;
  counted: string;
  event: string;
  context: string[];
  revision: boolean;
}

function participle(verb: Token): string {
  if (IRREGULAR[verb.lemma]) return IRREGULAR[verb.lemma]!;
  if (/ed$/.test(verb.normal)) return verb.normal;
  const lemma = verb.lemma;
  if (lemma.endsWith('e')) return `${lemma}d`;
  if (/[^aeiou]y$/.test(lemma)) return `${lemma.slice(0, -1)}ied`;
  // One-syllable verbs ending consonant-vowel-consonant double the last letter: "drop", "dropped".
  if (/^[^aeiou]*[aeiou][^aeiouwxy]$/.test(lemma)) return `${lemma}${lemma.at(-1) ?? ''}ed`;
  return `${lemma}ed`;
}

function conceptOf(token: Token | undefined): string {
  if (!token) return '';
  return EVENT_CONCEPTS.get(token.lemma) ?? EVENT_CONCEPTS.get(token.normal) ?? '';
}

/** Capitalized words of a span that can name a place or a group: the context a figure belongs to. */
function namesIn(tokens: readonly Token[], from: number, to: number): string[] {
  const names: string[] = [];
  for (let i = Math.max(0, from); i < Math.min(tokens.length, to); i += 1) {
    const token = tokens[i]!;
    if (token.type !== 'word' || !/^\p{Lu}/u.test(token.text)) continue;
    if (i === 0 && token.pos !== 'PROPN') continue;
    const lower = token.normal.replace(/[’']s$/, '');
    if (MONTHS_AND_DAYS.has(lower) || NOT_CONTEXT.has(lower)) continue;
    names.push(lower);
  }
  return names;
}
/** Capitalized words that do not tell one event from another. */
const NOT_CONTEXT = new Set(['the', 'a', 'an', 'president', 'prime', 'minister', 'secretary', 'officials', 'police', 'mr', 'mrs', 'ms', 'state', 'islamic', 'government', 'army', 'interior', 'ministry', 'foreign', 'defense', 'defence', 'us', 'u.s.', 'un', 'u.n.', 'gw', 'ap', 'afp', 'upi', 'he', 'she', 'it', 'they', 'we', 'in', 'at', 'on', 'of', 'and', 'but', 'among', 'more', 'at', 'least', 'some', 'nearly', 'about', 'french', 'american', 'british', 'russian', 'syrian', 'belgian', 'malian']);

/**
 * The clause a token sits in: a semicolon, or a colon after a clause with a verb, starts another
 * statement ("It was the second attack on Paris this year: in January, gunmen killed 17"). A colon
 * after a short label ("Paris attacks: 129 dead") does not.
 */
function clauseOf(tokens: readonly Token[], at: number): { from: number; to: number } {
  const breaks = (k: number): boolean => {
    const text = tokens[k]!.text;
    if (text === ';') return true;
    if (text !== ':') return false;
    for (let j = k - 1; j >= 0 && tokens[j]!.text !== ':' && tokens[j]!.text !== ';'; j -= 1) if (tokens[j]!.pos === 'VERB' || tokens[j]!.pos === 'AUX') return true;
    return false;
  };
  let from = 0;
  for (let k = at - 1; k >= 0; k -= 1) {
    if (breaks(k)) {
      from = k + 1;
      break;
    }
  }
  let to = tokens.length;
  for (let k = at; k < tokens.length; k += 1) {
    if (breaks(k)) {
      to = k;
      break;
    }
  }
  return { from, to };
}

/** A relative pronoun just before a number ("the attack ... in which 30 were killed"): its antecedent is the number's event. */
function relativeBefore(tokens: readonly Token[], start: number, clauseFrom: number): number | undefined {
  for (let k = start - 1; k >= Math.max(clauseFrom, start - 6); k -= 1) {
    const token = tokens[k]!;
    if (token.normal === 'which' || token.normal === 'where' || token.normal === 'whom') return k;
    if (token.normal === 'that' && (tokens[k - 1]?.pos === 'NOUN' || tokens[k - 1]?.pos === 'PROPN')) return k;
    if (token.pos === 'VERB') return undefined;
  }
  return undefined;
}

/** The event noun phrase nearest the number ("the attacks in Paris", "the Bamako hotel attack"), outside the counted words, in its clause. */
function eventPhrase(tokens: readonly Token[], around: number, skipFrom: number, skipTo: number, clause: { from: number; to: number }, relative?: number): { text: string; from: number; to: number } | undefined {
  let best: number | undefined;
  const isEvent = (i: number): boolean => tokens[i]!.type === 'word' && EVENT_NOUNS.has(tokens[i]!.normal) && tokens[i]!.pos !== 'VERB' && !(i >= skipFrom && i < skipTo);
  // A count in a relative clause belongs to the event the clause hangs on, not to one named later.
  if (relative !== undefined) for (let i = relative - 1; i >= clause.from && best === undefined; i -= 1) if (isEvent(i)) best = i;
  if (best === undefined) {
    for (let i = clause.from; i < clause.to; i += 1) {
      if (!isEvent(i)) continue;
      if (best === undefined || Math.abs(i - around) < Math.abs(best - around)) best = i;
    }
  }
  if (best === undefined) return undefined;
  let from = best;
  while (from > 0) {
    const token = tokens[from - 1]!;
    if (token.type !== 'word' || !(NOUNISH.has(token.pos) || token.pos === 'NUM') || MONTHS_AND_DAYS.has(token.normal) || /^(?:'s|’s)$/.test(token.normal)) break;
    if (from - 1 >= skipFrom && from - 1 < skipTo) break;
    from -= 1;
  }
  let to = best + 1;
  // "attacks in Paris", "bombing of a presidential guard bus in Tunis": up to two short phrases.
  for (let phrases = 0; phrases < 2; phrases += 1) {
    const adp = tokens[to];
    if (!adp || !['in', 'of', 'at', 'near', 'on'].includes(adp.normal)) break;
    let j = to + 1;
    if (tokens[j]?.pos === 'DET') j += 1;
    let nouns = 0;
    while (j < tokens.length && nouns < 5) {
      const token = tokens[j]!;
      if (/^(?:'s|’s)$/.test(token.normal)) {
        j += 1;
        continue;
      }
      if (token.type !== 'word' || !NOUNISH.has(token.pos) || MONTHS_AND_DAYS.has(token.normal)) break;
      nouns += 1;
      j += 1;
    }
    if (nouns === 0) break;
    to = j;
  }
  const words = tokens.slice(from, to);
  return { text: `the ${phrase(words)}`.replace(/^the (?:the|a|an) /i, 'the '), from, to };
}

/** "number of people killed in X" / "death toll from X" before a revision verb: the subject says what is counted. */
function subjectCount(tokens: readonly Token[], before: number): { counted: Token[]; verb?: Token; concept: string; scopeFrom: number } | undefined {
  for (let i = before - 1; i >= Math.max(0, before - 16); i -= 1) {
    const token = tokens[i]!;
    if (token.normal === 'number' && tokens[i + 1]?.normal === 'of') {
      const counted: Token[] = [];
      let j = i + 2;
      while (j < before && tokens[j]!.type === 'word' && NOUNISH.has(tokens[j]!.pos) && counted.length < 3) counted.push(tokens[j++]!);
      const verb = tokens[j] && tokens[j]!.pos === 'VERB' ? tokens[j] : undefined;
      return { counted, ...(verb ? { verb } : {}), concept: conceptOf(verb) || conceptOf(counted[counted.length - 1]), scopeFrom: verb ? j + 1 : j };
    }
    if (token.normal === 'toll') return { counted: [], concept: 'DEATH', scopeFrom: i + 1 };
    // "raised their offer of aid to $3.2 billion", "cut the number ... to": the verb's object is what moved.
    if (token.pos === 'VERB' && OBJECT_RISE_VERBS.has(token.lemma)) {
      let j = i + 1;
      while (j < before && (tokens[j]!.pos === 'DET' || tokens[j]!.pos === 'PRON')) j += 1;
      const object: Token[] = [];
      while (j < before && object.length < 4 && tokens[j]!.type === 'word' && (NOUNISH.has(tokens[j]!.pos) || (tokens[j]!.normal === 'of' && object.length > 0))) object.push(tokens[j++]!);
      const concept = object.map((word) => conceptOf(word)).find(Boolean);
      return concept ? { counted: [], concept, scopeFrom: j } : undefined;
    }
  }
  return undefined;
}
/** Verbs whose object is the figure that moved: "raised its pledge to", "revised the estimate to". */
const OBJECT_RISE_VERBS = new Set(['raise', 'revise', 'increase', 'lower', 'cut', 'boost', 'lift', 'reduce', 'double', 'triple', 'bring', 'push', 'put']);

function describe(tokens: readonly Token[], span: NumberSpan, qualifierStart: number, inherited: Token[]): Described & { countedTokens: Token[] } {
  const counted = countedAfter(tokens, span);
  let countedTokens = counted.words.filter((token) => token.normal !== 'of' || counted.words.indexOf(token) > 0);
  const afterCounted = counted.words.length ? counted.end : span.end;
  const before = tokens[qualifierStart - 1];
  let verb: Token | undefined;
  let verbEnd = -1;
  let concept = '';
  let predicate = '';

  // "The number of people killed in the attacks rose to 130", "the death toll ... now 130".
  const revisionBefore =
    before &&
    (['to', 'at', 'now', 'reached', 'exceeds', 'tops', 'is', 'stands'].includes(before.normal) ||
      (before.pos === 'VERB' && RISE_VERBS.has(before.lemma)) ||
      (before.normal === 'of' && tokens[qualifierStart - 2]?.normal === 'toll'));
  const subject = revisionBefore ? subjectCount(tokens, qualifierStart) : undefined;
  if (subject) {
    if (!countedTokens.length) countedTokens = subject.counted;
    verb = subject.verb;
    concept = subject.concept;
  }
  if (!concept) {
    // "killed 129 people", "detained 23", "take in 10,000": a verb just before the number.
    let v = qualifierStart - 1;
    if (tokens[v]?.pos === 'DET' || tokens[v]?.normal === 'in' || tokens[v]?.normal === 'up') v -= 1;
    const candidate = tokens[v];
    if (candidate?.pos === 'VERB' && !REPORTING_VERBS.has(candidate.lemma) && !SPEECH_VERBS.has(candidate.lemma) && !RISE_VERBS.has(candidate.lemma)) {
      verb = candidate;
      concept = conceptOf(candidate) || candidate.lemma;
    }
  }
  if (!concept) {
    // "129 people were killed", "3 million Syrians have fled", "4 million Syrians are now refugees".
    const after = verbAfter(tokens, afterCounted);
    if (after && !REPORTING_VERBS.has(after.verb.lemma) && !SPEECH_VERBS.has(after.verb.lemma)) {
      verb = after.verb;
      verbEnd = after.end;
      concept = conceptOf(after.verb) || after.verb.lemma;
    } else {
      let k = afterCounted;
      while (tokens[k] && (tokens[k]!.pos === 'AUX' || tokens[k]!.pos === 'ADV')) k += 1;
      const noun = conceptOf(tokens[k]);
      if (noun && k > afterCounted) {
        concept = noun;
        predicate = `who are ${tokens.slice(afterCounted, k + 1).filter((token) => token.pos === 'ADV' && token.normal === 'now').length ? 'now ' : ''}${tokens[k]!.normal}`;
      }
    }
  }
  if (!countedTokens.length && inherited.length && concept) countedTokens = inherited;
  const head = countedTokens.filter((token) => NOUNISH.has(token.pos) && token.normal !== 'of');
  const headWord = head[head.length - 1];
  // "left 130 dead", "reported 12 injured": the counted word names what happened better than a plain verb.
  if (concept && !CONCEPT.test(concept) && CONCEPT.test(conceptOf(headWord)) && EVENT_CONCEPTS.has(headWord?.normal ?? '')) {
    concept = conceptOf(headWord);
    verb = undefined;
  }
  if (!concept) concept = conceptOf(headWord) || head.map((token) => conceptOf(token)).find(Boolean) || '';

  // The event and place it belongs to: the verb's complement, else the nearest event noun phrase.
  let scope = '';
  let contextFrom = -1;
  let contextTo = -1;
  if (verb && verbEnd > 0) {
    const complement = tidy(complementAfter(tokens, verbEnd));
    if (complement.length) {
      const adp = tokens[verbEnd]?.pos === 'ADP' ? `${tokens[verbEnd]!.normal} ` : '';
      scope = adp + phrase(complement);
      contextFrom = verbEnd;
      contextTo = verbEnd + complement.length + 2;
    }
  }
  const eventful = ['DEATH', 'INJURY', 'DETAIN', 'HOSTAGE', 'STRIKE', 'RELEASE', 'RESCUE'].includes(concept);
  const clause = clauseOf(tokens, span.start);
  // "died in the Paris attacks": an event noun in the verb's complement is the event, whatever else is nearer.
  let complementEvent: number | undefined;
  if (scope) for (let k = verbEnd; k < Math.min(contextTo, tokens.length) && complementEvent === undefined; k += 1) if (EVENT_NOUNS.has(tokens[k]!.normal) && tokens[k]!.pos !== 'VERB') complementEvent = k;
  const event = !eventful
    ? undefined
    : complementEvent !== undefined
      ? eventPhrase(tokens, complementEvent, span.start, afterCounted, clause)
      : eventPhrase(tokens, span.start, span.start, afterCounted, clause, relativeBefore(tokens, qualifierStart, clause.from));
  if (event && (!scope || complementEvent !== undefined)) {
    if (!scope || !scope.includes(event.text.slice(4))) scope = `${['DEATH', 'INJURY'].includes(concept) ? 'in' : 'in'} ${event.text}`;
    contextFrom = event.from;
    contextTo = event.to;
  }
  let context = contextFrom >= 0 ? namesIn(tokens, contextFrom, contextTo) : [];
  if (context.length === 0) context = namesIn(tokens, clause.from, clause.to);

  const countedText = phrase(countedTokens.filter((token, index) => index > 0 || token.pos !== 'DET'));
  const people = span.currency ? CURRENCY_NAMES[span.currency] ?? span.currency : !countedText && ['DEATH', 'INJURY', 'DETAIN', 'HOSTAGE', 'FLEE', 'RELEASE'].includes(concept) ? 'people' : countedText;
  let action = '';
  if (predicate) action = predicate;
  else if (verb) action = INTRANSITIVE.has(verb.lemma) && people ? `who ${participle(verb)}` : participle(verb);
  else if (concept === 'DEATH' && !EVENT_CONCEPTS.has(headWord?.lemma ?? '')) action = 'killed';
  else if (concept === 'INJURY' && !EVENT_CONCEPTS.has(headWord?.lemma ?? '')) action = 'wounded';
  const what = [people, action, scope].filter(Boolean).join(' ').replace(/\s+/g, ' ').trim();
  const near = tokens.slice(Math.max(0, qualifierStart - 4), qualifierStart);
  // "130 people are now known to have died": "now" between the count and its verb marks an update too.
  const nowBeforeVerb = verbEnd > 0 && tokens.slice(afterCounted, verbEnd).some((token) => token.normal === 'now');
  const revision = near.some((token) => REVISION_WORDS.has(token.lemma) || REVISION_WORDS.has(token.normal)) || Boolean(subject) || predicate.includes(' now ') || nowBeforeVerb;
  return { what, counted: headWord ? headWord.lemma : '', event: concept, context: [...new Set(context)], revision, countedTokens };
}

function formatValue(value: number): string {
  if (Number.isInteger(value)) return value.toFixed(0);
  return String(Math.round(value * 1000) / 1000);
}

/** Small or unlabelled numbers that do not count a noteworthy thing ("two nations", "11 days"). */
function isNoise(described: Described, span: NumberSpan): boolean {
  if (span.percent || span.currency) return false;
  if (TIME_UNITS.has(described.counted)) return true;
  const tracked = TRACKED_WHEN_SMALL.has(described.event);
  const isConcept = /^[A-Z]+$/.test(described.event);
  if (!described.counted && !tracked && !isConcept) return true;
  if (span.value <= 2 && !tracked) return true;
  if (span.value < 10 && !described.counted && !tracked) return true;
  return false;
}

/** Numbers that count something, with what they count, from parsed sentences. */
export function findFigures(sentences: readonly Sentence[]): Figure[] {
  const figures: Figure[] = [];
  for (const sentence of sentences) {
    const { tokens } = sentence;
    let inherited: Token[] = [];
    for (let i = 0; i < tokens.length; i += 1) {
      const span = readSpan(tokens, i);
      if (!span) continue;
      const next = i;
      i = span.end - 1;
      if (countsNothing(tokens, span)) continue;
      // "$1.5 billion": the qualifier and the verb come before the currency symbol.
      let start = tokens[next - 1]?.type === 'currency' ? next - 1 : next;
      // "between 20 and 25 percent": "between" opens the range.
      if (span.max !== undefined && tokens[start - 1]?.normal === 'between') start -= 1;
      const found = findQualifier(tokens, start);
      const qualifier: Qualifier = span.max !== undefined ? 'range' : found?.qualifier ?? 'exact';
      const described = describe(tokens, span, found?.start ?? start, inherited);
      if (described.countedTokens.length) inherited = described.countedTokens;
      if (isNoise(described, span)) continue;
      const value = span.max !== undefined ? `${formatValue(span.value)}-${formatValue(span.max)}` : formatValue(span.value);
      const what = span.percent && !/percent/i.test(described.what) ? `percent ${described.what}`.trim() : described.what;
      figures.push({
        what: what || 'unspecified',
        value,
        number: span.value,
        qualifier,
        evidence: sentence.text,
        counted: span.percent ? 'percent' : span.currency ?? described.counted,
        event: described.event,
        context: described.context,
        revision: described.revision,
      });
    }
  }
  return figures;
}
