import { LEAD_SENTENCES, parseDoc } from '../text/document.ts';
import type { Doc, Story } from '../types.ts';

export interface ClusterOptions {
  /**
   * Items of one story are published within this many hours of the story's latest item. Past the
   * window a story fades out over one more window: only a closer and closer match still joins it.
   */
  windowHours: number;
  /**
   * Similarity an item needs to join a story (default 0.2). A same-day item whose headline names
   * the story's marker needs less (see MARKER_LIFT).
   */
  minSimilarity?: number;
}

export const DEFAULT_MIN_SIMILARITY = 0.2;
const TITLE_WEIGHT = 2;
const LEAD_WEIGHT = 1;
const ENTITY_WEIGHT = 1.5;
/** Body sentences after the lead still say what the event is, more weakly. */
const BODY_WEIGHT = 0.35;
const BODY_SENTENCES = 6;
/** Shingle overlap above which two texts are copies of one wire story. */
const NEAR_DUPLICATE = 0.7;
const HOUR_MS = 3_600_000;
/** Windows over which a quiet story fades out once its own window has passed; then it is closed. */
const FADE_WINDOWS = 1;
/** A story that moved in the last hours takes a related item more readily: news comes in bursts. */
const RECENCY_BOOST = 0.15;
const RECENCY_HOURS = 24;
/** How much a match with one member counts against a match with the whole story. */
const MEMBER_LINK_WEIGHT = 0.9;
/** Most recent postings read per term: the cost of an add is bounded whatever the index holds. */
const POSTINGS_READ = 24;
/** Postings kept per term before the oldest are dropped. */
const POSTINGS_KEPT = 64;
/** Members scored exactly, after the cheap accumulated-dot pass. */
const MEMBERS_SCORED = 16;
/** Stories whose centroid is compared, at most. */
const STORIES_SCORED = 8;
/** Terms kept in a story's centroid: the strongest, so a long story costs no more than a short one. */
const CENTROID_TERMS = 160;
/** Shingle hashes kept per doc (bottom-k sketch) for spotting wire copies. */
const SKETCH_SIZE = 24;
/**
 * Terms in more than this share of the docs say little about which story an item belongs to:
 * their postings are not read when looking for candidates (they still count in the exact score).
 */
const COMMON_SHARE = 0.25;
/**
 * An item whose words barely overlap any story may still join one when its headline names the
 * story's marker: a name far more common in that story's leads than in the stream (Beirut in a
 * Beirut bombing story, not Obama in a week of White House news). A government statement and the
 * wire report of one event often share only that name and a few words, so the marker stands in for
 * the vocabulary they do not share.
 */
const MARKER_LIFT = 8;
/** Docs assumed to be in the stream besides those seen, so a name in two of the first three docs is not yet a marker. */
const MARKER_PRIOR_DOCS = 20;
/** The marker rule only holds for a story that moved within this many hours: reactions come the same day. */
const MARKER_HOURS = 36;
/** Even with a shared marker, some words must be shared too. */
const MARKER_MIN_SIMILARITY = 0.06;

/** A StoryIndex as plain JSON: its options and its docs in the order they were added. */
export interface StoryIndexSnapshot {
  version: 1;
  windowHours: number;
  minSimilarity: number;
  docs: Doc[];
}

/**
 * What the index knows of one term. Members, centroids and postings point at these objects, so
 * a comparison reads a term's IDF and the query's weight for it without a map lookup.
 */
interface TermStat {
  term: string;
  df: number;
  /** IDF, valid while `idfAt` equals the index's live doc count. */
  idf: number;
  idfAt: number;
  /** The current query's IDF-weighted value for this term, valid while `queryMark` is the current query. */
  query: number;
  queryMark: number;
  /** Recent members holding the term, oldest first. */
  postings: Posting[];
  /** Live docs naming it in their lead or dateline (names only). */
  markerDf: number;
}

interface Member {
  /** Order of arrival, so a snapshot replays docs as they came. */
  seq: number;
  doc: Doc;
  story: StoryState;
  /** Terms with their raw weights (before IDF): IDF is applied when comparing, from the current counts. */
  terms: TermStat[];
  weights: number[];
  /** Norm of the raw weights, to add the member to its story's centroid with unit length. */
  rawNorm: number;
  sketch: number[];
  /** Names of its lead and dateline: where and who. */
  markers: TermStat[];
  time: number | undefined;
  /** Scratch for the candidate pass: partial dot product with the current query. */
  partial: number;
  partialMark: number;
}

