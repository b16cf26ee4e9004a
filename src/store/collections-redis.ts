import type { RedisClientType } from '@redis/client';
import { claimAfterInsert, mergeIncrements, type Collections } from './collections.ts';

/**
 * Documents as Redis strings (SET NX stores only what is absent), lists and counters as Redis
 * lists and hashes: each command is atomic on the server, so
 * any number of processes append and count at once without a lock. Each call is one pipelined
 * MULTI round trip.
 */
export function createRedisCollections(client: RedisClientType, prefix: string): Collections {
  const doc = (key: string): string => `${prefix}doc:${key}`;
  const list = (key: string): string => `${prefix}list:${key}`;
  const counter = (key: string): string => `${prefix}count:${key}`;
  const collections: Collections = {
    insertNew: async (entries) => {
      if (entries.length === 0) return [];
      const multi = client.multi();
      for (const { key, value } of entries) multi.set(doc(key), value, { condition: 'NX' });
      const replies = await multi.exec();
      return replies.map((reply) => typeof reply === 'string' && reply === 'OK');
    },
    claimNew: (keys, valueOf) => claimAfterInsert(collections, keys, valueOf),
    docs: async (keys) => {
      if (keys.length === 0) return [];
      const values = await client.mGet(keys.map(doc));
      return values.map((value) => (value === null ? undefined : String(value)));
    },
    present: async (keys) => {
      if (keys.length === 0) return [];
      const multi = client.multi();
      for (const key of keys) multi.exists(doc(key));
      return (await multi.exec()).map((reply) => Number(reply) > 0);
    },
    putDocs: async (entries) => {
      if (entries.length > 0) await client.mSet(entries.map(({ key, value }): [string, string] => [doc(key), value]));
    },
    append: async (entries) => {
      const writes = entries.filter((entry) => entry.values.length > 0);
      if (writes.length === 0) return;
      const multi = client.multi();
      for (const { key, values } of writes) multi.rPush(list(key), [...values]);
      await multi.exec();
    },
    lists: async (keys) => {
      if (keys.length === 0) return [];
      const multi = client.multi();
      for (const key of keys) multi.lRange(list(key), 0, -1);
      const replies = await multi.exec();
      return replies.map((reply) => (Array.isArray(reply) ? reply.map(String) : []));
    },
    add: async (entries) => {
      if (entries.length === 0) return;
      const multi = client.multi();
      for (const { key, field, by } of mergeIncrements(entries)) multi.hIncrBy(counter(key), field, by);
      await multi.exec();
    },
    counts: async (keys) => {
      if (keys.length === 0) return [];
      const multi = client.multi();
      for (const key of keys) multi.hGetAll(counter(key));
      const replies = await multi.exec();
      return replies.map((reply) => {
        // RESP2 replies come as an object, RESP3 ones as a Map.
        const fields: Iterable<[unknown, unknown]> =
          reply instanceof Map ? (reply as Map<unknown, unknown>) : Object.entries((reply ?? {}) as object);
        return new Map([...fields].map(([field, n]): [string, number] => [String(field), Number(n)]));
      });
    },
    removeFields: async (key, fields) => {
      if (fields.length > 0) await client.hDel(counter(key), [...fields]);
    },
    remove: async (keys) => {
      if (keys.length > 0) await client.del(keys.flatMap((key) => [list(key), counter(key), doc(key)]));
    },
  };
  return collections;
}
