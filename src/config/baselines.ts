import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { SitrepError } from '../errors.ts';
import { cleanBaselineText } from '../news/index.ts';
import type { Baseline } from '../news/types.ts';
import type { LoadedConfig } from './load.ts';

export class BaselineError extends SitrepError {
  override readonly name = 'BaselineError' as const;
  readonly file: string;
  constructor(file: string, detail: string, options?: { cause?: unknown }) {
    super('baseline.unreadable', `baseline: ${file}: ${detail}`, options);
    this.file = file;
  }
}

/** Reads one baseline story file: headline on the first real line, then the story. */
export async function readBaseline(
  file: string,
  meta: { source: string; published: string | null; url?: string | null },
): Promise<Baseline> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new BaselineError(file, `cannot read the file (${code})`, { cause: error });
  }
  const { title, text } = cleanBaselineText(raw);
  if (!title || text.trim().length < 20) throw new BaselineError(file, 'the file holds no story text');
  return {
    id: `baseline:${basename(file)}`,
    title,
    text,
    published: meta.published ? new Date(meta.published).toISOString() : null,
    source: meta.source,
    link: meta.url ?? null,
  };
}

/** The baseline of every topic: its own file when it names one, else the config's. */
export async function loadBaselines(loaded: LoadedConfig): Promise<Map<string, Baseline>> {
  const { config } = loaded;
  const meta = { source: config.baseline.source, published: config.baseline.published, url: config.baseline.url ?? null };
  const shared = await readBaseline(loaded.resolvePath(config.baseline.file), meta);
  const result = new Map<string, Baseline>();
  for (const topic of config.topics) {
    result.set(
      topic.id,
      topic.baseline ? await readBaseline(loaded.resolvePath(topic.baseline), { ...meta, url: null }) : shared,
    );
  }
  return result;
}
