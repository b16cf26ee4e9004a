// Starts a TypeScript entry point (bin/sitrep: src/cli/main.ts) as plain JavaScript. esbuild
// compiles the entry and everything it imports from this project into a few modules under
// node_modules/.cache/sitrep/, once per version of the sources, and the process imports those.
// tsx, the alternative, compiles in a module-loader thread of its own that stays for the life of
// the process: about 15 MB of memory (the feeds bench, before its first poll) for nothing the bot
// uses after it has started. Where the compiled modules cannot be made (a read-only install),
// tsx runs the sources as before.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** What a compiled entry may import from this project (the rest, packages, is loaded as usual). */
const SOURCES = ['src', 'commands', 'bench', 'package.json'];
/** Inside node_modules, so the compiled modules find the packages as the sources do. */
const CACHE = join(ROOT, 'node_modules', '.cache', 'sitrep');
/** Changed when what is compiled changes in a way the sources do not show. */
const FORMAT = '1';
/** Compiled versions of an entry kept. */
const KEPT = 5;
/** A compile's scratch folder this old was left by a process that crashed. */
const STALE_SCRATCH_MS = 10 * 60_000;

/**
 * Every file under the source folders, with its size and modification time.
 * @param {string} entry
 */
function sourceStamp(entry) {
  const lines = [FORMAT, entry];
  for (const top of [entry, ...SOURCES]) {
    const path = resolve(ROOT, top);
    if (!existsSync(path)) continue;
    const files = statSync(path).isDirectory()
      ? readdirSync(path, { recursive: true }).map((name) => join(path, String(name)))
      : [path];
    for (const file of files.sort()) {
      const stat = statSync(file);
      if (stat.isFile())
        lines.push(`${relative(ROOT, file).split(sep).join('/')} ${stat.size} ${stat.mtimeMs}`);
    }
  }
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
}

/**
 * `import.meta.url` keeps naming the source file, so paths found from it (config/default.json,
 * the parse worker's own entry) are where they were.
 * @type {import('esbuild').Plugin}
 */
const sourceUrls = {
  name: 'source-urls',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll(
        'import.meta.url',
        JSON.stringify(pathToFileURL(args.path).href),
      ),
      loader: 'ts',
    }));
  },
};

/**
 * The compiled entry's path, compiling it first if these sources were not compiled yet.
 * @param {string} entry
 * @param {string} cache
 */
async function compiled(entry, cache) {
  const stamp = sourceStamp(entry);
  const name = entry.replace(/[^a-z0-9]+/gi, '-');
  const dir = join(cache, `${name}-${stamp}`);
  const main = join(dir, 'main.mjs');
  if (existsSync(main)) return main;
  const { build, stop } = await import('esbuild');
  // Another process, or another thread of this one (parse workers), may compile the same sources
  // at the same time: each writes a folder of its own, and the first to rename it into place wins.
  const scratch = `${dir}.${process.pid}-${threadId}.tmp`;
  try {
    await build({
      entryPoints: { main: resolve(ROOT, entry) },
      outdir: scratch,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      // Each import() stays its own module, loaded when needed: `sitrep feed parse` loads no discord.js.
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'error',
      plugins: [sourceUrls],
    });
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  } finally {
    await stop();
  }
  try {
    renameSync(scratch, dir);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    if (!existsSync(main)) throw error;
  }
  // Folders of earlier sources go, but not the last few: a process started from one of them may
  // still load a module from it (each import() is a file of its own). Best effort: another
  // process may be tidying up at the same time.
  try {
    for (const left of readdirSync(cache).filter(
      (old) => old.startsWith(`${name}-`) && old.endsWith('.tmp'),
    )) {
      // What a compile that crashed left behind (a compile takes well under a second).
      const path = join(cache, left);
      if (Date.now() - statSync(path).mtimeMs > STALE_SCRATCH_MS)
        rmSync(path, { recursive: true, force: true });
    }
    const earlier = readdirSync(cache)
      .filter((old) => old.startsWith(`${name}-`) && !old.endsWith('.tmp'))
      .map((old) => ({ path: join(cache, old), at: statSync(join(cache, old)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    for (const { path } of earlier.slice(KEPT)) rmSync(path, { recursive: true, force: true });
  } catch {
    // The next compile tidies up.
  }
  return main;
}

/**
 * The URL of `entry` (a path from the project root, or absolute) compiled with what it imports,
 * or null when it cannot be compiled here. `cacheDir` is for tests: compiled modules outside
 * node_modules find no packages.
 * @param {string} entry
 * @param {{ cacheDir?: string }} [options]
 * @returns {Promise<string | null>}
 */
export async function compiledModule(entry, { cacheDir = CACHE } = {}) {
  try {
    mkdirSync(cacheDir, { recursive: true });
    const main = await compiled(entry, cacheDir);
    // Stack traces name the source files and lines, not the compiled ones.
    process.setSourceMapsEnabled(true);
    return pathToFileURL(main).href;
  } catch {
    return null;
  }
}

/**
 * Runs `entry`: compiled (compiledModule), or through tsx when it cannot be.
 * @param {string} entry
 * @param {{ cacheDir?: string }} [options]
 */
export async function launch(entry, options = {}) {
  const url = await compiledModule(entry, options);
  if (url !== null) {
    await import(url);
    return;
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(resolve(ROOT, entry)).href);
}
