/**
 * `npm run bench -- <name>...`: runs the named benchmarks (all when none is named). Each bench is
 * a module in this folder exporting `run(args): Promise<void>` that prints its own figures.
 * Benchmarks print numbers; they never assert wall times (CI machines are shared and noisy).
 */
import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = (await readdir(here))
  .filter((name) => name.endsWith('.ts') && name !== 'run.ts' && !name.startsWith('_'))
  .map((name) => name.slice(0, -3))
  .sort();

const [first, ...rest] = process.argv.slice(2);
const chosen = first ? [first] : available;
for (const name of chosen) {
  if (!available.includes(name)) {
    process.stderr.write(`bench: no benchmark "${name}"; available: ${available.join(', ') || 'none'}\n`);
    process.exit(2);
  }
  const module = (await import(`./${name}.ts`)) as { run: (args: string[]) => Promise<void> };
  process.stdout.write(`== bench ${name}\n`);
  await module.run(first ? rest : []);
}
