/**
 * A child process for the SQLite crash test: writes items through the store's own SQLite layer,
 * many at once, and prints "ack <n>" once write n's promise has settled (its commit is done).
 * It never stops by itself: the test kills it.
 */
import { SqliteDatabase } from '../../src/store/sqlite.ts';

const path = process.argv[2];
if (!path) throw new Error('usage: sqlite-writer.ts <database file>');
const database = await SqliteDatabase.open(path, 5_000);
const body = 'x'.repeat(3_000);
let next = 0;
const lane = async (): Promise<void> => {
  for (;;) {
    const n = next++;
    const [inserted] = await database.insertNew([[`doc:${n}`, JSON.stringify({ n, body })]]);
    await database.append([[`list:${n % 7}`, String(n)]]);
    await database.setMany([[`state:${n % 50}`, String(n)]]);
    if (inserted) process.stdout.write(`ack ${n}\n`);
  }
};
await Promise.all(Array.from({ length: 8 }, lane));
