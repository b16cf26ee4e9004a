import { createClient } from '@redis/client';
import { DEFAULT_REDIS_URL } from '../store/backends.ts';

/**
 * A Redis database of an end-to-end test's own: `db` on the server SITREP_TEST_REDIS_URL names
 * (.ci/run starts one), else on the default loopback port. Without the variable, a server that
 * does not answer makes the test skip, and says so.
 */
export async function e2eRedis(db: number, label: string): Promise<{ url: string; available: boolean }> {
  const configured = process.env['SITREP_TEST_REDIS_URL'];
  const url = `${(configured || DEFAULT_REDIS_URL).replace(/\/\d*$/, '')}/${db}`;
  if (configured) return { url, available: true };
  const probe = createClient({ url, socket: { connectTimeout: 1_000, reconnectStrategy: false } });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.close();
    return { url, available: true };
  } catch {
    console.warn(`[${label}] skipping: no Redis at ${url} and SITREP_TEST_REDIS_URL is not set (.ci/run starts one)`);
    return { url, available: false };
  }
}
