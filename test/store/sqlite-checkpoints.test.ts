import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteDatabase } from '../../src/store/sqlite.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function walBytes(path: string): Promise<number> {
  return (await stat(`${path}-wal`).catch(() => null))?.size ?? 0;
}

describe('SQLite checkpoints in their own thread', () => {
  it('keeps the write-ahead log near its threshold while writes go on, and loses nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sitrep-checkpoints-'));
    dirs.push(dir);
    const path = join(dir, 'store.sqlite');
    const threshold = 2 * 1024 * 1024;
    const database = await SqliteDatabase.open(path, 5_000, { checkpointBytes: threshold });
    const body = 'x'.repeat(3_000);
    let largest = 0;
    // ~24 MB in 400 commits, with pauses as a poll cycle has: SQLite's own checkpoints are off,
    // so without the thread the log would hold all of it.
    for (let batch = 0; batch < 400; batch += 1) {
      await database.setMany(
        Array.from({ length: 8 }, (_, n) => [`doc:${batch}:${n}`, `${batch}:${n}:${body}`] as const),
        'sitrep_docs',
      );
      largest = Math.max(largest, await walBytes(path));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(largest).toBeLessThan(4 * threshold);
    const [first, last] = await database.getMany(['doc:0:0', 'doc:399:7'], 'sitrep_docs');
    expect(first?.startsWith('0:0:')).toBe(true);
    expect(last?.startsWith('399:7:')).toBe(true);
    await database.close();
    // The thread closed its connection first, so the last close folded the log into the file.
    expect(await walBytes(path)).toBe(0);
    const reopened = await SqliteDatabase.open(path, 5_000);
    const values = await reopened.getMany(
      Array.from({ length: 400 }, (_, batch) => `doc:${batch}:3`),
      'sitrep_docs',
    );
    expect(values.every((value, batch) => value?.startsWith(`${batch}:3:`))).toBe(true);
    await reopened.close();
  });

  it('closes cleanly while a checkpoint is under way, and reopens with everything written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sitrep-checkpoints-'));
    dirs.push(dir);
    const path = join(dir, 'store.sqlite');
    const body = 'y'.repeat(3_000);
    for (let round = 0; round < 3; round += 1) {
      const database = await SqliteDatabase.open(path, 5_000, { checkpointBytes: 256 * 1024 });
      // Past the threshold in a few commits: the last ones start the thread, and close comes at once.
      for (let batch = 0; batch < 20; batch += 1)
        await database.setMany(
          Array.from({ length: 8 }, (_, n) => [`doc:${round}:${batch}:${n}`, body] as const),
          'sitrep_docs',
        );
      await database.close();
    }
    const reopened = await SqliteDatabase.open(path, 5_000);
    const keys = [0, 1, 2].flatMap((round) => [`doc:${round}:0:0`, `doc:${round}:19:7`]);
    expect((await reopened.getMany(keys, 'sitrep_docs')).every((value) => value === body)).toBe(true);
    await reopened.close();
  });
});