interface Posting {
  member: Member;
  weight: number;
}

interface StoryState {
  id: string;
  members: Member[];
  /** Sum of the members' unit-length raw vectors, capped to its strongest terms. */
  centroid: Map<TermStat, number>;
  /** For each name in its members' leads, how many members name it. */
  markerCounts: Map<TermStat, number>;
  /** Names in its members' headlines and datelines. */
  headlineNames: Set<TermStat>;
  sources: string[];
  first: number | undefined;
  last: number | undefined;
  firstSeen: string;
  lastSeen: string;
  /** Set when pruned: postings still pointing at its members are skipped and dropped. */
  gone: boolean;
}

function timeOf(doc: Doc): number | undefined {
  if (!doc.published) return undefined;
  const time = Date.parse(doc.published);
  return Number.isNaN(time) ? undefined : time;
}

/** FNV-1a: a short stable hash, so a story's id depends only on its seed item. */
function hash32(text: string, seed = 0x811c9dc5): number {
  let hash = seed;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function shortHash(text: string): string {
  return hash32(text).toString(16).padStart(8, '0');
}

/** The smallest hashes of a text's word 3-grams: two sketches share about as much as the texts do. */
function sketchOf(words: readonly string[]): number[] {
  const wordHashes = words.slice(0, 150).map(hash32);
  const hashes = new Set<number>();
  // Mixed from the words' hashes: no string is built per shingle.
  for (let i = 0; i + 3 <= wordHashes.length; i += 1) {
    const mixed = Math.imul(wordHashes[i]! ^ Math.imul(wordHashes[i + 1]!, 0x9e3779b1) ^ Math.imul(wordHashes[i + 2]!, 0x85ebca6b), 0xc2b2ae35);
    hashes.add((mixed ^ (mixed >>> 15)) >>> 0);
  }
  return [...hashes].sort((a, b) => a - b).slice(0, SKETCH_SIZE);
}

/** Estimated Jaccard similarity of two texts from their bottom-k sketches. */
function sketchSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const k = Math.min(SKETCH_SIZE, Math.max(a.length, b.length));
  let i = 0;
  let j = 0;
  let shared = 0;
  // Walk the union's k smallest hashes and count those in both sketches.
  for (let seen = 0; seen < k && (i < a.length || j < b.length); seen += 1) {
    const x = a[i] ?? Infinity;
    const y = b[j] ?? Infinity;
    if (x === y) {
      shared += 1;
      i += 1;
      j += 1;
    } else if (x < y) i += 1;
    else j += 1;
  }
  return shared / k;
}

/** Weighted term counts of a doc: title, lead, a little of the body, and the lead's names. */
function rawTerms(doc: Doc): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (terms: readonly string[], weight: number): void => {
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + weight);
  };
  // The parsed doc has its dateline cut off: "(GW)" and the city of filing say nothing about the event.
  const parsed = parseDoc(doc);
  for (const terms of parsed.titleTerms) add(terms, TITLE_WEIGHT);
  if (parsed.sentences !== parsed.titleSentences) {
    parsed.sentenceTerms.slice(0, LEAD_SENTENCES).forEach((terms) => add(terms, LEAD_WEIGHT));
    parsed.sentenceTerms.slice(LEAD_SENTENCES, BODY_SENTENCES).forEach((terms) => add(terms, BODY_WEIGHT));
  }
  for (const key of parsed.leadKeys) counts.set(`@${key}`, (counts.get(`@${key}`) ?? 0) + ENTITY_WEIGHT);
  const weights = new Map<string, number>();
  for (const [term, count] of counts) {
    // Bare numbers match too easily across unrelated stories; keep only those of 3+ digits.
    if (/^\d{1,2}(?:\.\d+)?$/.test(term)) continue;
    weights.set(term, count >= 1 ? 1 + Math.log(count) : count);
  }
  return weights;
}

/** Ahead in the candidate pass: larger partial dot product, then earlier arrival. */
function ahead(a: Member, b: Member): boolean {
  return a.partial > b.partial || (a.partial === b.partial && a.seq < b.seq);
}

