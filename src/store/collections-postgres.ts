import type { Pool } from 'pg';
import { claimAfterInsert, mergeIncrements, wellFormedKey, type Collections } from './collections.ts';

/**
 * Documents, lists and counters as PostgreSQL rows: a document insert is ON CONFLICT DO NOTHING
 * (only what is absent is stored), an append is an INSERT (the serial id keeps the order)
 * and an increment is INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n, both atomic
 * under any number of writers. Increments are sorted first, so two writers touching the same
 * counters lock their rows in the same order and cannot deadlock.
 */
const DOCS = 'sitrep_docs';
const LISTS = 'sitrep_lists';
const COUNTS = 'sitrep_counts';

export async function createCollectionTables(pool: Pool): Promise<void> {
  await pool.query(`CREATE TABLE IF NOT EXISTS ${DOCS} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  await pool.query(`CREATE TABLE IF NOT EXISTS ${LISTS} (id BIGSERIAL PRIMARY KEY, key TEXT NOT NULL, value TEXT NOT NULL)`);
  await pool.query(`CREATE INDEX IF NOT EXISTS ${LISTS}_key ON ${LISTS} (key, id)`);
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${COUNTS} (key TEXT NOT NULL, field TEXT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (key, field))`,
  );
}

export function createPostgresCollections(pool: Pool, prefix: string): Collections {
  // Keys are matched against the text PostgreSQL returns, which has no lone surrogates.
  const at = (key: string): string => wellFormedKey(`${prefix}${key}`);
  const collections: Collections = {
    insertNew: async (entries) => {
      if (entries.length === 0) return [];
      const { rows } = await pool.query<{ key: string }>(
        `INSERT INTO ${DOCS} (key, value) SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (key) DO NOTHING RETURNING key`,
        [entries.map((entry) => at(entry.key)), entries.map((entry) => entry.value)],
      );
      const stored = new Set(rows.map((row) => row.key));
      // The same key twice in one call: only its first entry counts as stored.
      return entries.map((entry) => stored.delete(at(entry.key)));
    },
    claimNew: (keys, valueOf) => claimAfterInsert(collections, keys, valueOf),
    docs: async (keys) => {
      if (keys.length === 0) return [];
      const { rows } = await pool.query<{ key: string; value: string }>(`SELECT key, value FROM ${DOCS} WHERE key = ANY($1)`, [keys.map(at)]);
      const byKey = new Map(rows.map((row) => [row.key, row.value]));
      return keys.map((key) => byKey.get(at(key)));
    },
    present: async (keys) => {
      if (keys.length === 0) return [];
      const { rows } = await pool.query<{ key: string }>(`SELECT key FROM ${DOCS} WHERE key = ANY($1)`, [keys.map(at)]);
      const found = new Set(rows.map((row) => row.key));
      return keys.map((key) => found.has(at(key)));
    },
    putDocs: async (given) => {
      // One row may change only once per statement: the last value for a key wins.
      const entries = [...new Map(given.map((entry) => [entry.key, entry])).values()];
      if (entries.length === 0) return;
      await pool.query(
        `INSERT INTO ${DOCS} (key, value) SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
        [entries.map((entry) => at(entry.key)), entries.map((entry) => entry.value)],
      );
    },
    append: async (entries) => {
      const rows = entries.flatMap(({ key, values }) => values.map((value) => [at(key), value] as const));
      if (rows.length === 0) return;
      await pool.query(
        `INSERT INTO ${LISTS} (key, value)
         SELECT key, value FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(key, value, i) ORDER BY i`,
        [rows.map((row) => row[0]), rows.map((row) => row[1])],
      );
    },
    lists: async (keys) => {
      if (keys.length === 0) return [];
      const { rows } = await pool.query<{ key: string; value: string }>(
        `SELECT key, value FROM ${LISTS} WHERE key = ANY($1) ORDER BY id`,
        [keys.map(at)],
      );
      const byKey = new Map<string, string[]>();
      for (const row of rows) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row.value]);
      return keys.map((key) => byKey.get(at(key)) ?? []);
    },
    add: async (entries) => {
      const rows = mergeIncrements(entries.map((entry) => ({ ...entry, key: at(entry.key) })));
      if (rows.length === 0) return;
      await pool.query(
        `INSERT INTO ${COUNTS} (key, field, n)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
         ON CONFLICT (key, field) DO UPDATE SET n = ${COUNTS}.n + EXCLUDED.n`,
        [rows.map((row) => row.key), rows.map((row) => row.field), rows.map((row) => row.by)],
      );
    },
    counts: async (keys) => {
      if (keys.length === 0) return [];
      const { rows } = await pool.query<{ key: string; field: string; n: string }>(
        `SELECT key, field, n FROM ${COUNTS} WHERE key = ANY($1)`,
        [keys.map(at)],
      );
      const byKey = new Map<string, Map<string, number>>();
      for (const row of rows) {
        const fields = byKey.get(row.key) ?? new Map<string, number>();
        fields.set(row.field, Number(row.n));
        byKey.set(row.key, fields);
      }
      return keys.map((key) => byKey.get(at(key)) ?? new Map<string, number>());
    },
    removeFields: async (key, fields) => {
      if (fields.length > 0) await pool.query(`DELETE FROM ${COUNTS} WHERE key = $1 AND field = ANY($2)`, [at(key), [...fields]]);
    },
    remove: async (keys) => {
      if (keys.length === 0) return;
      await pool.query(`DELETE FROM ${LISTS} WHERE key = ANY($1)`, [keys.map(at)]);
      await pool.query(`DELETE FROM ${COUNTS} WHERE key = ANY($1)`, [keys.map(at)]);
      await pool.query(`DELETE FROM ${DOCS} WHERE key = ANY($1)`, [keys.map(at)]);
    },
  };
  return collections;
}
