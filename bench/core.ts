/**
 * `npm run bench -- core`: 10,000 items of realistic length through topic matching, story
 * clustering and the baseline delta, against a bare wink-nlp pass (sentences and tokens) over the
 * same text in the same run. Also the per-item cost of `StoryIndex.add` with 100 vs 10,000 open
 * stories, which must stay flat (no all-pairs comparison). Prints figures; asserts nothing.
 */
import { readFileSync } from 'node:fs';
import winkNLP from 'wink-nlp';
import type { ItemSentence, ItemToken } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { StoryIndex, cleanBaselineText, diffAgainstBaseline, matchTopics, summarizeUpdate } from '../src/news/index.ts';
import type { Doc, TopicDef } from '../src/news/types.ts';

const root = new URL('../', import.meta.url);
const PLACES = ['Paris', 'Brussels', 'Bamako', 'Tunis', 'Beirut', 'Raqqa', 'Antalya', 'Vienna', 'Manila', 'Ankara', 'Mosul', 'Aleppo'];
const NAMES = ['Amira Haddad', 'Jonas Berg', 'Lucia Ferro', 'Tomas Novak', 'Noor Rahman', 'Pavel Orlov', 'Ines Duarte', 'Kofi Mensah'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** Items of realistic length: eval texts stitched into 4-8 sentence bodies, with varied names, places and numbers. */
function makeItems(count: number, seed: readonly Doc[]): Doc[] {
  const bodies = seed.filter((doc) => doc.text.trim());
  const items: Doc[] = [];
  const start = Date.parse('2015-11-14T00:00:00Z');
  for (let i = 0; i < count; i += 1) {
    const a = bodies[i % bodies.length]!;
    const b = bodies[(i * 7 + 3) % bodies.length]!;
    const place = PLACES[i % PLACES.length]!;
    const name = NAMES[(i >> 3) % NAMES.length]!;
    const day = WEEKDAYS[i % WEEKDAYS.length]!;
    const extra = `${name} said on ${day} that at least ${20 + (i % 97)} people were hurt in ${place}, and that ${100 + (i % 900)} families had left the area.`;
    items.push({
      id: `bench-${i}`,
      title: `${a.title} (${place} ${i % 50})`,
      text: `${a.text}\n${extra}\n${b.text}`,
      published: new Date(start + i * 180_000).toISOString(),
      source: `Outlet ${i % 13}`,
    });
  }
  return items;
}

let winkInstance: ReturnType<typeof winkNLP> | undefined;

function winkPass(docs: readonly Doc[]): number {
  winkInstance ??= winkNLP(model);
  const nlp = winkInstance;
  let tokens = 0;
  for (const doc of docs) {
    for (const block of `${doc.title}\n${doc.text}`.split('\n')) {
      if (!block.trim()) continue;
      nlp.readDoc(block).sentences().each((sentence: ItemSentence) => {
        sentence.tokens().each((token: ItemToken) => {
          if (token.out()) tokens += 1;
        });
      });
    }
  }
  return tokens;
}

/**
 * Mean microseconds per `add` of fresh items into an index that already holds `open` stories.
 * The probes are parsed beforehand (through a scratch index, which fills the parse memo), so the
 * figure is the index's own cost and the two sizes compare like with like.
 */
function addCost(open: number, base: readonly Doc[], probe: readonly Doc[]): { micros: number; stories: number } {
  const index = new StoryIndex({ windowHours: 24 * 365 });
  // Distinct stories: each filler item is mostly its own rare words, so it opens a story of its
  // own, plus one word of the real items' headlines, so the index's postings for those words fill up.
  const vocabulary = [...new Set(base.flatMap((doc) => doc.title.toLowerCase().split(/[^a-z]+/).filter((word) => word.length > 4)))];
  for (let i = 0; i < open; i += 1) {
    const doc = base[i % base.length]!;
    const tag = i.toString(36);
    index.add({ ...doc, id: `open-${i}`, title: `Zq${tag} Yv${tag} report`, text: `Zq${tag}x Yv${tag}y Wk${tag}z spoke about ${vocabulary[i % vocabulary.length]}.` });
  }
  const stories = index.stories().length;
  const scratch = new StoryIndex({ windowHours: 24 * 365 });
  for (const doc of probe) scratch.add({ ...doc, id: `probe-${doc.id}` });
  const begin = process.hrtime.bigint();
  for (const doc of probe) index.add({ ...doc, id: `probe-${doc.id}` });
  return { micros: Number(process.hrtime.bigint() - begin) / 1000 / probe.length, stories };
}

function measure(args: string[]): void {
  const count = Number(args[0] ?? 10_000) || 10_000;
  const seed = readFileSync(new URL('test/eval/items.jsonl', root), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Doc);
  const topics = (JSON.parse(readFileSync(new URL('config/default.json', root), 'utf8')) as { topics: TopicDef[] }).topics;
  const baselineRaw = readFileSync(new URL('config/baseline/upi-2015-11-16-obama-cameron-putin.txt', root), 'utf8');
  const baseline: Doc = { id: 'baseline', ...cleanBaselineText(baselineRaw), published: '2015-11-16T12:00:00Z', source: 'UPI' };
  const items = makeItems(count, seed);
  const totalWords = items.reduce((sum, doc) => sum + words(doc.title) + words(doc.text), 0);

  // Warm up the model once so neither pass pays for loading it.
  winkPass(items.slice(0, 20));
  // The two passes alternate in chunks, so a neighbour's load on this machine slows both alike
  // and the ratio stays meaningful.
  const CHUNK = 500;
  let winkNs = 0n;
  let coreNs = 0n;
  let tokens = 0;
  const index = new StoryIndex({ windowHours: 72 });
  let matched = 0;
  let changed = 0;
  for (let from = 0; from < items.length; from += CHUNK) {
    const chunk = items.slice(from, from + CHUNK);
    const winkStart = process.hrtime.bigint();
    tokens += winkPass(chunk);
    const coreStart = process.hrtime.bigint();
    winkNs += coreStart - winkStart;
    for (const doc of chunk) {
      if (matchTopics(doc, topics).length > 0) matched += 1;
      index.add(doc);
      changed += diffAgainstBaseline([doc], [baseline]).figures.changed.length;
    }
    coreNs += process.hrtime.bigint() - coreStart;
  }
  const winkSeconds = Number(winkNs) / 1e9;
  const coreSeconds = Number(coreNs) / 1e9;
  const stories = index.stories().length;

  const summaryDocs = items.slice(0, 60);
  const summaryWords = summaryDocs.reduce((sum, doc) => sum + words(doc.title) + words(doc.text), 0);
  const summaryStart = process.hrtime.bigint();
  summarizeUpdate(summaryDocs.map((doc) => ({ ...doc, id: `sum-${doc.id}` })), [baseline], { words: 100, query: 'Paris attacks' });
  const summaryMs = Number(process.hrtime.bigint() - summaryStart) / 1e6;

  const probe = items.slice(0, 200);
  const at100 = addCost(100, items, probe);
  const at10k = addCost(10_000, items, probe);

  const rss = process.resourceUsage().maxRSS / 1024;
  const line = (label: string, value: string): void => void process.stdout.write(`${label.padEnd(44)}${value}\n`);
  line('items', `${count} (${totalWords} words, ${tokens} wink tokens)`);
  line('match + cluster + delta', `${coreSeconds.toFixed(2)} s: ${(count / coreSeconds).toFixed(0)} items/s, ${(totalWords / coreSeconds).toFixed(0)} words/s`);
  line('bare wink-nlp pass (sentences, tokens)', `${winkSeconds.toFixed(2)} s: ${(totalWords / winkSeconds).toFixed(0)} words/s`);
  line('ratio core / wink', (coreSeconds / winkSeconds).toFixed(2));
  line('stories / items matching a topic / changes', `${stories} / ${matched} / ${changed}`);
  line(`summarize ${summaryWords} words (cold)`, `${summaryMs.toFixed(0)} ms`);
  line(`StoryIndex.add with ${at100.stories} open stories`, `${at100.micros.toFixed(0)} us/item (text parsed beforehand)`);
  line(`StoryIndex.add with ${at10k.stories} open stories`, `${at10k.micros.toFixed(0)} us/item (text parsed beforehand)`);
  line('peak RSS', `${rss.toFixed(0)} MB`);
}

export function run(args: string[]): Promise<void> {
  measure(args);
  return Promise.resolve();
}
