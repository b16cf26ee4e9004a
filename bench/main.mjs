// `npm run bench` starts here, the way bin/sitrep starts the bot (src/cli/launch.mjs): the
// benches and the code they measure compiled to plain JavaScript, with no TypeScript loader in
// any thread. With `node --import tsx`, every worker thread (the parse pool, the checkpoint
// thread) would inherit the flag and load a loader of its own, which the bot never does: the
// feeds bench measured 20-25 MB more peak RSS that way.
import { launch } from '../src/cli/launch.mjs';

await launch('bench/run.ts');
