import { randomUUID } from 'node:crypto';
import type { RedisClientType } from '@redis/client';
import type { Leases, Lock } from './leases.ts';

/**
 * Leases and locks on Redis. Taking one is a single `SET key owner NX PX ttl`, so two processes can
 * never both win; renewing and releasing compare the owner token inside a Lua script, so a holder
 * whose lease expired and was taken by another process cannot extend or delete the new holder's
 * key. Expiry is Redis's own clock, so clocks on different machines never disagree about it.
 */

type Client = RedisClientType;

// KEYS[1] lease key, ARGV[1] owner, ARGV[2] ttl ms. 1 when the owner held it and now holds it longer.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
// KEYS[1] lease key, ARGV[1] owner. Deletes only the owner's own lease.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** A lock held longer than this without renewal is considered abandoned (its holder died). */
export const REDIS_LOCK_TTL_MS = 15_000;

async function take(client: Client, key: string, owner: string, ttlMs: number): Promise<boolean> {
  const reply = await client.set(key, owner, { condition: 'NX', expiration: { type: 'PX', value: Math.max(1, Math.round(ttlMs)) } });
  return reply === 'OK';
}

async function renew(client: Client, key: string, owner: string, ttlMs: number): Promise<boolean> {
  const reply = await client.eval(RENEW, { keys: [key], arguments: [owner, String(Math.max(1, Math.round(ttlMs)))] });
  return reply === 1;
}

async function release(client: Client, key: string, owner: string): Promise<void> {
  await client.eval(RELEASE, { keys: [key], arguments: [owner] });
}

/** `prefix` keeps lease keys apart from keyv's keys and from other stores on the same server. */
export function createRedisLeases(client: Client, prefix: string): Leases {
  const key = (name: string): string => `${prefix}lease:${name}`;
  return {
    // Already ours counts as taken (and is extended), as with the other backends.
    acquire: async (name, owner, ttlMs) =>
      (await take(client, key(name), owner, ttlMs)) || renew(client, key(name), owner, ttlMs),
    renew: (name, owner, ttlMs) => renew(client, key(name), owner, ttlMs),
    release: (name, owner) => release(client, key(name), owner),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A mutex per name over `SET NX PX` with a random token. Waiters poll with a growing, jittered
 * delay (polling needs no pub/sub connection).
 * The delay stays under 4 ms: a section is a few round trips, so a longer sleep only leaves the
 * lock idle while waiters doze. The holder renews the key while its work runs, so a slow section
 * keeps its lock, and a holder that dies frees the lock after `ttlMs`.
 */
export function createRedisLock(client: Client, prefix: string, ttlMs = REDIS_LOCK_TTL_MS): Lock {
  return async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const key = `${prefix}lock:${name}`;
    const token = randomUUID();
    let delay = 1;
    while (!(await take(client, key, token, ttlMs))) {
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 4);
    }
    const keepAlive = setInterval(() => {
      renew(client, key, token, ttlMs).catch(() => undefined);
    }, ttlMs / 3);
    keepAlive.unref();
    try {
      return await work();
    } finally {
      clearInterval(keepAlive);
      await release(client, key, token);
    }
  };
}
