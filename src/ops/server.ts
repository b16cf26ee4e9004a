import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { oneLine } from '../errors.ts';
import { OpsListenError, OpsPortError } from './errors.ts';
import { METRICS_CONTENT_TYPE, metricsText } from './metrics.ts';

/** What /healthz reports. Each check is cheap; the store check is one round trip. */
export interface HealthChecks {
  /** Start-up is done (store open, transport started) and the process is not stopping. */
  ready: () => boolean;
  /** Resolves when the store answers. */
  store: () => Promise<void>;
  /** The Discord gateway state; `not-used` in console mode. */
  discord: () => 'connected' | 'disconnected' | 'not-used';
  /** Shown as is, to tell processes apart (lease owner id, shards). */
  info?: () => Record<string, unknown>;
}

export interface OpsServer {
  /** The bound port (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

/** A store that does not answer within this counts as unreachable, so a probe never hangs. */
const STORE_CHECK_TIMEOUT_MS = 2_000;

/** SITREP_OPS_PORT: unset or empty = no ops server. */
export function opsPortFrom(env: NodeJS.ProcessEnv): number | null {
  const raw = env['SITREP_OPS_PORT']?.trim();
  if (!raw) return null;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65_535) throw new OpsPortError(raw);
  return Number(raw);
}

async function storeState(check: () => Promise<void>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${STORE_CHECK_TIMEOUT_MS} ms`)), STORE_CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch (error) {
    return `unreachable: ${oneLine(error)}`;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * /healthz and /metrics on 127.0.0.1 only: they are for a local scraper or orchestrator, and the
 * metrics name feeds, so they are never on a public interface. /healthz answers 200 when ready,
 * the store answers and Discord (when used) is connected, else 503, with the parts as JSON.
 */
export async function startOpsServer(options: { port: number; checks: HealthChecks }): Promise<OpsServer> {
  const { checks } = options;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      metricsText().then(
        (text) => res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(text),
        (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(oneLine(error)),
      );
      return;
    }
    if (path === '/healthz') {
      void storeState(checks.store).then((store) => {
        const ready = checks.ready();
        const discord = checks.discord();
        const ok = ready && store === 'ok' && discord !== 'disconnected';
        const body = { status: ok ? 'ok' : 'unavailable', ready, store, discord, ...(checks.info?.() ?? {}) };
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(`${JSON.stringify(body)}\n`);
      }).catch((error: unknown) => {
        // A check that throws is a failed check, never a crashed process.
        if (!res.headersSent) res.writeHead(503, { 'content-type': 'text/plain' });
        res.end(oneLine(error));
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz or /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new OpsListenError(options.port, { cause: error })));
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
