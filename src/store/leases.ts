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