/** The `k` members with the largest partial dot products, best first, without sorting them all. */
function topMembers(members: readonly Member[], k: number): Member[] {
  const top: Member[] = [];
  for (const member of members) {
    if (top.length === k && !ahead(member, top[k - 1]!)) continue;
    let at = top.length === k ? k - 1 : top.length;
    while (at > 0 && ahead(member, top[at - 1]!)) {
      top[at] = top[at - 1]!;
      at -= 1;
    }
    top[at] = member;
  }
  return top;
}

function rawNormOf(weights: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const value of weights.values()) sum += value * value;
  return Math.sqrt(sum);
}

/**
 * Groups documents into stories as they arrive. Each doc is compared only with the recent docs
 * that share its terms (read from a capped inverted index) and with at most a few of their
 * stories, so the cost of adding a doc does not grow with the number of stories seen. Term
 * weights use the document frequencies at comparison time, so early docs are not stuck with the
 * weights of a tiny corpus.
 */
export class StoryIndex {
  private readonly windowMs: number;
  private readonly minSimilarity: number;
  private readonly states = new Map<string, StoryState>();
  private readonly order: string[] = [];
  private readonly docStory = new Map<string, string>();
  private readonly termStats = new Map<string, TermStat>();
  /** shingle hash -> recent members whose sketch holds it, oldest first */
  private readonly sketches = new Map<number, Member[]>();
  /** exact text fingerprint -> story id, for syndicated copies */
  private readonly fingerprints = new Map<string, string>();
  private liveDocs = 0;
  private seq = 0;
  /** Id of the comparison in progress, marking the scratch fields that belong to it. */
  private mark = 0;
  private latest: number | undefined;

  constructor(opts: ClusterOptions) {
    this.windowMs = Math.max(0, opts.windowHours) * HOUR_MS;
    this.minSimilarity = opts.minSimilarity ?? DEFAULT_MIN_SIMILARITY;
  }

  /** Adds a doc and returns the id of the story it joined or opened. */
  add(doc: Doc): string {
    const known = this.docStory.get(doc.id);
    if (known) return known;
    const raw = rawTerms(doc);
    this.seq += 1;
    this.liveDocs += 1;
    const terms: TermStat[] = [];
    const weights: number[] = [];
    for (const [term, weight] of raw) {
      const stat = this.statOf(term);
      stat.df += 1;
      terms.push(stat);
      weights.push(weight);
    }
    const parsed = parseDoc(doc);
    const markers = [...new Set(parsed.datelineKey ? [...parsed.leadKeys, parsed.datelineKey] : parsed.leadKeys)].map((key) => this.statOf(`@${key}`));
    for (const stat of markers) stat.markerDf += 1;
    const titleNames = parsed.titleKeys.map((key) => this.statOf(`@${key}`));
    const time = timeOf(doc);
    if (time !== undefined) this.latest = this.latest === undefined ? time : Math.max(this.latest, time);
    // One pass over the raw words serves both the exact fingerprint and the shingle sketch.
    const words = `${doc.title}\n${doc.text}`.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    const sketch = sketchOf(words);

    const fingerprintText = words.join(' ');
    // Two independent 32-bit hashes: one alone would confuse two texts about once in 10^5 docs.
    const fingerprint = fingerprintText.length > 20 ? `${hash32(fingerprintText)}:${hash32(fingerprintText, 0x01000193)}` : undefined;
    const copyOf = fingerprint !== undefined ? this.states.get(this.fingerprints.get(fingerprint) ?? '') : undefined;
    const target = copyOf && !copyOf.gone ? copyOf : this.nearCopy(sketch, time) ?? this.bestStory(terms, weights, time, titleNames);
    const state = target ?? this.open(doc);
    const member: Member = { seq: this.seq, doc, story: state, terms, weights, rawNorm: rawNormOf(raw), sketch, markers, time, partial: 0, partialMark: 0 };
    this.join(state, member);
    for (const stat of titleNames) state.headlineNames.add(stat);
    if (parsed.datelineKey) state.headlineNames.add(this.statOf(`@${parsed.datelineKey}`));
    if (fingerprint !== undefined && !this.fingerprints.has(fingerprint)) this.fingerprints.set(fingerprint, state.id);
    this.docStory.set(doc.id, state.id);
    return state.id;
  }

