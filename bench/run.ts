/**
 * `npm run bench -- <name>...`: runs the named benchmarks (all when none is named). Each bench is
 * a module in this folder exporting `run(args): Promise<void>` that prints its own figures.
 * Benchmarks print numbers; they never assert wall times (CI machines are shared and noisy).
 */
interface Bench {
  run: (args: string[]) => Promise<void>;
}

// Listed, not read from the folder: each is compiled with the bot's code (bench/main.mjs), and
// an import() of a computed path could not be.
const benches: Record<string, () => Promise<Bench>> = {
  brief: () => import('./brief.ts'),
  core: () => import('./core.ts'),
  feeds: () => import('./feeds.ts'),
  scale: () => import('./scale.ts'),
};
const available = Object.keys(benches).sort();

const [first, ...rest] = process.argv.slice(2);
const chosen = first ? [first] : available;
for (const name of chosen) {
  const load = benches[name];
  if (!load) {
    process.stderr.write(`bench: no benchmark "${name}"; available: ${available.join(', ')}\n`);
    process.exit(2);
  }
  const module = await load();
  process.stdout.write(`== bench ${name}\n`);
  await module.run(first ? rest : []);
}
