import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import { StoreOpenError, StoreUrlError } from './errors.ts';

function sqlitePath(url: string, cwd: string): string {
  const rest = url.slice('sqlite://'.length);
  if (!rest) throw new StoreUrlError(url, 'no file path after sqlite://');
  return resolve(cwd, rest);
}

/** The keyv instance for a store URL. The only place that knows which backends exist. */
export async function openKeyv(url: string, cwd: string): Promise<Keyv> {
  if (url.startsWith('sqlite://')) {
    const path = sqlitePath(url, cwd);
    try {
      await mkdir(dirname(path), { recursive: true });
      const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: 5_000 });
      const keyv = new Keyv({ store: adapter, namespace: 'sitrep' });
      // Touch the database now so a bad path fails at start-up, not at the first poll.
      await keyv.get('meta:open');
      return keyv;
    } catch (error) {
      throw new StoreOpenError(url, { cause: error });
    }
  }
  if (/^(redis|rediss|postgres|postgresql):\/\//.test(url)) {
    throw new StoreUrlError(url, 'Redis and PostgreSQL backends are not built in yet; use sqlite://<file>');
  }
  throw new StoreUrlError(url, 'unknown scheme; use sqlite://<file>');
}
