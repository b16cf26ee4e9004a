import type { Pool } from 'pg';
import type { Leases, Lock } from './leases.ts';

/**
 * Leases and locks on PostgreSQL.
 *
 * A lease is one row of a small table. Taking it is one `INSERT ... ON CONFLICT DO UPDATE ... WHERE`
 * statement: the row lock PostgreSQL takes on conflict makes the check (free, expired or ours)
 * and the write one atomic step, so two processes can never both win. Expiry uses the server's
 * clock, so machines with different clocks agree on it.
 *
 * A lock is a session advisory lock on a connection checked out for the section: PostgreSQL
 * queues the waiters itself, and a holder that dies loses its connection and so its lock.
 */

export const LEASES_TABLE = 'sitrep_leases';

export async function createLeasesTable(pool: Pool): Promise<void> {
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${LEASES_TABLE} (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at TIMESTAMPTZ NOT NULL)`,
  );
}

/** `prefix` keeps the leases of different stores (namespaces) on one database apart. */
export function createPostgresLeases(pool: Pool, prefix: string): Leases {
  const ttl = (ms: number): number => Math.max(1, Math.round(ms));
  return {
    acquire: async (name, owner, ttlMs) => {
      const result = await pool.query(
        `INSERT INTO ${LEASES_TABLE} (name, owner, expires_at)
           VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond')
         ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
           WHERE ${LEASES_TABLE}.expires_at <= clock_timestamp() OR ${LEASES_TABLE}.owner = EXCLUDED.owner`,
        [prefix + name, owner, ttl(ttlMs)],
      );
      return result.rowCount === 1;
    },
    renew: async (name, owner, ttlMs) => {
      const result = await pool.query(
        `UPDATE ${LEASES_TABLE} SET expires_at = clock_timestamp() + $3 * interval '1 millisecond'
           WHERE name = $1 AND owner = $2 AND expires_at > clock_timestamp()`,
        [prefix + name, owner, ttl(ttlMs)],
      );
      return result.rowCount === 1;
    },
    release: async (name, owner) => {
      await pool.query(`DELETE FROM ${LEASES_TABLE} WHERE name = $1 AND owner = $2`, [prefix + name, owner]);
    },
  };
}

/**
 * Holds one pool connection per section while it runs. Callers queue sections per name inside the
 * process first (see store.ts), so at most one connection per lock name waits here and the pool
 * keeps connections free for the section's own queries.
 */
export function createPostgresLock(pool: Pool, prefix: string): Lock {
  return async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [prefix + name]);
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [prefix + name]).catch((error: unknown) => {
          // A connection that could not unlock must not go back to the pool still holding the lock.
          broken = error instanceof Error ? error : new Error(String(error));
        });
      }
    } finally {
      client.release(broken);
    }
  };
}
