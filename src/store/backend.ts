import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';
import { createClient, type RedisClientType } from '@redis/client';
import pg from 'pg';
import type { Collections } from './collections.ts';
import { createCollectionTables, createPostgresCollections } from './collections-postgres.ts';
import { createRedisCollections } from './collections-redis.ts';
import { StoreOpenError, StoreUrlError } from './errors.ts';
import { createValuesTable, PostgresKeyvAdapter } from './keyv-postgres.ts';
import { createLocalLeases, createLocalLock, type Leases, type Lock } from './leases.ts';
import { createLeasesTable, createPostgresLeases, createPostgresLock } from './leases-postgres.ts';
import { createRedisLeases, createRedisLock } from './leases-redis.ts';
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
const CONNECT_TIMEOUT_MS = 5_000;

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

async function openRedis(url: string, options: BackendOptions): Promise<Backend> {
  const client: RedisClientType = createClient({
    url,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Give up at start-up instead of retrying forever; once connected, reconnect with backoff.
      reconnectStrategy: (retries: number) => (client.isReady || retries > 0 ? Math.min(100 * 2 ** retries, 3_000) : false),
    },
  });
  // Without a listener a dropped connection would crash the process; the client reconnects itself
  // and a failed command rejects its own promise.
  client.on('error', () => undefined);
  await client.connect();
  const keyv = new Keyv({ store: new KeyvRedis(client), namespace: options.namespace });
  const prefix = `${options.namespace}:`;
  return {
    kind: 'redis',
    keyv,
    collections: createRedisCollections(client, prefix),
    leases: createRedisLeases(client, prefix),
    lock: createRedisLock(client, prefix),
    ping: async () => {
      await client.ping();
    },
    close: async () => {
      await keyv.disconnect().catch(() => undefined);
      if (client.isOpen) await client.close();
    },
  };
}

async function openPostgres(url: string, options: BackendOptions): Promise<Backend> {
  // Ten connections: one per lock section waiting or held (four at most) and the rest for queries.
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle connection dropped by the server must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  try {
    await createValuesTable(pool);
    await createLeasesTable(pool);
    await createCollectionTables(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  const keyv = new Keyv({ store: new PostgresKeyvAdapter(pool), namespace: options.namespace });
  const prefix = `${options.namespace}:`;
  return {
    kind: 'postgres',
    keyv,
    collections: createPostgresCollections(pool, prefix),
    leases: createPostgresLeases(pool, prefix),
    lock: createPostgresLock(pool, prefix),
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
}

/** The backend for a store URL. The only place that knows which backends exist. */
export async function openBackend(url: string, options: BackendOptions): Promise<Backend> {
  const kind = backendKind(url);
  try {
    if (kind === 'sqlite') return await openSqlite(url, options);
    if (kind === 'redis') return await openRedis(url, options);
    return await openPostgres(url, options);
  } catch (error) {
    if (error instanceof StoreUrlError) throw error;
    throw new StoreOpenError(redactUrl(url), { cause: error });
  }
}

/** A store URL may carry a password; messages and logs show it without. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}
