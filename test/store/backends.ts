import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The store backends the tests run against. SQLite always; Redis and PostgreSQL when a server
 * answers. `SITREP_TEST_REDIS_URL` / `SITREP_TEST_POSTGRES_URL` name the servers (.ci/run sets
 * them, and then an unreachable server fails the tests instead of skipping them); without them
 * the default loopback ports are tried and the backend is skipped, with the reason logged, when
 * nothing listens there, so `npm test` passes on a laptop without either server.
 */
export interface TestBackend {
  name: 'sqlite' | 'redis' | 'postgres';
  /** A fresh store URL (sqlite: a new file) for one test. */
  url(): Promise<string>;
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:54329/postgres';

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const parsed = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: parsed.hostname, port: Number(parsed.port || defaultPort) });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function shared(name: 'redis' | 'postgres', envName: string, fallback: string, port: number): Promise<TestBackend | null> {
  const configured = process.env[envName];
  const url = configured || fallback;
  if (!configured && !(await reachable(url, port))) {
    console.warn(`[store tests] skipping ${name}: nothing answers at ${url} and ${envName} is not set (.ci/run starts one)`);
    return null;
  }
  return { name, url: () => Promise.resolve(url) };
}

export async function testBackends(): Promise<TestBackend[]> {
  const sqlite: TestBackend = {
    name: 'sqlite',
    url: async () => `sqlite://${join(await mkdtemp(join(tmpdir(), 'sitrep-store-')), 'sitrep.sqlite')}`,
  };
  const others = await Promise.all([
    shared('redis', 'SITREP_TEST_REDIS_URL', DEFAULT_REDIS_URL, 6379),
    shared('postgres', 'SITREP_TEST_POSTGRES_URL', DEFAULT_POSTGRES_URL, 5432),
  ]);
  return [sqlite, ...others.filter((backend): backend is TestBackend => backend !== null)];
}

/** A namespace of its own per test, so tests sharing one server never see each other's keys. */
export function testNamespace(): string {
  return `test-${randomUUID().slice(0, 8)}`;
}
