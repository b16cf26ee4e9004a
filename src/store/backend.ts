import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import Keyv from 'keyv';
import type { Collections } from './collections.ts';
import { StoreOpenError, StoreUrlError } from './errors.ts';
import { createLocalLeases, createLocalLock, type Leases, type Lock } from './leases.ts';
import { createSqliteCollections, SqliteDatabase, SqliteKeyvAdapter } from './sqlite.ts';

export type BackendKind = 'sqlite' | 'redis' | 'postgres';

/**
 * A store backend: keyv for values plus the backend's own atomic primitives. SQLite serves one
 * process, so its leases and locks live in memory; Redis and PostgreSQL are shared by several
 * processes, so theirs live in the server.
 */
export interface Backend {
  kind: BackendKind;
  keyv: Keyv;
  /** Lists and counters written by many at once (topic indexes, item counts). */
  collections: Collections;
  leases: Leases;
  lock: Lock;
  /** Rejects when the store does not answer (for /healthz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface BackendOptions {
  /** Working directory for relative sqlite paths. */
  cwd: string;
  /** Keeps several stores apart on one Redis server or PostgreSQL database (tests, benches). */
  namespace: string;
}

/** How long a shared backend may take to answer the first time before start-up gives up. */
export const CONNECT_TIMEOUT_MS = 5_000;

export function backendKind(url: string): BackendKind {
  if (url.startsWith('sqlite://')) return 'sqlite';
  if (/^rediss?:\/\//.test(url)) return 'redis';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  throw new StoreUrlError(url, 'unknown scheme; use sqlite://<file>, redis://host:port or postgresql://user@host:port/db');
}

function sqlitePath(url: string, cwd: string): string {
  const rest = url.slice('sqlite://'.length);
  if (!rest) throw new StoreUrlError(url, 'no file path after sqlite://');
  return resolve(cwd, rest);
}

async function openSqlite(url: string, options: BackendOptions): Promise<Backend> {
  const path = sqlitePath(url, options.cwd);
  await mkdir(dirname(path), { recursive: true });
  // Opening creates the tables, so a bad path fails at start-up, not at the first poll.
  const database = await SqliteDatabase.open(path, 5_000);
  const keyv = new Keyv({ store: new SqliteKeyvAdapter(database), namespace: options.namespace });
  return {
    kind: 'sqlite',
    keyv,
    collections: createSqliteCollections(database, `${options.namespace}:`),
    leases: createLocalLeases(),
    lock: createLocalLock(),
    ping: async () => {
      await keyv.get('meta:open');
    },
    close: () => database.close(),
  };
}

/** The backend for a store URL. The only place that knows which backends exist. */
export async function openBackend(url: string, options: BackendOptions): Promise<Backend> {
  const kind = backendKind(url);
  try {
    if (kind === 'sqlite') return await openSqlite(url, options);
    // The Redis and PostgreSQL clients load only when used: @redis/client defines a String
    // subclass, and once one exists V8 runs every character loop in the process several times
    // slower (sax, the text passes), a cost a SQLite bot should not pay.
    if (kind === 'redis') return await (await import('./backend-redis.ts')).openRedis(url, options);
    return await (await import('./backend-postgres.ts')).openPostgres(url, options);
  } catch (error) {
    if (error instanceof StoreUrlError) throw error;
    throw new StoreOpenError(redactUrl(url), { cause: error });
  }
}

/** A store URL may carry a password; messages and logs show it without. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}
