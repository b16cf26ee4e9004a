import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../harness/bot-process.ts';

const LAUNCH = pathToFileURL(join(ROOT, 'src/cli/launch.mjs')).href;

/** Runs `launch(entry, { cacheDir })` in a fresh node process. */
function launched(
  entry: string,
  cacheDir: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `const { launch } = await import(${JSON.stringify(LAUNCH)}); await launch(${JSON.stringify(entry)}, { cacheDir: ${JSON.stringify(cacheDir)} });`;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { cwd: ROOT, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        resolve({ code: typeof error?.code === 'number' ? error.code : error ? 1 : 0, stdout, stderr });
      },
    );
  });
}

/** The compiled versions in a cache folder, with their entry module's modification time. */
function versions(cacheDir: string): Array<{ name: string; at: number }> {
  if (!existsSync(cacheDir)) return [];
  return readdirSync(cacheDir).map((name) => ({
    name,
    at: statSync(join(cacheDir, name, 'main.mjs')).mtimeMs,
  }));
}

describe('launching TypeScript as compiled JavaScript (bin/sitrep, npm run bench)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sitrep-launch-'));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  // An entry with a module of its own, one it imports when asked, and an error to throw.
  const app = join(dir, 'app');
  await mkdir(app);
  // ES modules, as this project's own are (tsx reads the type from here).
  await writeFile(join(app, 'package.json'), JSON.stringify({ type: 'module' }));
  const entry = join(app, 'entry.ts');
  await writeFile(join(app, 'part.ts'), `export const greeting: string = 'hello from part';\n`);
  await writeFile(join(app, 'later.ts'), `export function later(): string {\n  return 'loaded later';\n}\n`);
  await writeFile(
    entry,
    [
      `import { greeting } from './part.ts';`,
      `console.log(greeting);`,
      `console.log(import.meta.url);`,
      `const { later } = await import('./later.ts');`,
      `console.log(later());`,
      `if (process.env['THROW'] === '1') {`,
      `  throw new Error('thrown from the entry');`,
      `}`,
      '',
    ].join('\n'),
  );
  const expected = ['hello from part', pathToFileURL(entry).href, 'loaded later', ''].join('\n');

  it('compiles an entry once per version of its sources and runs it, import.meta.url naming the source', async () => {
    const cache = join(dir, 'cache');
    const first = await launched(entry, cache);
    expect(first).toMatchObject({ code: 0, stdout: expected });
    const compiled = versions(cache);
    expect(compiled).toHaveLength(1);

    // Unchanged sources: the same compiled modules, not written again.
    expect(await launched(entry, cache)).toMatchObject({ code: 0, stdout: expected });
    expect(versions(cache)).toEqual(compiled);

    // A changed entry is compiled again; its earlier version stays for processes still running it.
    const later = new Date(Date.now() + 5_000);
    await utimes(entry, later, later);
    expect(await launched(entry, cache)).toMatchObject({ code: 0, stdout: expected });
    expect(versions(cache)).toHaveLength(2);
  });

  it('keeps the last five compiled versions of an entry, and drops what a crashed compile left', async () => {
    const cache = join(dir, 'cache-kept');
    // A scratch folder of a compile that crashed an hour ago, and one that may still be running.
    const name = entry.replace(/[^a-z0-9]+/gi, '-');
    const crashed = join(cache, `${name}-0000000000000000.1.tmp`);
    const running = join(cache, `${name}-0000000000000000.2.tmp`);
    await mkdir(crashed, { recursive: true });
    await mkdir(running, { recursive: true });
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(crashed, hourAgo, hourAgo);
    for (let version = 1; version <= 7; version += 1) {
      const at = new Date(Date.now() + version * 60_000);
      await utimes(entry, at, at);
      expect((await launched(entry, cache)).code).toBe(0);
    }
    expect(existsSync(crashed)).toBe(false);
    expect(existsSync(running)).toBe(true);
    await rm(running, { recursive: true });
    expect(versions(cache)).toHaveLength(5);
  });

  it('reports errors at the source file and line, not the compiled one', async () => {
    const run = await launched(entry, join(dir, 'cache'), { THROW: '1' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('thrown from the entry');
    expect(run.stderr).toContain(`${entry}:7`);
    expect(run.stderr).not.toContain('main.mjs');
  });

  it('runs the sources through tsx where nothing can be compiled to', async () => {
    // A folder inside a plain file cannot be made.
    const blocked = join(dir, 'not-a-folder');
    await writeFile(blocked, '');
    const cache = join(blocked, 'cache');
    expect(await launched(entry, cache)).toMatchObject({ code: 0, stdout: expected });
    expect(existsSync(cache)).toBe(false);
  });
});
