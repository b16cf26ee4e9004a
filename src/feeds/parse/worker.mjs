// A parse worker thread. Workers do not inherit the main thread's TypeScript loader, so this
// plain-JavaScript entry registers tsx before loading the task.
import { register } from 'tsx/esm/api';

register();
const { parseTask } = await import('./worker-task.ts');

export default parseTask;
