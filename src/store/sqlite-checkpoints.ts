import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** The write-ahead log size at which committed pages are copied back to the database file. */
const CHECKPOINT_BYTES = 64 * 1024 * 1024;
/** Past this many times CHECKPOINT_BYTES, the writing thread checkpoints itself: the thread is failing or far behind. */
const FALLBACK_FACTOR = 8;

/** Frames this thread copies itself to finish a checkpoint (about 8 MB with 8 KB pages). */
const FINISH_FRAMES = 1_000;

/** `left`: frames the thread's checkpoint did not copy (committed while it ran). */
type Reply = { ok: true; left: number } | { ok: false; message: string };

/**
 * Checkpoints of a SQLite file in WAL mode, run in a thread of their own. SQLite checkpoints
 * inside the commit that passes its threshold, in the thread that commits: a first poll cycle
 * writes ~1 GB of log, and the copying and disk waits of its checkpoints stalled the bot's only
 * event loop for up to ~100 ms at a time. Here a commit only looks at the log's size; the thread
 * starts when the log first reaches `checkpointBytes` (a small store never starts it). If the
 * thread cannot run, SQLite's own checkpoints (every `fallbackPages`) are switched back on.
 */
export class WalCheckpoints {
  private worker: Worker | null = null;
  private running = false;
  private failed = false;
  private readonly walPath: string;

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly busyTimeoutMs: number,
    private readonly fallbackPages: number,
    private readonly checkpointBytes = CHECKPOINT_BYTES,
  ) {
    this.walPath = `${path}-wal`;
    db.pragma('wal_autocheckpoint = 0');
  }

  /** Called after each commit. */
  afterCommit(): void {
    if (this.running || this.failed) return;
    const size = statSync(this.walPath, { throwIfNoEntry: false })?.size ?? 0;
    if (size < this.checkpointBytes) return;
    if (size >= this.checkpointBytes * FALLBACK_FACTOR) {
      this.checkpointHere();
      return;
    }
    try {
      this.worker ??= this.start();
      this.running = true;
      this.worker.postMessage('checkpoint');
    } catch {
      this.fallBack();
    }
  }

  private start(): Worker {
    const worker = new Worker(new URL('./sqlite-checkpoint.mjs', import.meta.url), {
      argv: [this.path, String(this.busyTimeoutMs)],
      // A thread that only copies pages: a small heap is plenty.
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
    });
    // It must not keep a process alive that is otherwise done.
    worker.unref();
    worker.on('message', (reply: Reply) => {
      this.running = false;
      // A reply that comes while the store closes: the thread is stopping, so is the database.
      if (this.worker !== worker) return;
      if (!reply.ok) {
        this.fallBack();
        return;
      }
      // Commits kept coming while the thread copied, so its checkpoint never reaches the end of
      // the log, and SQLite starts the log over only once every frame is copied. Many frames left:
      // the thread goes again. A few: this thread copies them (its own writes cannot race it), and
      // the next commit starts the log from the beginning again.
      if (reply.left > FINISH_FRAMES) {
        this.running = true;
        worker.postMessage('checkpoint');
      } else if (reply.left > 0) this.checkpointHere();
    });
    worker.on('error', () => this.fallBack());
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      this.running = false;
    });
    return worker;
  }

  /** A checkpoint in this thread; a failure (the file closing, a full disk) waits for the next commit's try. */
  private checkpointHere(): void {
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // The log keeps the pages; nothing is lost by not copying them now.
    }
  }

  private fallBack(): void {
    if (this.failed) return;
    this.failed = true;
    this.running = false;
    try {
      this.db.pragma(`wal_autocheckpoint = ${this.fallbackPages}`);
    } catch {
      // A closed database needs no checkpoints.
    }
    void this.worker?.terminate();
    this.worker = null;
  }

  /** Stops the thread (its connection closed) before the store's own connection closes. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Unreferenced, it would not keep the process alive until it has closed its connection.
    worker.ref();
    worker.postMessage('close');
    await exited;
  }
}