  /**
   * Forgets stories whose newest item is older than `windowHours` before `now` (and their items),
   * so a long-running bot keeps memory bounded. Returns the ids of the stories dropped.
   */
  prune(now: Date): string[] {
    const cutoff = now.getTime() - this.windowMs;
    const dropped: string[] = [];
    for (const [id, state] of this.states) {
      if (state.last === undefined || state.last >= cutoff) continue;
      dropped.push(id);
      state.gone = true;
      this.states.delete(id);
      for (const member of state.members) {
        this.docStory.delete(member.doc.id);
        this.liveDocs -= 1;
        for (const stat of member.terms) stat.df -= 1;
        for (const stat of member.markers) stat.markerDf -= 1;
      }
    }
    if (dropped.length > 0) {
      const gone = new Set(dropped);
      for (const [fingerprint, id] of this.fingerprints) if (gone.has(id)) this.fingerprints.delete(fingerprint);
      for (const [term, stat] of this.termStats) {
        stat.postings = stat.postings.filter((posting) => !posting.member.story.gone);
        if (stat.df <= 0 && stat.markerDf <= 0) this.termStats.delete(term);
      }
      for (const [hash, list] of this.sketches) {
        const kept = list.filter((member) => !member.story.gone);
        if (kept.length === 0) this.sketches.delete(hash);
        else if (kept.length < list.length) this.sketches.set(hash, kept);
      }
      const kept = this.order.filter((id) => !gone.has(id));
      this.order.length = 0;
      this.order.push(...kept);
    }
    return dropped;
  }

  /** The docs added so far, in the order they were added: replaying them rebuilds the index exactly. */
  toJSON(): StoryIndexSnapshot {
    const docs: Array<{ seq: number; doc: Doc }> = [];
    for (const state of this.states.values()) for (const member of state.members) docs.push({ seq: member.seq, doc: member.doc });
    docs.sort((a, b) => a.seq - b.seq);
    return { version: 1, windowHours: this.windowMs / HOUR_MS, minSimilarity: this.minSimilarity, docs: docs.map((entry) => entry.doc) };
  }

  /** Rebuilds an index by replaying a snapshot's docs; `add()` is deterministic, so ids and stories match. */
  static fromJSON(snapshot: StoryIndexSnapshot): StoryIndex {
    const index = new StoryIndex({ windowHours: snapshot.windowHours, minSimilarity: snapshot.minSimilarity });
    for (const doc of snapshot.docs) index.add(doc);
    return index;
  }

  stories(): Story[] {
    return this.order.map((id) => this.toStory(this.states.get(id)!));
  }

  storyOf(docId: string): string | undefined {
    return this.docStory.get(docId);
  }

  private statOf(term: string): TermStat {
    let stat = this.termStats.get(term);
    if (!stat) {
      stat = { term, df: 0, idf: 0, idfAt: -1, query: 0, queryMark: 0, postings: [], markerDf: 0 };
      this.termStats.set(term, stat);
    }
    return stat;
  }

  /** Inverse document frequency from the live docs' counts, computed once per corpus size. */
  private idf(stat: TermStat): number {
    if (stat.idfAt !== this.liveDocs) {
      stat.idf = Math.log((this.liveDocs + 1) / Math.max(1, stat.df)) + 1;
      stat.idfAt = this.liveDocs;
    }
    return stat.idf;
  }

  /** How much a story still takes a doc published at \`time\`: 1 inside the window, fading to 0 one window later. */
  private timeFactor(state: StoryState, time: number | undefined): number {
    if (time === undefined || state.first === undefined || state.last === undefined) return 1;
    const gap = time < state.first ? state.first - time : time > state.last ? time - state.last : 0;
    if (gap <= this.windowMs) return 1 + RECENCY_BOOST * Math.exp(-gap / (RECENCY_HOURS * HOUR_MS));
    return Math.max(0, 1 - (gap - this.windowMs) / Math.max(FADE_WINDOWS * this.windowMs, 1));
  }

