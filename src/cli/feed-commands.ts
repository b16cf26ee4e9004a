import { readFile, stat } from 'node:fs/promises';
import { isSitrepError, oneLine } from '../errors.ts';
import { parseFeed } from '../feeds/index.ts';

/**
 * Parsing is synchronous inside rss-parser, so no timer can stop a parse once it runs; a size
 * cap bounds how long any one file can take instead.
 */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

type Line =
  | {
      file: string;
      ok: true;
      title: string;
      items: Array<{ id: string; title: string; link: string | null; published: string; text: string }>;
    }
  | { file: string; ok: false; error: string };

/** The reason, for a person reading the CLI: technical messages lose their "feeds: " prefix. */
function reason(error: unknown): string {
  // Node's file errors carry a string `code` too, so they are told apart by their `syscall`.
  const { code, syscall } = (error ?? {}) as { code?: unknown; syscall?: unknown };
  if (typeof syscall === 'string' && typeof code === 'string') return `cannot read file: ${code}`;
  if (isSitrepError(error)) return oneLine(error.message.replace(/^feeds: /, ''));
  return oneLine(error);
}

async function parseFile(file: string): Promise<Line> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return { file, ok: false, error: 'cannot read file: not a regular file' };
    if (info.size > MAX_FILE_BYTES)
      return { file, ok: false, error: `file too large: ${info.size} bytes, the limit is ${MAX_FILE_BYTES}` };
    const body = await readFile(file);
    const feed = await parseFeed(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), {
      feedUrl: file,
      now: new Date(),
    });
    const items = feed.items.map(({ id, title, link, published, text }) => ({
      id,
      title,
      link,
      published,
      text,
    }));
    return { file, ok: true, title: feed.title, items };
  } catch (error) {
    return { file, ok: false, error: reason(error) };
  }
}

/** `sitrep feed parse FILE...`: one JSON line per file; 0 when every file parsed, 1 otherwise. */
export async function runFeedParse(files: string[]): Promise<number> {
  let failed = 0;
  for (const file of files) {
    const line = await parseFile(file);
    if (!line.ok) failed += 1;
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
  return failed > 0 ? 1 : 0;
}
