import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import type { Pool } from 'pg';
import { wellFormedKey } from './collections.ts';

/**
 * A keyv adapter over a pg pool the store owns. @keyv/postgres keeps one module-wide pool (a second
 * store in the same process shares it, and closing either ends both) and creates its table without
 * waiting for it; the store needs one pool for values, leases and locks, opened and closed with
 * the store, and a table that exists before the first query.
 */

export const VALUES_TABLE = 'sitrep_kv';

export async function createValuesTable(pool: Pool): Promise<void> {
  await pool.query(`CREATE TABLE IF NOT EXISTS ${VALUES_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
}

interface Row {
  key: string;
  value: string;
}

export class PostgresKeyvAdapter extends EventEmitter implements KeyvStoreAdapter {
  readonly opts: Record<string, unknown> = { dialect: 'postgres' };
  namespace?: string | undefined;
  private readonly pool: Pool;

  constructor(pool: Pool) {
    super();
    this.pool = pool;
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const { rows } = await this.pool.query<Row>(`SELECT key, value FROM ${VALUES_TABLE} WHERE key = $1`, [key]);
    return rows[0]?.value as StoredData<Value> | undefined;
  }

  async getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    if (keys.length === 0) return [];
    const { rows } = await this.pool.query<Row>(`SELECT key, value FROM ${VALUES_TABLE} WHERE key = ANY($1)`, [keys]);
    const byKey = new Map(rows.map((row) => [row.key, row.value]));
    return keys.map((key) => byKey.get(wellFormedKey(key)) as StoredData<Value | undefined>);
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${VALUES_TABLE} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [key, typeof value === 'string' ? value : JSON.stringify(value)],
    );
  }

  async delete(key: string): Promise<boolean> {
    const result = await this.pool.query(`DELETE FROM ${VALUES_TABLE} WHERE key = $1`, [key]);
    return (result.rowCount ?? 0) > 0;
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    const result = await this.pool.query(`DELETE FROM ${VALUES_TABLE} WHERE key = ANY($1)`, [keys]);
    return (result.rowCount ?? 0) > 0;
  }

  async has(key: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`SELECT 1 FROM ${VALUES_TABLE} WHERE key = $1`, [key]);
    return (rowCount ?? 0) > 0;
  }

  /** Clears this namespace only (keyv prefixes keys with `<namespace>:`). */
  async clear(): Promise<void> {
    const prefix = this.namespace ? `${this.namespace}:` : '';
    await this.pool.query(`DELETE FROM ${VALUES_TABLE} WHERE starts_with(key, $1)`, [prefix]);
  }

  /** The pool belongs to the store, which ends it after the leases and locks are done too. */
  async disconnect(): Promise<void> {
    return Promise.resolve();
  }
}
