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
  fromWords: boolean;
}

function wordValue(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (lower in UNITS) return UNITS[lower];
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
    value = wordValue(token.text);
    fromWords = true;
    if (value === undefined && token.normal === 'dozen' && tokens[i - 1]?.normal === 'a') value = 12;
  }
  if (value === undefined || !Number.isFinite(value)) return undefined;
  let end = i + 1;
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
  const unit = tokens[end];
  if (unit && (unit.normal === 'percent' || unit.text === '%' || unit.normal === 'pct')) {
    percent = true;
    end += 1;
  } else if (unit?.normal === 'per' && tokens[end + 1]?.normal === 'cent') {
    percent = true;
    end += 2;
  }
  return { start: i, end, value: first.value, ...(max !== undefined && max > first.value ? { max } : {}), percent, fromWords: first.fromWords };
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
    if (words.every((word, k) => tokens[from + k]!.normal === word)) return { qualifier, start: from };
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

/** The phrase before index `to`, back to the start of its clause, at most `limit` tokens. */
function phraseBefore(tokens: readonly Token[], to: number, limit: number, allow: (token: Token) => boolean): Token[] {
  let from = to;
  while (from > 0 && to - from < limit) {
    const token = tokens[from - 1]!;
    if (!allow(token)) break;
    from -= 1;
  }
  return tokens.slice(from, to);
}

const NOUN_PHRASE_PART = (token: Token): boolean =>
  token.type === 'word' && (NOUNISH.has(token.pos) || token.pos === 'DET' || token.normal === 'of');
const CLAUSE_PART = (token: Token): boolean =>
  (token.type === 'word' || token.type === 'number') && !['that', 'which', 'who', 'after', 'when', 'while', 'because', 'said', 'says'].includes(token.normal) && token.pos !== 'PRON' && token.pos !== 'SCONJ' && token.pos !== 'CCONJ';

function describe(tokens: readonly Token[], span: NumberSpan, qualifierStart: number, inherited: string): { what: string; counted: string } {
  const counted = countedAfter(tokens, span);
  let countedText = phrase(counted.words);
  if (!countedText && inherited) countedText = inherited;
  const before = tokens[qualifierStart - 1];
  const beforeThat = tokens[qualifierStart - 2];

  // "The number of people killed in the attacks rose to 130": the subject says what is counted.
  const riseIndex = before && (before.normal === 'to' || before.normal === 'at' || before.normal === 'by') ? qualifierStart - 2 : before?.pos === 'VERB' ? qualifierStart - 1 : -1;
  const riseVerb = tokens[riseIndex];
  if (riseVerb && riseVerb.pos === 'VERB' && RISE_VERBS.has(riseVerb.lemma)) {
    let v = riseIndex;
    while (v > 0 && ['AUX', 'ADV', 'PART'].includes(tokens[v - 1]!.pos)) v -= 1;
    const subject = tidy(phraseBefore(tokens, v, 12, CLAUSE_PART));
    const subjectText = phrase(subject);
    if (subjectText) return { what: [countedText, subjectText].filter(Boolean).join(' of '), counted: countedText };
  }

  // "the Paris attacks that killed at least 129": a verb right before the number.
  let verbIndex = qualifierStart - 1;
  if (tokens[verbIndex]?.pos === 'DET') verbIndex -= 1;
  const verbBefore = tokens[verbIndex];
  if (verbBefore && verbBefore.pos === 'VERB' && !REPORTING_VERBS.has(verbBefore.lemma) && !SPEECH_VERBS.has(verbBefore.lemma)) {
    let s = verbIndex;
    while (s > 0 && ['that', 'which', 'who'].includes(tokens[s - 1]!.normal)) s -= 1;
    const subject = tidy(phraseBefore(tokens, s, 5, NOUN_PHRASE_PART));
    const after = counted.words.length ? complementAfter(tokens, counted.end) : [];
    const parts = [phrase(subject), verbBefore.text, countedText, phrase(tidy(after))];
    return { what: parts.filter(Boolean).join(' '), counted: countedText };
  }

  if (countedText) {
    const verb = verbAfter(tokens, counted.words.length ? counted.end : span.end);
    const parts = [countedText];
    if (verb) {
      parts.push(verb.verb.text);
      const complement = tidy(complementAfter(tokens, verb.end));
      if (complement.length) {
        const adp = tokens[verb.end]?.pos === 'ADP' ? `${tokens[verb.end]!.text} ` : '';
        parts.push(adp + phrase(complement));
      } else if (before && beforeThat && ['which', 'whom', 'where'].includes(before.normal)) {
        // "the attacks in Paris on Friday in which 129 people were killed"
        const adp = beforeThat.pos === 'ADP' ? beforeThat : undefined;
        const head = tidy(phraseBefore(tokens, qualifierStart - (adp ? 2 : 1), 6, (token) => NOUN_PHRASE_PART(token) || token.pos === 'ADP'));
        if (head.length) parts.push(`${adp ? adp.normal : 'in'} ${phrase(head)}`);
      }
    }
    return { what: parts.join(' '), counted: countedText };
  }

  // "nearly 800,000 have reached Europe" with no counted noun: the verb phrase after it.
  const verb = verbAfter(tokens, span.end);
  if (verb) {
    const complement = tidy(complementAfter(tokens, verb.end));
    const adp = tokens[verb.end]?.pos === 'ADP' ? `${tokens[verb.end]!.text} ` : '';
    return { what: [verb.verb.text, complement.length ? adp + phrase(complement) : ''].filter(Boolean).join(' '), counted: '' };
  }
  // "Death toll in Paris now 130": the noun phrase before it.
  let b = qualifierStart;
  while (b > 0 && ['ADV', 'PUNCT'].includes(tokens[b - 1]!.pos) && tokens[b - 1]!.text !== ',') b -= 1;
  const head = tidy(phraseBefore(tokens, b, 6, (token) => NOUN_PHRASE_PART(token) || token.pos === 'ADP'));
  return { what: phrase(head), counted: '' };
}

function formatValue(value: number): string {
  if (Number.isInteger(value)) return value.toFixed(0);
  return String(Math.round(value * 1000) / 1000);
}

/** Numbers that count something, with what they count, from parsed sentences. */
export function findFigures(sentences: readonly Sentence[]): Figure[] {
  const figures: Figure[] = [];
  for (const sentence of sentences) {
    const { tokens } = sentence;
    let inherited = '';
    for (let i = 0; i < tokens.length; i += 1) {
      const span = readSpan(tokens, i);
      if (!span) continue;
      const next = i;
      i = span.end - 1;
      if (countsNothing(tokens, span)) continue;
      const found = findQualifier(tokens, next);
      const qualifier: Qualifier = span.max !== undefined ? 'range' : found?.qualifier ?? 'exact';
      const { what, counted } = describe(tokens, span, found?.start ?? next, inherited);
      if (counted) inherited = counted;
      const value = span.max !== undefined ? `${formatValue(span.value)}-${formatValue(span.max)}` : formatValue(span.value);
      figures.push({
        what: (span.percent && !/percent/i.test(what) ? `percent ${what}` : what).trim() || 'unspecified',
        value,
        number: span.value,
        qualifier,
        evidence: sentence.text,
      });
    }
  }
  return figures;
}
