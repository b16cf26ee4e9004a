import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import sqlite3 from 'sqlite3';
import { mergeIncrements, type Collections } from './collections.ts';

/**
 * SQLite for one process, with group commit: writes queued while a transaction is being written
 * join the next one, so a poll cycle's thousands of small writes cost a few dozen commits instead
 * of one each. A write's promise settles once its transaction is committed (nothing is
 * acknowledged that a crash could lose), and writes commit in the order they were made.
 */

/** keyv's table as @keyv/sqlite created it, so stores written by earlier versions still open. */
const KV_TABLE = 'keyv';
const DOCS_TABLE = 'sitrep_docs';
type ValueTable = typeof KV_TABLE | typeof DOCS_TABLE;
const LISTS_TABLE = 'sitrep_lists';
const COUNTS_TABLE = 'sitrep_counts';
/** Rows per multi-row statement: well under SQLite's limit of 32,766 bound parameters. */
const ROWS_PER_STATEMENT = 500;

type Param = string | number | null;
interface Statement {
  sql: string;
  params: Param[];
}

/** One change, kept as data until its batch is written. */
type Change =
  | { kind: 'kv'; table: ValueTable; values: Map<string, string | null> }
  | { kind: 'append'; rows: Array<[string, string]> }
  | { kind: 'add'; rows: Array<{ key: string; field: string; by: number }> }
  | { kind: 'remove-fields'; key: string; fields: string[] }
  | { kind: 'remove'; keys: string[] }
  | { kind: 'clear'; prefix: string };

/**
 * The changes of a batch gathered by kind, so a commit is a handful of statements however many
 * polls contributed: values (the last write to a key wins), removals, then appends and
 * increments. Removals only ever drop a topic's oldest hours, which no poll appends to at the same
 * time, so running them before the batch's appends loses nothing. A clear starts a new segment.
 */
interface Segment {
  clear: string | null;
  values: Record<ValueTable, Map<string, string | null>>;
  removeKeys: string[];
  removeFields: Array<{ key: string; fields: string[] }>;
  appends: Array<[string, string]>;
  adds: Array<{ key: string; field: string; by: number }>;
}

function newSegment(clear: string | null = null): Segment {
  return { clear, values: { [KV_TABLE]: new Map(), [DOCS_TABLE]: new Map() }, removeKeys: [], removeFields: [], appends: [], adds: [] };
}

interface Batch {
  segments: Segment[];
  done: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
}

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A batch nobody awaits (only reads waited on it) must not become an unhandled rejection.
  done.catch(() => undefined);
  return { segments: [newSegment()], done, resolve, reject };
}

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < rows.length; at += ROWS_PER_STATEMENT) out.push(rows.slice(at, at + ROWS_PER_STATEMENT));
  return out;
}

