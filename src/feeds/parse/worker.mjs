// A parse worker thread. Workers do not inherit the main thread's TypeScript loader, so this
// plain-JavaScript entry loads the parse code compiled as bin/sitrep's is (src/cli/launch.mjs):
// no TypeScript loader stays in the thread. tsx's ESM loader would start a module-loader thread
// per worker, about 25 MB each (peak RSS of the feeds bench), and its require hook compiles with
// esbuild's synchronous API, which starts a thread of its own whenever its cache is cold. The
// require hook remains the way when nothing can be compiled (a read-only install); then the
// parse code must not import() a TypeScript module, which Node's ESM loader would get.
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';
import { compiledModule } from '../../cli/launch.mjs';

/** @typedef {typeof import('./worker-task.ts')} Task */

const url = await compiledModule('src/feeds/parse/worker-task.ts');

/** @returns {Promise<Task>} */
async function load() {
  if (url !== null) {
    const importTask = /** @type {(url: string) => Promise<Task>} */ ((specifier) => import(specifier));
    return importTask(url);
  }
  register();
  const requireTask = /** @type {(id: string) => Task} */ (createRequire(import.meta.url));
  return requireTask('./worker-task.ts');
}

export default (await load()).parseTask;
