import { EventEmitter } from 'node:events';
import Database from 'better-sqlite3';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import { joined, mergeIncrements, type Collections, type DocValue } from './collections.ts';
import { WalCheckpoints } from './sqlite-checkpoints.ts';

/**
 * SQLite for one process, with group commit: the writes made in one turn of the event loop are
 * committed together in one transaction just after it, so a poll cycle's thousands of small writes
 * cost far fewer commits than one each. A write's promise settles once its transaction is committed
 * (nothing is acknowledged that a crash could lose), and writes commit in the order they were made.
 * SQLite is called synchronously (better-sqlite3): a statement costs microseconds, far less than
 * handing it to another thread and back, and a read never waits behind a queue of writes.
 */

/** keyv's table as @keyv/sqlite created it, so stores written by earlier versions still open. */
const KV_TABLE = 'keyv';
const DOCS_TABLE = 'sitrep_docs';
type ValueTable = typeof KV_TABLE | typeof DOCS_TABLE;
const LISTS_TABLE = 'sitrep_lists';
const COUNTS_TABLE = 'sitrep_counts';

/** One change, kept as data until its batch is written. */
type Change =
  | { kind: 'kv'; table: ValueTable; values: Map<string, DocValue | null> }
  | { kind: 'append'; rows: Array<[string, string]> }
  | { kind: 'add'; rows: Array<{ key: string; field: string; by: number }> }
  | { kind: 'remove-fields'; key: string; fields: string[] }
  | { kind: 'remove'; keys: string[] }
  | { kind: 'clear'; prefix: string };

/**
 * The changes of a batch gathered by kind: values (the last write to a key wins), removals, then
 * appends and increments. Removals only ever drop a topic's oldest hours and expired days of item
 * records, which no poll writes to at the same time, so running them before the batch's appends
 * loses nothing. A clear starts a new segment.
 */
interface Segment {
  clear: string | null;
  values: Record<ValueTable, Map<string, DocValue | null>>;
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
  /** UTF-16 units of the values and list entries queued in it. */
  size: number;
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
  return { segments: [newSegment()], size: 0, done, resolve, reject };
}

/** SQLite's own checkpoint interval, in pages, when the checkpoint thread cannot run. */
const CHECKPOINT_PAGES = 10_000;

/**
 * After a commit of a large batch (SPACED_BATCH_SIZE or more: a poll's new items), the next
 * commit waits until this long after it. Each commit writes every page it changed to the log,
 * and a poll cycle's commits change the same index and counter pages again and again: gathering
 * a few milliseconds of polls cut the main thread's time in the first cycle of the feeds bench by
 * about a tenth (interleaved runs). Small writes (settings, feed states, counters) commit at once:
 * a writer that waits for each of its writes in turn would only be slowed down (the scale
 * bench's store operations: 4,052 a second with every commit spaced, against ~38,000).
 */
const COMMIT_SPACING_MS = 5;
/** UTF-16 units of values in a batch from which the next commit is spaced (a poll's items are 40-60 K). */
const SPACED_BATCH_SIZE = 16_384;

/** Keys handed to SQLite as one JSON array, so a read of any number of keys is one prepared statement. */
const KEYS_IN = '(SELECT value FROM json_each(?))';

export class SqliteDatabase {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private pending: Batch | null = null;
  private writing: Promise<void> | null = null;
  /** Values queued but not yet committed, by table and key (null: deleted): reads see them first. */
  private readonly uncommitted = { [KV_TABLE]: new Map<string, DocValue | null>(), [DOCS_TABLE]: new Map<string, DocValue | null>() };

  private readonly transaction: Database.Transaction<(segments: readonly Segment[]) => void>;

  private readonly checkpoints: WalCheckpoints | null;

  private committed = 0;
  private lastCommitAt = Number.NEGATIVE_INFINITY;

  private constructor(db: Database.Database, checkpoints: WalCheckpoints | null) {
    this.db = db;
    this.checkpoints = checkpoints;
    this.transaction = db.transaction((segments: readonly Segment[]) => {
      for (const segment of segments) this.write(segment);
    });
  }

