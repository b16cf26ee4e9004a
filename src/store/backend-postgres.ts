import Keyv from 'keyv';
import pg from 'pg';
import { CONNECT_TIMEOUT_MS, type Backend, type BackendOptions } from './backend.ts';
import { createCollectionTables, createPostgresCollections } from './collections-postgres.ts';
import { createValuesTable, PostgresKeyvAdapter } from './keyv-postgres.ts';
import { createLeasesTable, createPostgresLeases, createPostgresLock } from './leases-postgres.ts';

/** A PostgreSQL backend: keyv values, lists, counters, leases and locks on one pool. */
export async function openPostgres(url: string, options: BackendOptions): Promise<Backend> {
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