/** A segment's changes as statements: one per kind and table (in chunks of ROWS_PER_STATEMENT). */
function statementsOf(segment: Segment): Statement[] {
  const out: Statement[] = [];
  const add = (sql: string, params: Param[]): void => {
    out.push({ sql, params });
  };
  if (segment.clear !== null)
    for (const table of [KV_TABLE, DOCS_TABLE, LISTS_TABLE, COUNTS_TABLE])
      add(`DELETE FROM ${table} WHERE substr(key, 1, ?) = ?`, [segment.clear.length, segment.clear]);
  for (const table of [KV_TABLE, DOCS_TABLE] as const) {
    const entries = [...segment.values[table]];
    const sets = entries.filter((entry): entry is [string, string] => entry[1] !== null);
    const deletes = entries.filter(([, value]) => value === null).map(([key]) => key);
    for (const rows of chunks(sets))
      add(
        `INSERT INTO ${table} (key, value) VALUES ${rows.map(() => '(?, ?)').join(', ')} ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        rows.flat(),
      );
    for (const rows of chunks(deletes)) add(`DELETE FROM ${table} WHERE key IN (${rows.map(() => '?').join(', ')})`, rows);
  }
  for (const rows of chunks(segment.removeKeys)) {
    const marks = rows.map(() => '?').join(', ');
    add(`DELETE FROM ${LISTS_TABLE} WHERE key IN (${marks})`, rows);
    add(`DELETE FROM ${COUNTS_TABLE} WHERE key IN (${marks})`, rows);
  }
  for (const { key, fields } of segment.removeFields)
    add(`DELETE FROM ${COUNTS_TABLE} WHERE key = ? AND field IN (${fields.map(() => '?').join(', ')})`, [key, ...fields]);
  for (const rows of chunks(segment.appends))
    add(`INSERT INTO ${LISTS_TABLE} (key, value) VALUES ${rows.map(() => '(?, ?)').join(', ')}`, rows.flat());
  for (const rows of chunks(mergeIncrements(segment.adds)))
    add(
      `INSERT INTO ${COUNTS_TABLE} (key, field, n) VALUES ${rows.map(() => '(?, ?, ?)').join(', ')} ON CONFLICT (key, field) DO UPDATE SET n = n + excluded.n`,
      rows.flatMap((row) => [row.key, row.field, row.by]),
    );
  return out;
}

/** A value as an SQL literal: numbers as written, text quoted with its quotes doubled. */
function literal(value: Param): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL';
  return `'${value.replace(/'/g, "''")}'`;
}

export class SqliteDatabase {
  private readonly db: sqlite3.Database;
  /**
   * Reads use a connection of their own: with write-ahead logging they see the last commit
   * without waiting for the one being written. Values queued but not committed they find in
   * `uncommitted`; lists and counters show what is committed (a /brief must not wait for a poll's
   * writes, and every writer's promise settles only once its change is committed).
   */
  private reader: sqlite3.Database;
  private pending: Batch | null = null;
  /** The batch being written now. */
  private committing: Batch | null = null;
  private writing: Promise<void> | null = null;
  /** Values queued but not yet committed, by table and key (null: deleted): reads see them first. */
  private readonly uncommitted = { [KV_TABLE]: new Map<string, string | null>(), [DOCS_TABLE]: new Map<string, string | null>() };
  /** Add-if-absent checks run one at a time, so two cannot both find a key absent. */
  private inserting: Promise<unknown> = Promise.resolve();

  private constructor(db: sqlite3.Database) {
    this.db = db;
    this.reader = db;
  }