  /** `checkpointBytes`: the log size at which the checkpoint thread copies it back (tests make it small). */
  static open(path: string, busyTimeoutMs: number, options: { checkpointBytes?: number } = {}): Promise<SqliteDatabase> {
    const db = new Database(path === '' ? ':memory:' : path, { timeout: busyTimeoutMs });
    try {
      // Write-ahead logging with NORMAL sync: a commit no longer waits for an fsync, and a crash
      // still keeps every transaction committed before the last checkpoint.
      // 8 KB pages for a new file (an existing one keeps its own): an item of 3-4 KB no longer
      // fills a page of its own, which cut commit time by a quarter in the feeds bench.
      db.pragma('page_size = 8192');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // Checkpoints run in a thread of their own (below). Where they cannot, SQLite's own run every
      // 10,000 pages (80 MB of WAL) instead of its default 1,000: a poll cycle rewrites the same
      // index and counter pages over and over, and each checkpoint copies every page the WAL holds
      // back to the database file. The file is cut back to 16 MB once the log starts over.
      db.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
      db.pragma(`journal_size_limit = ${16 * 1024 * 1024}`);
      db.exec(`CREATE TABLE IF NOT EXISTS ${KV_TABLE} (key VARCHAR(255) PRIMARY KEY, value TEXT)`);
      db.exec(`CREATE TABLE IF NOT EXISTS ${DOCS_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      db.exec(`CREATE TABLE IF NOT EXISTS ${LISTS_TABLE} (id INTEGER PRIMARY KEY, key TEXT NOT NULL, value TEXT NOT NULL)`);
      db.exec(`CREATE INDEX IF NOT EXISTS ${LISTS_TABLE}_key ON ${LISTS_TABLE} (key, id)`);
      db.exec(
        `CREATE TABLE IF NOT EXISTS ${COUNTS_TABLE} (key TEXT NOT NULL, field TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (key, field)) WITHOUT ROWID`,
      );
    } catch (error) {
      db.close();
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    // A file store checkpoints in a thread of its own (sqlite-checkpoints.ts); memory has no log.
    const checkpoints = path === '' || db.memory ? null : new WalCheckpoints(db, path, busyTimeoutMs, CHECKPOINT_PAGES, options.checkpointBytes);
    return Promise.resolve(new SqliteDatabase(db, checkpoints));
  }

  /** Transactions committed since open (benches print it; tests check what shares a commit). */
  get commits(): number {
    return this.committed;
  }

  private statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) this.statements.set(sql, (prepared = this.db.prepare(sql)));
    return prepared;
  }

  /**
   * Rows of `table` for the given keys, each with the position (`at`) of its key in `keys`: a key
   * is matched back by position, not by the text SQLite returns, because a lone surrogate in a key
   * is stored as bytes that come back as different characters.
   */
  private rows<Row>(table: string, columns: string, keys: readonly string[], order = ''): Array<Row & { at: number }> {
    if (keys.length === 0) return [];
    // One key (a feed's state, a setting): a plain lookup, without building and reading a JSON array.
    if (keys.length === 1)
      return this.statement(`SELECT 0 AS at, ${columns} FROM ${table} AS t WHERE t.key = ?${order}`).all(keys[0]) as Array<Row & { at: number }>;
    return this.statement(
      `SELECT wanted.key AS at, ${columns} FROM json_each(?) AS wanted JOIN ${table} AS t ON t.key = wanted.value${order}`,
    ).all(JSON.stringify(keys)) as Array<Row & { at: number }>;
  }

  /** Queues a change; settles when the transaction holding it is committed. */
  private queue(change: Change): Promise<void> {
    const batch = (this.pending ??= newBatch());
    if (change.kind === 'clear') batch.segments.push(newSegment(change.prefix), newSegment());
    const segment = batch.segments.at(-1) as Segment;
    switch (change.kind) {
      case 'kv':
        for (const [key, value] of change.values) {
          segment.values[change.table].set(key, value);
          batch.size += value === null ? 0 : typeof value === 'string' ? value.length : value[0].length + value[1].length;
        }
        break;
      case 'append':
        for (const row of change.rows) {
          segment.appends.push(row);
          batch.size += row[1].length;
        }
        break;
      case 'add':
        for (const row of change.rows) segment.adds.push(row);
        break;
      case 'remove-fields':
        segment.removeFields.push({ key: change.key, fields: change.fields });
        break;
      case 'remove':
        for (const key of change.keys) segment.removeKeys.push(key);
        break;
      case 'clear':
        break;
    }
    this.writing ??= this.drain();
    return batch.done;
  }

  /** Resolves once every change queued so far is committed (or failed). */
  settled(): Promise<void> {
    return this.pending ? this.pending.done.catch(() => undefined) : Promise.resolve();
  }

  private async drain(): Promise<void> {
    // Let the writes made in this turn of the event loop join the batch; after a large commit
    // less than COMMIT_SPACING_MS ago, those of the next few milliseconds too.
    const wait = this.lastCommitAt + COMMIT_SPACING_MS - performance.now();
    await new Promise<void>((resolve) => (wait > 0 ? setTimeout(resolve, wait) : setImmediate(resolve)));
    const batch = this.pending;
    this.pending = null;
    this.writing = null;
    if (!batch) return;
    try {
      this.commit(batch.segments);
      this.committed += 1;
      // Only a large batch (polls' items) holds the next one back; small writes commit at once.
      this.lastCommitAt = batch.size >= SPACED_BATCH_SIZE ? performance.now() : Number.NEGATIVE_INFINITY;
      batch.resolve();
      this.checkpoints?.afterCommit();
    } catch (error) {
      batch.reject(error as Error);
    } finally {
      this.forget(batch.segments);
    }
  }

  /** Values of a settled batch are now read from the table, unless a later write replaced them. */
  private forget(segments: readonly Segment[]): void {
    for (const segment of segments)
      for (const table of [KV_TABLE, DOCS_TABLE] as const) {
        const uncommitted = this.uncommitted[table];
        for (const [key, value] of segment.values[table]) if (uncommitted.get(key) === value) uncommitted.delete(key);
      }
  }

  /** One transaction for the batch; a failure rolls all of it back. */
  private commit(segments: readonly Segment[]): void {
    this.transaction.immediate(segments);
  }

  private write(segment: Segment): void {
    if (segment.clear !== null)
      for (const table of [KV_TABLE, DOCS_TABLE, LISTS_TABLE, COUNTS_TABLE])
        this.statement(`DELETE FROM ${table} WHERE substr(key, 1, ?) = ?`).run(segment.clear.length, segment.clear);
    for (const table of [KV_TABLE, DOCS_TABLE] as const) {
      const upsert = this.statement(`INSERT INTO ${table} (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
      const upsertParts = this.statement(`INSERT INTO ${table} (key, value) VALUES (?, ? || ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
      const deletes: string[] = [];
      for (const [key, value] of segment.values[table]) {
        if (value === null) deletes.push(key);
        else if (typeof value === 'string') upsert.run(key, value);
        else upsertParts.run(key, value[0], value[1]);
      }
      if (deletes.length > 0) this.statement(`DELETE FROM ${table} WHERE key IN ${KEYS_IN}`).run(JSON.stringify(deletes));
    }
    if (segment.removeKeys.length > 0) {
      const removed = JSON.stringify(segment.removeKeys);
      this.statement(`DELETE FROM ${LISTS_TABLE} WHERE key IN ${KEYS_IN}`).run(removed);
      this.statement(`DELETE FROM ${COUNTS_TABLE} WHERE key IN ${KEYS_IN}`).run(removed);
      this.statement(`DELETE FROM ${DOCS_TABLE} WHERE key IN ${KEYS_IN}`).run(removed);
    }
    for (const { key, fields } of segment.removeFields)
      this.statement(`DELETE FROM ${COUNTS_TABLE} WHERE key = ? AND field IN ${KEYS_IN}`).run(key, JSON.stringify(fields));
    const append = this.statement(`INSERT INTO ${LISTS_TABLE} (key, value) VALUES (?, ?)`);
    for (const [key, value] of segment.appends) append.run(key, value);
    const increment = this.statement(
      `INSERT INTO ${COUNTS_TABLE} (key, field, n) VALUES (?, ?, ?) ON CONFLICT (key, field) DO UPDATE SET n = n + excluded.n`,
    );
    for (const row of mergeIncrements(segment.adds)) increment.run(row.key, row.field, row.by);
  }

  // --- values (keyv's table and the documents table) ---

  getMany(keys: readonly string[], table: ValueTable = KV_TABLE): Promise<Array<string | undefined>> {
    return Promise.resolve(this.valuesOf(keys, table));
  }

  private valuesOf(keys: readonly string[], table: ValueTable): Array<string | undefined> {
    const uncommitted = this.uncommitted[table];
    const unknown = [...new Set(keys.filter((key) => !uncommitted.has(key)))];
    const found = new Map<string, string>();
    for (const row of this.rows<{ value: string }>(table, 't.value', unknown)) found.set(unknown[row.at] as string, row.value);
    return keys.map((key) => {
      if (!uncommitted.has(key)) return found.get(key);
      const value = uncommitted.get(key);
      return value === null || value === undefined ? undefined : joined(value);
    });
  }

  /** Whether each key has a value, queued ones included, without reading the values. */
  present(keys: readonly string[], table: ValueTable): Promise<boolean[]> {
    return Promise.resolve(this.presenceOf(keys, table));
  }

  private presenceOf(keys: readonly string[], table: ValueTable): boolean[] {
    const uncommitted = this.uncommitted[table];
    const unknown = [...new Set(keys.filter((key) => !uncommitted.has(key)))];
    const found = new Set<string>();
    for (const row of this.rows<object>(table, '1', unknown)) found.add(unknown[row.at] as string);
    return keys.map((key) => (uncommitted.has(key) ? (uncommitted.get(key) ?? null) !== null : found.has(key)));
  }

  setMany(entries: ReadonlyArray<readonly [string, DocValue | null]>, table: ValueTable = KV_TABLE): Promise<void> {
    const values = new Map<string, DocValue | null>();
    for (const [key, value] of entries) {
      values.set(key, value);
      this.uncommitted[table].set(key, value);
    }
    return this.queue({ kind: 'kv', table, values });
  }

  /**
   * Stores each document whose key is absent; true where it did. The check and the queueing run
   * in one synchronous step (the uncommitted map makes queued documents count as present), so two
   * calls cannot both find a key absent; only the wait for the commit happens outside it.
   */
  async insertNew(entries: ReadonlyArray<readonly [string, string]>): Promise<boolean[]> {
    const { inserted, stored } = this.claimNew(
      entries.map(([key]) => key),
      (index) => (entries[index] as readonly [string, string])[1],
    );
    await stored;
    return inserted;
  }

  /**
   * insertNew without the wait: which documents are new is known at once, their commit settles
   * `stored`. A value is made only for a key found absent.
   */
  claimNew(keys: readonly string[], valueOf: (index: number) => DocValue): { inserted: boolean[]; stored: Promise<void> } {
    const known = this.presenceOf(keys, DOCS_TABLE);
    const fresh = new Set<string>();
    const entries: Array<readonly [string, DocValue]> = [];
    const inserted = keys.map((key, index) => {
      if (known[index] || fresh.has(key)) return false;
      fresh.add(key);
      entries.push([key, valueOf(index)]);
      return true;
    });
    const stored = entries.length > 0 ? this.setMany(entries, DOCS_TABLE) : Promise.resolve();
    return { inserted, stored };
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

  lists(keys: readonly string[]): Promise<string[][]> {
    const wanted = [...new Set(keys)];
    const byKey = new Map<string, string[]>(wanted.map((key) => [key, []]));
    for (const row of this.rows<{ value: string }>(LISTS_TABLE, 't.value', wanted, ' ORDER BY t.id'))
      byKey.get(wanted[row.at] as string)?.push(row.value);
    return Promise.resolve(keys.map((key) => [...(byKey.get(key) ?? [])]));
  }

  add(rows: Array<{ key: string; field: string; by: number }>): Promise<void> {
    return rows.length === 0 ? Promise.resolve() : this.queue({ kind: 'add', rows });
  }

  counts(keys: readonly string[]): Promise<Array<Map<string, number>>> {
    const wanted = [...new Set(keys)];
    const byKey = new Map<string, Map<string, number>>(wanted.map((key) => [key, new Map()]));
    for (const row of this.rows<{ field: string; n: number }>(COUNTS_TABLE, 't.field, t.n', wanted))
      byKey.get(wanted[row.at] as string)?.set(row.field, row.n);
    return Promise.resolve(keys.map((key) => new Map(byKey.get(key) ?? [])));
  }

  removeFields(key: string, fields: string[]): Promise<void> {
    return fields.length === 0 ? Promise.resolve() : this.queue({ kind: 'remove-fields', key, fields });
  }

  remove(keys: string[]): Promise<void> {
    if (keys.length === 0) return Promise.resolve();
    // A document removed is gone for reads at once, as a deleted value is.
    const docs = this.uncommitted[DOCS_TABLE];
    for (const key of keys) if (docs.has(key)) docs.set(key, null);
    return this.queue({ kind: 'remove', keys });
  }

  async close(): Promise<void> {
    // Writes still being made (a put's later steps) queue behind the batch being committed: wait
    // until a turn of the event loop passes with nothing queued.
    do {
      await this.settled();
      await new Promise<void>((resolve) => setImmediate(resolve));
    } while (this.pending);
    await this.checkpoints?.close();
    this.db.close();
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
    claimNew: (keys, valueOf) => Promise.resolve(database.claimNew(keys.map(at), valueOf)),
    docs: (keys) => database.getMany(keys.map(at), DOCS_TABLE),
    present: (keys) => database.present(keys.map(at), DOCS_TABLE),
    putDocs: (entries) => database.setMany(entries.map(({ key, value }) => [at(key), value] as const), DOCS_TABLE),
    append: (entries) => database.append(entries.flatMap(({ key, values }) => values.map((value): [string, string] => [at(key), value]))),
    lists: (keys) => database.lists(keys.map(at)),
    add: (entries) => database.add(entries.map((entry) => ({ key: at(entry.key), field: entry.field, by: entry.by }))),
    counts: (keys) => database.counts(keys.map(at)),
    removeFields: (key, fields) => database.removeFields(at(key), [...fields]),
    remove: (keys) => database.remove(keys.map(at)),
  };
}
