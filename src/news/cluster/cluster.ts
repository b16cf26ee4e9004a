import { findMentions } from '../text/entities.ts';
import { parseDoc } from '../text/document.ts';
import { contentTerms, cosine, norm, type Vector } from '../text/words.ts';
import type { Doc, Story } from '../types.ts';

export interface ClusterOptions {
  /** Items of one story are published within this many hours of the story's latest item. */
  windowHours: number;
  /** Cosine similarity an item needs to join a story (default 0.22). */
  minSimilarity?: number;
}

export const DEFAULT_MIN_SIMILARITY = 0.22;
const TITLE_WEIGHT = 2;
const ENTITY_WEIGHT = 1.5;
const LEAD_SENTENCES = 2;
/** Terms of a doc used to look up candidate stories: enough to find them, few enough to stay cheap. */
const LOOKUP_TERMS = 12;
/** Shingle overlap above which two texts are copies of one wire story. */
const NEAR_DUPLICATE = 0.7;
const HOUR_MS = 3_600_000;
/** Recent items of a story an item is also compared with, and how much such a match counts. */
const MEMBER_LINKS = 12;
const MEMBER_LINK_WEIGHT = 0.9;

/** A StoryIndex as plain JSON: its options and its docs in the order they were added. */
export interface StoryIndexSnapshot {
  version: 1;
  windowHours: number;
  minSimilarity: number;
  docs: Doc[];
}

interface Member {
  /** Order of arrival, so a snapshot replays docs as they came. */
  seq: number;
  doc: Doc;
  vector: Vector;
  vectorNorm: number;
  shingles: Set<string>;
  time: number | undefined;
}

interface StoryState {
  id: string;
  members: Member[];
  centroid: Vector;
  sources: string[];
  first: number | undefined;
  last: number | undefined;
  firstSeen: string;
  lastSeen: string;
}

function timeOf(doc: Doc): number | undefined {
  if (!doc.published) return undefined;
  const time = Date.parse(doc.published);
  return Number.isNaN(time) ? undefined : time;
}

/** FNV-1a: a short stable hash, so a story's id depends only on its seed item. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

function shinglesOf(text: string): Set<string> {
  const words = text.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, ' ').split(/\s+/).filter(Boolean).slice(0, 120);
  const shingles = new Set<string>();
  for (let i = 0; i + 3 <= words.length; i += 1) shingles.add(words.slice(i, i + 3).join(' '));
  return shingles;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const item of a) if (b.has(item)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/** Weighted raw term counts of a doc: title, lead sentences and names. */
function rawTerms(doc: Doc): Vector {
  const counts: Vector = new Map();
  const add = (term: string, weight: number): void => {
    counts.set(term, (counts.get(term) ?? 0) + weight);
  };
  // The parsed doc has its dateline cut off: "(GW)" and the city of filing say nothing about the event.
  const parsed = parseDoc(doc);
  const title = parsed.titleSentences;
  for (const sentence of title) for (const term of contentTerms(sentence.tokens)) add(term, TITLE_WEIGHT);
  const lead = parsed.sentences === title ? [] : parsed.sentences.slice(0, LEAD_SENTENCES);
  for (const sentence of lead) for (const term of contentTerms(sentence.tokens)) add(term, 1);
  for (const mention of findMentions([...title, ...lead])) add(`@${mention.key}`, ENTITY_WEIGHT);
  // Bare numbers match too easily across unrelated stories; keep only those of 3+ digits.
  for (const term of [...counts.keys()]) if (/^\d{1,2}(?:\.\d+)?$/.test(term)) counts.delete(term);
  return counts;
}

/**
 * Groups documents into stories as they arrive. Each doc is compared only with open stories
 * (recent enough) that share one of its strongest terms, so the cost of adding a doc does not
 * grow with the number of stories seen.
 */
export class StoryIndex {
  private readonly windowMs: number;
  private readonly minSimilarity: number;
  private readonly states = new Map<string, StoryState>();
  private readonly order: string[] = [];
  private readonly docStory = new Map<string, string>();
  /** term -> ids of stories whose centroid holds it */
  private readonly postings = new Map<string, Set<string>>();
  /** exact text fingerprint -> story id, for syndicated copies */
  private readonly fingerprints = new Map<string, string>();
  private readonly documentFrequency = new Map<string, number>();
  private docCount = 0;
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
    this.docCount += 1;
    for (const term of raw.keys()) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
    const vector = this.weigh(raw);
    const time = timeOf(doc);
    if (time !== undefined) this.latest = this.latest === undefined ? time : Math.max(this.latest, time);
    const member: Member = { seq: this.docCount, doc, vector, vectorNorm: norm(vector), shingles: shinglesOf(`${doc.title} ${doc.text}`), time };

