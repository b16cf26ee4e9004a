// `npm run bench` starts here, the way bin/sitrep starts the bot: tsx registered in this thread
// only. With `node --import tsx`, every worker thread (the parse pool, the checkpoint thread)
// inherits the flag and loads a TypeScript loader of its own, which the bot never does: the feeds
// bench measured 20-25 MB more peak RSS that way.
import { register } from 'tsx/esm/api';

register();
await import('./run.ts');
