import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';
import { createClient, type RedisClientType } from '@redis/client';
import { CONNECT_TIMEOUT_MS, type Backend, type BackendOptions } from './backend.ts';
import { createRedisCollections } from './collections-redis.ts';
import { createRedisLeases, createRedisLock } from './leases-redis.ts';

/** A Redis backend: keyv values, lists, counters, leases and locks on one client. */
export async function openRedis(url: string, options: BackendOptions): Promise<Backend> {
  const client: RedisClientType = createClient({
    url,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Give up at start-up instead of retrying forever; once connected, reconnect with backoff.
      reconnectStrategy: (retries: number) => (client.isReady || retries > 0 ? Math.min(100 * 2 ** retries, 3_000) : false),
    },
  });
  // Without a listener a dropped connection would crash the process; the client reconnects itself
  // and a failed command rejects its own promise.
  client.on('error', () => undefined);
  await client.connect();
  const keyv = new Keyv({ store: new KeyvRedis(client), namespace: options.namespace });
  const prefix = `${options.namespace}:`;
  return {
    kind: 'redis',
    keyv,
    collections: createRedisCollections(client, prefix),
    leases: createRedisLeases(client, prefix),
    lock: createRedisLock(client, prefix),
    ping: async () => {
      await client.ping();
    },
    close: async () => {
      await keyv.disconnect().catch(() => undefined);
      if (client.isOpen) await client.close();
    },
  };
}