    const fingerprint = `${doc.title}\n${doc.text}`.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    const copyOf = fingerprint.length > 20 ? this.fingerprints.get(fingerprint) : undefined;
    const target = copyOf ? this.states.get(copyOf) : this.bestStory(member);
    const state = target ?? this.open(doc);
    this.join(state, member);
    if (fingerprint.length > 20 && !copyOf) this.fingerprints.set(fingerprint, state.id);
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
      this.states.delete(id);
      for (const member of state.members) this.docStory.delete(member.doc.id);
      for (const term of state.centroid.keys()) {
        const ids = this.postings.get(term);
        ids?.delete(id);
        if (ids && ids.size === 0) this.postings.delete(term);
      }
    }
    if (dropped.length > 0) {
      const gone = new Set(dropped);
      for (const [fingerprint, id] of this.fingerprints) if (gone.has(id)) this.fingerprints.delete(fingerprint);
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

  private weigh(raw: Vector): Vector {
    const vector: Vector = new Map();
    for (const [term, count] of raw) {
      const df = this.documentFrequency.get(term) ?? 1;
      const idf = Math.log((this.docCount + 1) / df) + 1;
      vector.set(term, (1 + Math.log(count)) * idf);
    }
    return vector;
  }

  private withinWindow(state: StoryState, time: number | undefined): boolean {
    if (time === undefined || state.first === undefined || state.last === undefined) return true;
    return time >= state.first - this.windowMs && time <= state.last + this.windowMs;
  }

  private bestStory(member: Member): StoryState | undefined {
    const strongest = [...member.vector.entries()].sort((a, b) => b[1] - a[1]).slice(0, LOOKUP_TERMS);
    const candidates = new Set<string>();
    for (const [term] of strongest) {
      const ids = this.postings.get(term);
      if (!ids) continue;
      for (const id of ids) {
        const state = this.states.get(id)!;
        if (this.isClosed(state)) ids.delete(id);
        else candidates.add(id);
      }
    }
    let best: { state: StoryState; score: number } | undefined;
    for (const id of candidates) {
      const state = this.states.get(id)!;
      if (!this.withinWindow(state, member.time)) continue;
      let score = cosine(member.vector, state.centroid, member.vectorNorm);
      // A story that grew broad still takes an item close to one of its recent items.
      for (const other of state.members.slice(-MEMBER_LINKS)) score = Math.max(score, MEMBER_LINK_WEIGHT * cosine(member.vector, other.vector, member.vectorNorm, other.vectorNorm));
      // Wire copies carried by several outlets join whatever their wording around the copy.
      if (score < this.minSimilarity && state.members.slice(-20).some((other) => jaccard(member.shingles, other.shingles) >= NEAR_DUPLICATE)) score = 1;
      if (!best || score > best.score) best = { state, score };
    }
    return best && best.score >= this.minSimilarity ? best.state : undefined;
  }

  /** A story whose newest item is older than the window before the newest doc can take no more items. */
  private isClosed(state: StoryState): boolean {
    return this.latest !== undefined && state.last !== undefined && state.last < this.latest - 2 * this.windowMs;
  }

  private open(doc: Doc): StoryState {
    let id = `s-${shortHash(doc.id)}`;
    for (let n = 2; this.states.has(id); n += 1) id = `s-${shortHash(`${doc.id}#${n}`)}`;
    const state: StoryState = { id, members: [], centroid: new Map(), sources: [], first: undefined, last: undefined, firstSeen: '', lastSeen: '' };
    this.states.set(id, state);
    this.order.push(id);
    return state;
  }

  private join(state: StoryState, member: Member): void {
    state.members.push(member);
    for (const [term, weight] of member.vector) {
      const had = state.centroid.has(term);
      state.centroid.set(term, (state.centroid.get(term) ?? 0) + weight / (member.vectorNorm || 1));
      if (!had) {
        let ids = this.postings.get(term);
        if (!ids) this.postings.set(term, (ids = new Set()));
        ids.add(state.id);
      }
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
    const centroidNorm = norm(state.centroid);
    let headline = state.members[0]?.doc.title ?? '';
    let bestScore = -1;
    for (const member of state.members) {
      if (!member.doc.title.trim()) continue;
      // Earlier items win ties: the first report usually names the event plainly.
      const score = cosine(member.vector, state.centroid, member.vectorNorm, centroidNorm);
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