  /** A story holding a wire copy of the doc: most of the same 3-word shingles, whatever the headline. */
  private nearCopy(sketch: readonly number[], time: number | undefined): StoryState | undefined {
    if (sketch.length < 4) return undefined;
    this.mark += 1;
    // A copy shares at least this many sketch hashes; count them before estimating the overlap.
    const needed = Math.ceil(NEAR_DUPLICATE * Math.min(SKETCH_SIZE, sketch.length)) - 1;
    const finalists: Member[] = [];
    for (const hash of sketch) {
      const list = this.sketches.get(hash);
      if (!list) continue;
      for (let i = list.length - 1; i >= 0 && i >= list.length - POSTINGS_READ; i -= 1) {
        const member = list[i]!;
        if (member.partialMark !== this.mark) {
          member.partialMark = this.mark;
          member.partial = 0;
        }
        member.partial += 1;
        if (member.partial === needed) finalists.push(member);
      }
    }
    let best: { member: Member; score: number } | undefined;
    for (const member of finalists) {
      if (member.story.gone || this.timeFactor(member.story, time) < 1) continue; // fading stories take no copies
      const score = sketchSimilarity(sketch, member.sketch);
      if (score >= NEAR_DUPLICATE && (!best || score > best.score)) best = { member, score };
    }
    return best?.member.story;
  }

  private bestStory(terms: readonly TermStat[], weights: readonly number[], time: number | undefined, titleNames: readonly TermStat[]): StoryState | undefined {
    // The doc's vector with current IDF, and a cheap dot product with recent members sharing its terms.
    this.mark += 1;
    const mark = this.mark;
    let queryNorm = 0;
    terms.forEach((stat, i) => {
      stat.query = weights[i]! * this.idf(stat);
      stat.queryMark = mark;
      queryNorm += stat.query * stat.query;
    });
    queryNorm = Math.sqrt(queryNorm);
    if (queryNorm === 0) return undefined;
    const common = this.liveDocs >= 20 ? COMMON_SHARE * this.liveDocs : Infinity;
    const touched: Member[] = [];
    for (const stat of terms) {
      const list = stat.postings;
      if (list.length === 0 || stat.df > common) continue;
      const factor = stat.query * this.idf(stat);
      for (let i = list.length - 1; i >= 0 && i >= list.length - POSTINGS_READ; i -= 1) {
        const posting = list[i]!;
        const member = posting.member;
        if (member.story.gone) continue;
        if (member.partialMark !== mark) {
          member.partialMark = mark;
          member.partial = 0;
          touched.push(member);
        }
        member.partial += factor * posting.weight;
      }
    }
    // Exact cosine for the most promising members, then their stories.
    const storyLinks = new Map<StoryState, number>();
    for (const member of topMembers(touched, MEMBERS_SCORED)) {
      if (this.isClosed(member.story)) continue;
      const link = this.cosineWith(mark, queryNorm, member.terms, member.weights);
      storyLinks.set(member.story, Math.max(storyLinks.get(member.story) ?? 0, link));
    }
    const candidates = [...storyLinks.entries()].sort((a, b) => b[1] - a[1]).slice(0, STORIES_SCORED);
    let best: { state: StoryState; score: number } | undefined;
    let marked: { state: StoryState; score: number } | undefined;
    for (const [state, link] of candidates) {
      const fade = this.timeFactor(state, time);
      if (fade <= 0) continue;
      const score = fade * Math.max(this.cosineWith(mark, queryNorm, state.centroid.keys(), state.centroid.values()), MEMBER_LINK_WEIGHT * link);
      if (!best || score > best.score) best = { state, score };
      if (score >= MARKER_MIN_SIMILARITY && (!marked || score > marked.score) && this.namesMarker(state, titleNames, time)) marked = { state, score };
    }
    return best && best.score >= this.minSimilarity ? best.state : marked?.state;
  }

  /** True when the headline names one of the story's markers and the story moved within the last hours. */
  private namesMarker(state: StoryState, titleNames: readonly TermStat[], time: number | undefined): boolean {
    if (time === undefined || state.last === undefined || Math.abs(time - state.last) > MARKER_HOURS * HOUR_MS) return false;
    for (const stat of titleNames) {
      if (!state.headlineNames.has(stat) || stat.markerDf <= 0) continue;
      const inStory = (state.markerCounts.get(stat) ?? 0) / state.members.length;
      const inStream = stat.markerDf / (this.liveDocs + MARKER_PRIOR_DOCS);
      if (inStory >= MARKER_LIFT * inStream) return true;
    }
    return false;
  }

  /** Cosine of the marked query with raw weights, both weighted with the current IDF. */
  private cosineWith(mark: number, queryNorm: number, terms: Iterable<TermStat>, weights: Iterable<number>): number {
    let dot = 0;
    let sum = 0;
    const values = weights[Symbol.iterator]();
    for (const stat of terms) {
      const value = (values.next().value ?? 0) * this.idf(stat);
      sum += value * value;
      if (stat.queryMark === mark) dot += value * stat.query;
    }
    return sum > 0 ? dot / (queryNorm * Math.sqrt(sum)) : 0;
  }

