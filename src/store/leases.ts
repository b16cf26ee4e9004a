import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { serial, type Exclusive } from './serial.ts';

/**
 * Leases let several processes share work without doing it twice: a feed is polled, or a digest
 * posted, by whoever holds its lease. A lease expires on its own if its holder dies.
 */
export interface Leases {
  /** Takes the lease if it is free or expired (or already ours); true when `owner` holds it for `ttlMs`. */
  acquire(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Extends a lease `owner` holds; false when it has lost it. */
  renew(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if `owner` holds it. */
  release(name: string, owner: string): Promise<void>;
}

/**
 * Leases inside one process. SQLite is the one-process backend, so this is exact there; the
 * shared backends (Redis, PostgreSQL) use their own atomic primitives instead.
 */
export function createLocalLeases(now: () => number = Date.now): Leases {
  const held = new Map<string, { owner: string; until: number }>();
  const free = (name: string, owner: string): boolean => {
    const lease = held.get(name);
    return !lease || lease.owner === owner || lease.until <= now();
  };
  return {
    acquire: (name, owner, ttlMs) => {
      if (!free(name, owner)) return Promise.resolve(false);
      held.set(name, { owner, until: now() + ttlMs });
      return Promise.resolve(true);
    },
    renew: (name, owner, ttlMs) => {
      const lease = held.get(name);
      if (!lease || lease.owner !== owner || lease.until <= now()) return Promise.resolve(false);
      lease.until = now() + ttlMs;
      return Promise.resolve(true);
    },
    release: (name, owner) => {
      if (held.get(name)?.owner === owner) held.delete(name);
      return Promise.resolve();
    },
  };
}

/**
 * Runs `work` while holding the named lock, excluding every other holder of that name on the same
 * store: inside this process for SQLite, across processes and machines for Redis and PostgreSQL.
 * Read-modify-write sections (topic index, feed list, guild list, item count) run under it.
 */
export type Lock = <T>(name: string, work: () => Promise<T>) => Promise<T>;

/** One in-process queue per lock name: exact for SQLite, which only one process uses. */
export function createLocalLock(): Lock {
  const queues = new Map<string, Exclusive>();
  return <T>(name: string, work: () => Promise<T>): Promise<T> => {
    let queue = queues.get(name);
    if (!queue) {
      queue = serial();
      queues.set(name, queue);
    }
    return queue(work);
  };
}

/**
 * A lease owner id unique to this process: the host and pid say who holds a lease when an
 * operator looks at the store, and the random suffix keeps a restarted process with a recycled
 * pid from inheriting its predecessor's leases.
 */
export function newOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}