  static async open(path: string, busyTimeoutMs: number): Promise<SqliteDatabase> {
    const connect = (mode?: number): Promise<sqlite3.Database> =>
      new Promise<sqlite3.Database>((resolve, reject) => {
        const done = (error: Error | null): void => (error ? reject(error) : resolve(opened));
        const opened: sqlite3.Database = mode === undefined ? new sqlite3.Database(path, done) : new sqlite3.Database(path, mode, done);
      });
    const db = await connect();
    db.configure('busyTimeout', busyTimeoutMs);
    const database = new SqliteDatabase(db);
    // Write-ahead logging with NORMAL sync: a commit no longer waits for an fsync, and a crash
    // still keeps every transaction committed before the last checkpoint.
    await database.run('PRAGMA journal_mode=WAL');
    await database.run('PRAGMA synchronous=NORMAL');
    await database.run(`CREATE TABLE IF NOT EXISTS ${KV_TABLE} (key VARCHAR(255) PRIMARY KEY, value TEXT)`);
    await database.run(`CREATE TABLE IF NOT EXISTS ${DOCS_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    await database.run(
      `CREATE TABLE IF NOT EXISTS ${LISTS_TABLE} (id INTEGER PRIMARY KEY, key TEXT NOT NULL, value TEXT NOT NULL)`,
    );
    await database.run(`CREATE INDEX IF NOT EXISTS ${LISTS_TABLE}_key ON ${LISTS_TABLE} (key, id)`);
    await database.run(
      `CREATE TABLE IF NOT EXISTS ${COUNTS_TABLE} (key TEXT NOT NULL, field TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (key, field)) WITHOUT ROWID`,
    );
    // An in-memory database is private to its connection: there the writer reads too.
    if (path !== ':memory:' && path !== '') {
      database.reader = await connect(sqlite3.OPEN_READONLY);
      database.reader.configure('busyTimeout', busyTimeoutMs);
    }
    return database;
  }

  run(sql: string, params: Param[] = []): Promise<void> {
    return new Promise((resolve, reject) => {
      this.db.run(sql, params, (error: Error | null) => (error ? reject(error) : resolve()));
    });
  }

  all<Row>(sql: string, params: Param[] = []): Promise<Row[]> {
    return new Promise((resolve, reject) => {
      this.reader.all(sql, params, (error: Error | null, rows: Row[]) => (error ? reject(error) : resolve(rows)));
    });
  }

  /** Queues a change; settles when the transaction holding it is committed. */
  private queue(change: Change): Promise<void> {
    const batch = (this.pending ??= newBatch());
    if (change.kind === 'clear') batch.segments.push(newSegment(change.prefix), newSegment());
    const segment = batch.segments.at(-1) as Segment;
    switch (change.kind) {
      case 'kv':
        for (const [key, value] of change.values) segment.values[change.table].set(key, value);
        break;
      case 'append':
        segment.appends.push(...change.rows);
        break;
      case 'add':
        segment.adds.push(...change.rows);
        break;
      case 'remove-fields':
        segment.removeFields.push({ key: change.key, fields: change.fields });
        break;
      case 'remove':
        segment.removeKeys.push(...change.keys);
        break;
      case 'clear':
        break;
    }
    this.writing ??= this.drain();
    return batch.done;
  }

  /** Resolves once every change queued so far is committed (or failed). */
  settled(): Promise<void> {
    const last = this.pending ?? this.committing;
    return last ? last.done.catch(() => undefined) : Promise.resolve();
  }

  private async drain(): Promise<void> {
    // Let the writes made in this turn of the event loop join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.pending) {
      const batch = this.pending;
      this.pending = null;
      this.committing = batch;
      try {
        await this.commit(batch.segments);
        batch.resolve();
      } catch (error) {
        batch.reject(error as Error);
      } finally {
        this.forget(batch.segments);
        this.committing = null;
      }
    }
    this.writing = null;
  }

  /** Values of a settled batch are now read from the table, unless a later write replaced them. */
  private forget(segments: readonly Segment[]): void {
    for (const segment of segments)
      for (const table of [KV_TABLE, DOCS_TABLE] as const) {
        const uncommitted = this.uncommitted[table];
        for (const [key, value] of segment.values[table]) if (uncommitted.get(key) === value) uncommitted.delete(key);
      }
  }

  /**
   * One transaction for the batch, sent as one script: each statement sent on its own would wait
   * for this thread's event loop to hand over the next, and under load those waits, not SQLite,
   * were most of a commit's time. Values are written into the script as SQL literals, which is
   * exact for text without NUL characters; a batch holding one uses bound parameters instead.
   */
  private async commit(segments: readonly Segment[]): Promise<void> {
    const statements = segments.flatMap(statementsOf);
    if (statements.every(({ params }) => params.every((param) => typeof param !== 'string' || !param.includes('\u0000')))) {
      const script = statements.map(({ sql, params }) => {
        let next = 0;
        return sql.replace(/\?/g, () => literal(params[next++] ?? null));
      });
      try {
        await this.exec(`BEGIN IMMEDIATE;\n${script.join(';\n')};\nCOMMIT;`);
      } catch (error) {
        // A failed script stops where it failed, inside the transaction.
        await this.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
      return;
    }
    await this.run('BEGIN IMMEDIATE');
    try {
      for (const { sql, params } of statements) await this.run(sql, params);
      await this.run('COMMIT');
    } catch (error) {
      await this.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private exec(script: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.db.exec(script, (error: Error | null) => (error ? reject(error) : resolve()));
    });
  }

  // --- values (keyv's table and the documents table) ---

  async getMany(keys: readonly string[], table: ValueTable = KV_TABLE): Promise<Array<string | undefined>> {
    const uncommitted = this.uncommitted[table];
    // A queued value may commit (and leave `uncommitted`) while the read below runs: keep it.
    const queued = new Map(keys.filter((key) => uncommitted.has(key)).map((key) => [key, uncommitted.get(key)]));
    const unknown = keys.filter((key) => !queued.has(key));
    const found = new Map<string, string>();
    for (const rows of chunks([...new Set(unknown)])) {
      const read = await this.all<{ key: string; value: string }>(
        `SELECT key, value FROM ${table} WHERE key IN (${rows.map(() => '?').join(', ')})`,
        rows,
      );
      for (const row of read) found.set(row.key, row.value);
    }
    // A write queued while the read ran is newer than what the read returned.
    return keys.map((key) => {
      if (uncommitted.has(key)) return uncommitted.get(key) ?? undefined;
      return queued.has(key) ? (queued.get(key) ?? undefined) : found.get(key);
    });
  }

  setMany(entries: ReadonlyArray<readonly [string, string | null]>, table: ValueTable = KV_TABLE): Promise<void> {
    const values = new Map<string, string | null>();
    for (const [key, value] of entries) {
      values.set(key, value);
      this.uncommitted[table].set(key, value);
    }
    return this.queue({ kind: 'kv', table, values });
  }

  /**
   * Stores each document whose key is absent; true where it did. The check and the queueing run
   * under one in-process turn (the uncommitted map makes queued documents count as present), and
   * only the wait for the commit happens outside it.
   */
  async insertNew(entries: ReadonlyArray<readonly [string, string]>): Promise<boolean[]> {
    const decided = this.inserting.then(async () => {
      const known = await this.getMany(
        entries.map(([key]) => key),
        DOCS_TABLE,
      );
      const fresh = new Set<string>();
      const inserted = entries.map(([key], index) => {
        if (known[index] !== undefined || fresh.has(key)) return false;
        fresh.add(key);
        return true;
      });
      const written = this.setMany(
        entries.filter((_, index) => inserted[index]),
        DOCS_TABLE,
      );
      return { inserted, written };
    });
    this.inserting = decided.catch(() => undefined);
    const { inserted, written } = await decided;
    if (inserted.some(Boolean)) await written;
    return inserted;
  }

  async clear(prefix: string): Promise<void> {
    for (const uncommitted of Object.values(this.uncommitted))
      for (const key of [...uncommitted.keys()]) if (key.startsWith(prefix)) uncommitted.set(key, null);
    await this.queue({ kind: 'clear', prefix });
  }

  // --- lists and counters (reads see what is committed: every write's promise settles at its commit) ---

  append(rows: Array<[string, string]>): Promise<void> {
    return rows.length === 0 ? Promise.resolve() : this.queue({ kind: 'append', rows });
  }

  async lists(keys: readonly string[]): Promise<string[][]> {
    const byKey = new Map<string, string[]>(keys.map((key) => [key, []]));
    for (const rows of chunks([...byKey.keys()])) {
      const read = await this.all<{ key: string; value: string }>(
        `SELECT key, value FROM ${LISTS_TABLE} WHERE key IN (${rows.map(() => '?').join(', ')}) ORDER BY id`,
        rows,
      );
      for (const row of read) byKey.get(row.key)?.push(row.value);
    }
    return keys.map((key) => byKey.get(key) ?? []);
  }

  add(rows: Array<{ key: string; field: string; by: number }>): Promise<void> {
    return rows.length === 0 ? Promise.resolve() : this.queue({ kind: 'add', rows });
  }

  async counts(keys: readonly string[]): Promise<Array<Map<string, number>>> {
    const byKey = new Map<string, Map<string, number>>(keys.map((key) => [key, new Map()]));
    for (const rows of chunks([...byKey.keys()])) {
      const read = await this.all<{ key: string; field: string; n: number }>(
        `SELECT key, field, n FROM ${COUNTS_TABLE} WHERE key IN (${rows.map(() => '?').join(', ')})`,
        rows,
      );
      for (const row of read) byKey.get(row.key)?.set(row.field, row.n);
    }
    return keys.map((key) => byKey.get(key) ?? new Map<string, number>());
  }

  removeFields(key: string, fields: string[]): Promise<void> {
    return fields.length === 0 ? Promise.resolve() : this.queue({ kind: 'remove-fields', key, fields });
  }

  remove(keys: string[]): Promise<void> {
    return keys.length === 0 ? Promise.resolve() : this.queue({ kind: 'remove', keys });
  }

  async close(): Promise<void> {
    await this.settled();
    const closeOne = (db: sqlite3.Database): Promise<void> =>
      new Promise<void>((resolve, reject) => db.close((error) => (error ? reject(error) : resolve())));
    if (this.reader !== this.db) await closeOne(this.reader);
    await closeOne(this.db);
  }
}

/** keyv over the database: keyv serializes values, this stores the strings. */
export class SqliteKeyvAdapter extends EventEmitter implements KeyvStoreAdapter {
  readonly opts: Record<string, unknown> = { dialect: 'sqlite' };
  namespace?: string | undefined;
  private readonly database: SqliteDatabase;

  constructor(database: SqliteDatabase) {
    super();
    this.database = database;
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const [value] = await this.database.getMany([key]);
    return value as StoredData<Value> | undefined;
  }

  async getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    return (await this.database.getMany(keys)) as Array<StoredData<Value | undefined>>;
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.database.setMany([[key, typeof value === 'string' ? value : JSON.stringify(value)]]);
  }

  async setMany(entries: Array<{ key: string; value: unknown }>): Promise<void> {
    await this.database.setMany(
      entries.map(({ key, value }) => [key, typeof value === 'string' ? value : JSON.stringify(value)] as const),
    );
  }

  async delete(key: string): Promise<boolean> {
    const [known] = await this.database.getMany([key]);
    if (known === undefined) return false;
    await this.database.setMany([[key, null]]);
    return true;
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    const known = await this.database.getMany(keys);
    await this.database.setMany(keys.map((key) => [key, null] as const));
    return known.some((value) => value !== undefined);
  }

  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  /** Clears this namespace only (keyv prefixes keys with `<namespace>:`). */
  async clear(): Promise<void> {
    await this.database.clear(this.namespace ? `${this.namespace}:` : '');
  }

  /** The database belongs to the store, which closes it. */
  async disconnect(): Promise<void> {
    return Promise.resolve();
  }
}

/** Documents, lists and counters in the same database and commit queue as the values. */
export function createSqliteCollections(database: SqliteDatabase, prefix: string): Collections {
  const at = (key: string): string => `${prefix}${key}`;
  return {
    insertNew: (entries) => database.insertNew(entries.map(({ key, value }) => [at(key), value] as const)),
    docs: (keys) => database.getMany(keys.map(at), DOCS_TABLE),
    putDocs: (entries) => database.setMany(entries.map(({ key, value }) => [at(key), value] as const), DOCS_TABLE),
    append: (entries) => database.append(entries.flatMap(({ key, values }) => values.map((value): [string, string] => [at(key), value]))),
    lists: (keys) => database.lists(keys.map(at)),
    add: (entries) => database.add(entries.map((entry) => ({ ...entry, key: at(entry.key) }))),
    counts: (keys) => database.counts(keys.map(at)),
    removeFields: (key, fields) => database.removeFields(at(key), [...fields]),
    remove: (keys) => database.remove(keys.map(at)),
  };
}