  /** A story whose newest item is older than the window before the newest doc can take no more items. */
  private isClosed(state: StoryState): boolean {
    return this.latest !== undefined && state.last !== undefined && state.last < this.latest - (1 + FADE_WINDOWS) * this.windowMs;
  }

  private open(doc: Doc): StoryState {
    let id = `s-${shortHash(doc.id)}`;
    for (let n = 2; this.states.has(id); n += 1) id = `s-${shortHash(`${doc.id}#${n}`)}`;
    const state: StoryState = { id, members: [], centroid: new Map(), markerCounts: new Map(), headlineNames: new Set(), sources: [], first: undefined, last: undefined, firstSeen: '', lastSeen: '', gone: false };
    this.states.set(id, state);
    this.order.push(id);
    return state;
  }

  private join(state: StoryState, member: Member): void {
    state.members.push(member);
    member.terms.forEach((stat, i) => {
      const weight = member.weights[i]!;
      state.centroid.set(stat, (state.centroid.get(stat) ?? 0) + weight / (member.rawNorm || 1));
      stat.postings.push({ member, weight });
      if (stat.postings.length > POSTINGS_KEPT) stat.postings.splice(0, stat.postings.length - POSTINGS_READ);
    });
    if (state.centroid.size > CENTROID_TERMS * 1.5) {
      // Keep the strongest terms; ties go to the term seen first, so the result is deterministic.
      const kept = [...state.centroid.entries()].sort((a, b) => b[1] - a[1]).slice(0, CENTROID_TERMS);
      state.centroid = new Map(kept);
    }
    for (const stat of member.markers) state.markerCounts.set(stat, (state.markerCounts.get(stat) ?? 0) + 1);
    for (const hash of member.sketch) {
      let list = this.sketches.get(hash);
      if (!list) this.sketches.set(hash, (list = []));
      list.push(member);
      if (list.length > POSTINGS_KEPT) list.splice(0, list.length - POSTINGS_READ);
    }
    const source = member.doc.source.trim();
    if (source && !state.sources.includes(source)) state.sources.push(source);
    const published = member.doc.published ?? '';
    if (member.time !== undefined) {
      if (state.first === undefined || member.time < state.first) {
        state.first = member.time;
        state.firstSeen = published;
      }
      if (state.last === undefined || member.time > state.last) {
        state.last = member.time;
        state.lastSeen = published;
      }
    }
  }

  private toStory(state: StoryState): Story {
    // The centroid itself is the query here: mark its terms with their IDF-weighted values.
    this.mark += 1;
    const mark = this.mark;
    let centroidNorm = 0;
    for (const [stat, weight] of state.centroid) {
      stat.query = weight * this.idf(stat);
      stat.queryMark = mark;
      centroidNorm += stat.query * stat.query;
    }
    centroidNorm = Math.sqrt(centroidNorm);
    let headline = state.members[0]?.doc.title ?? '';
    let bestScore = -1;
    for (const member of state.members) {
      if (!member.doc.title.trim()) continue;
      // Earlier items win ties: the first report usually names the event plainly.
      const score = centroidNorm > 0 ? this.cosineWith(mark, centroidNorm, member.terms, member.weights) : 0;
      if (score > bestScore + 1e-9) {
        bestScore = score;
        headline = member.doc.title;
      }
    }
    return {
      id: state.id,
      itemIds: state.members.map((member) => member.doc.id),
      headline,
      sources: [...state.sources],
      firstSeen: state.firstSeen,
      lastSeen: state.lastSeen,
    };
  }
}

function publishedOrder(a: Doc, b: Doc): number {
  const ta = timeOf(a);
  const tb = timeOf(b);
  if (ta === undefined || tb === undefined) return ta === undefined ? (tb === undefined ? 0 : 1) : -1;
  return ta - tb || a.id.localeCompare(b.id);
}

/** Clusters docs into stories, feeding them to a StoryIndex in order of publication. */
export function clusterStories(docs: readonly Doc[], opts: ClusterOptions): Story[] {
  const index = new StoryIndex(opts);
  for (const doc of [...docs].sort(publishedOrder)) index.add(doc);
  return index.stories();
}
