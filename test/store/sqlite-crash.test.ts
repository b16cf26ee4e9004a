import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteDatabase } from '../../src/store/sqlite.ts';
import { ROOT } from '../harness/bot-process.ts';

describe('SQLite store killed mid-write', () => {
  it('keeps every write whose promise had settled when the process was SIGKILLed', { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sitrep-crash-'));
    const path = join(dir, 'crash.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/harness/sqlite-writer.ts'), path], { cwd: ROOT });
    const acked: number[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<string | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) if (line.startsWith('ack ')) acked.push(Number(line.slice(4)));
        // Killed while writes are still queued and being committed.
        if (acked.length >= 3_000) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      void exited.then(() => reject(new Error(`writer exited early: ${stderr}`)));
    });
    expect(await exited).toBe('SIGKILL');

    const reopened = await SqliteDatabase.open(path, 5_000);
    const docs = await reopened.getMany(
      acked.map((n) => `doc:${n}`),
      'sitrep_docs',
    );
    const missing = acked.filter((_, index) => docs[index] === undefined);
    expect(missing).toEqual([]);
    expect(docs.every((doc, index) => doc !== undefined && (JSON.parse(doc) as { n: number }).n === acked[index])).toBe(true);
    // Each acknowledged doc's list entry was committed before its ack too.
    const lists = (await reopened.lists(Array.from({ length: 7 }, (_, k) => `list:${k}`))).flat().map(Number);
    const listed = new Set(lists);
    expect(acked.filter((n) => !listed.has(n))).toEqual([]);
    // Nothing was written twice.
    expect(lists.length).toBe(listed.size);
    await reopened.close();
  });
});
