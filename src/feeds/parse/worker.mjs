// A parse worker thread. Workers do not inherit the main thread's TypeScript loader, so this
// plain-JavaScript entry compiles the parse code with tsx's require hook, which runs in this
// thread: tsx's ESM loader would start a loader thread of its own, about 25 MB more memory per
// worker (peak RSS of the feeds bench). The parse code must not import() a TypeScript module:
// a dynamic import goes to Node's ESM loader, which this thread leaves without the hook.
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';

register();
const load = /** @type {(id: string) => typeof import('./worker-task.ts')} */ (
  createRequire(import.meta.url)
);
const task = load('./worker-task.ts');

export default task.parseTask;
