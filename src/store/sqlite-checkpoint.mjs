// The checkpoint thread of a SQLite store (sqlite-checkpoints.ts starts it): on each request it
// copies the committed pages of the write-ahead log back into the database file, and waits for the
// disk, with a connection of its own, so the thread that commits does neither. Plain JavaScript,
// so the thread loads no TypeScript loader.
import process from 'node:process';
import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';

// The database file and the busy timeout (ms) come as arguments.
const [path = '', timeout = '5000'] = process.argv.slice(2);
const port = parentPort;
const db = new Database(path, { timeout: Number(timeout) });

port.on('message', (message) => {
  if (message === 'close') {
    db.close();
    port.close();
    return;
  }
  try {
    // PASSIVE never waits for the writer: it copies what is committed and leaves the rest for the next request.
    const [result] = /** @type {Array<{ log: number, checkpointed: number }>} */ (db.pragma('wal_checkpoint(PASSIVE)'));
    port.postMessage({ ok: true, left: result ? result.log - result.checkpointed : 0 });
  } catch (error) {
    port.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
