import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { oneLine } from '../errors.ts';
import { StoryIndex, cleanBaselineText, diffAgainstBaseline, summarizeUpdate } from '../news/index.ts';
import type { Delta, Doc } from '../news/types.ts';

const STORY_WINDOW_HOURS = 72;

class UsageError extends Error {}

function fail(command: string, message: string, code: number): number {
  process.stderr.write(`sitrep: ${command}: ${message}\n`);
  return code;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : oneLine(error);
}

async function readText(what: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${what} file ${file}: ${errorCode(error)}`, { cause: error });
  }
}

/** An item file: headline on the first line, body after it. */
async function readItem(file: string): Promise<Doc> {
  const raw = (await readText('item', file)).replace(/\r\n?/g, '\n').replace(/^\uFEFF/, '');
  const [first = '', ...rest] = raw.split('\n');
  return { id: file, title: first.trim(), text: rest.join('\n').trim(), published: null, source: '' };
}

async function readBaseline(file: string): Promise<Doc> {
  const { title, text } = cleanBaselineText(await readText('baseline', file));
  return { id: `baseline:${file}`, title, text, published: null, source: '' };
}

/** Runs parseArgs, turning its complaints into usage errors (exit 2). */
function parseOrUsage<T>(parseCall: () => T): T {
  try {
    return parseCall();
  } catch (error) {
    throw new UsageError(oneLine(error));
  }
}

async function guarded(command: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    return fail(command, oneLine(error), error instanceof UsageError ? 2 : 1);
  }
}

function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((entry): entry is string => typeof entry === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** `sitrep summarize --baseline <file>... --words <n> [--query <text>] <item file>...` */
export async function runSummarize(argv: string[]): Promise<number> {
  return guarded('summarize', async () => {
    const { values, positionals } = parseOrUsage(() =>
      parseArgs({
        args: argv,
        allowPositionals: true,
        options: { baseline: { type: 'string', multiple: true }, words: { type: 'string' }, query: { type: 'string' } },
      }),
    );
    const words = Number(values.words);
    if (values.words === undefined || !Number.isInteger(words) || words <= 0) throw new UsageError('--words <n> must be a positive whole number');
    if (positionals.length === 0) throw new UsageError('give at least one item file');
    const baselines = await Promise.all(stringList(values.baseline).map((file) => readBaseline(file)));
    const items = await Promise.all(positionals.map((file) => readItem(file)));
    const query = typeof values.query === 'string' ? values.query : undefined;
    const summary = summarizeUpdate(items, baselines, { words, ...(query ? { query } : {}) });
    const text = summary.map((sentence) => sentence.text).join(' ');
    process.stdout.write(text ? `${text}\n` : '');
    return 0;
  });
}

function deltaText(delta: Delta): string {
  const lines: string[] = [];
  lines.push(`New names: ${delta.entities.new.length ? delta.entities.new.join(', ') : '(none)'}`);
  lines.push('Changed figures:');
  if (delta.figures.changed.length === 0) lines.push('  (none)');
  for (const figure of delta.figures.changed) lines.push(`  ${figure.what}: ${figure.from} -> ${figure.to}`, `    "${figure.evidence}"`);
  lines.push('New figures:');
  if (delta.figures.new.length === 0) lines.push('  (none)');
  for (const figure of delta.figures.new) lines.push(`  ${figure.what}: ${figure.value}`, `    "${figure.evidence}"`);
  lines.push('New sentences:');
  if (delta.sentences.length === 0) lines.push('  (none)');
  for (const sentence of delta.sentences) lines.push(`  - ${sentence}`);
  return `${lines.join('\n')}\n`;
}

/** `sitrep delta --baseline <file>... <item file>... [--json]` */
export async function runDelta(argv: string[]): Promise<number> {
  return guarded('delta', async () => {
    const { values, positionals } = parseOrUsage(() =>
      parseArgs({
        args: argv,
        allowPositionals: true,
        options: { baseline: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } },
      }),
    );
    const baselineFiles = stringList(values.baseline);
    if (baselineFiles.length === 0) throw new UsageError('give at least one --baseline <file>');
    if (positionals.length === 0) throw new UsageError('give an item file');
    const baselines = await Promise.all(baselineFiles.map((file) => readBaseline(file)));
    const items = await Promise.all(positionals.map((file) => readItem(file)));
    const delta = diffAgainstBaseline(items, baselines);
    const shaped = { entities: { new: delta.entities.new }, figures: { changed: delta.figures.changed, new: delta.figures.new }, sentences: delta.sentences };
    process.stdout.write(values.json === true ? `${JSON.stringify(shaped)}\n` : deltaText(delta));
    return 0;
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function itemFromLine(line: string): Doc | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const record = value as Record<string, unknown>;
  if (typeof record.id !== 'string' || !record.id) return 'lacks a string "id"';
  if (typeof record.title !== 'string') return 'lacks a string "title"';
  const published = typeof record.published === 'string' && !Number.isNaN(Date.parse(record.published)) ? new Date(record.published).toISOString() : null;
  return {
    id: record.id,
    title: record.title,
    text: typeof record.text === 'string' ? record.text : '',
    published,
    source: typeof record.source === 'string' ? record.source : '',
  };
}

/** `sitrep stories [--json] < items.jsonl` */
export async function runStories(argv: string[]): Promise<number> {
  return guarded('stories', async () => {
    const { values, positionals } = parseOrUsage(() =>
      parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean', default: false } } }),
    );
    if (positionals.length > 0) throw new UsageError('reads items from standard input; takes no file arguments');
    const lines = (await readStdin()).split(/\r?\n/);
    const items: Doc[] = [];
    let bad = 0;
    lines.forEach((line, index) => {
      if (!line.trim()) return;
      const item = itemFromLine(line);
      if (typeof item === 'string') {
        bad += 1;
        process.stderr.write(`sitrep: stories: line ${index + 1}: ${item}\n`);
      } else items.push(item);
    });
    const time = (doc: Doc): number => (doc.published ? Date.parse(doc.published) : Number.POSITIVE_INFINITY);
    const ordered = items.map((item, index) => ({ item, index })).sort((a, b) => time(a.item) - time(b.item) || a.index - b.index);
    const index = new StoryIndex({ windowHours: STORY_WINDOW_HOURS });
    for (const { item } of ordered) index.add(item);
    if (values.json === true) {
      for (const item of items) process.stdout.write(`${JSON.stringify({ id: item.id, story: index.storyOf(item.id) ?? null })}\n`);
    } else {
      const byId = new Map(items.map((item) => [item.id, item]));
      for (const story of index.stories()) {
        const span = story.firstSeen ? ` (${story.firstSeen}${story.lastSeen !== story.firstSeen ? ` .. ${story.lastSeen}` : ''})` : '';
        process.stdout.write(`${story.id}: ${story.headline}${span}\n`);
        if (story.sources.length) process.stdout.write(`  sources: ${story.sources.join(', ')}\n`);
        for (const id of story.itemIds) process.stdout.write(`  - ${id}: ${byId.get(id)?.title ?? ''}\n`);
      }
    }
    return bad > 0 ? 1 : 0;
  });
}
