import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/*
 * A loopback HTTP server for feed tests. Each path answers with one route: a body (string, bytes
 * or a file), a status, a redirect, a stream of a given size, or nothing at all. Requests are
 * counted per path, and the last request's headers are kept, so tests can check what was sent.
 */

export type Route =
  | {
      kind: 'body';
      body: string | Uint8Array;
      status?: number;
      contentType?: string;
      /** Answer 304 when the request's If-None-Match equals this ETag. */
      etag?: string;
      lastModified?: string;
      gzip?: boolean;
      /** Extra response headers (Cache-Control, Expires...). */
      headers?: Record<string, string>;
      /** Answer this long after the request came (a server far away). */
      delayMs?: number;
    }
  | { kind: 'file'; path: string; contentType?: string; gzip?: boolean }
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  /** Answer with `route` after `delayMs` (a slow but working server). */
  | { kind: 'slow'; delayMs: number; body: string }
  /** Send the headers, then one byte every `everyMs` for ever: a body that never ends but never idles. */
  | { kind: 'trickle'; everyMs: number }
  | { kind: 'redirect'; to: string; status?: number }
  /** Accept the connection and never answer. */
  | { kind: 'hang' }
  /** Send the headers and the start of a body, then nothing more. */
  | { kind: 'stall' }
  /** Stream `bytes` of feed-like filler without a Content-Length, 64 KB at a time. */
  | { kind: 'stream'; bytes: number; contentType?: string };

export interface FeedServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  url(path: string): string;
  route(path: string, route: Route): void;
  /** Requests received per path. */
  hits(path: string): number;
  lastHeaders(path: string): IncomingMessage['headers'] | undefined;
  /** Most requests open at once, over the server's life. */
  peakActive(): number;
  /** Cuts every connection left hanging ('hang', 'stall', 'trickle'), so the clients see an error now. */
  releaseHanging(): void;
  close(): Promise<void>;
}

function sendBody(req: IncomingMessage, res: ServerResponse, route: Extract<Route, { kind: 'body' }>): void {
  if (route.etag && req.headers['if-none-match'] === route.etag) {
    res.writeHead(304, { etag: route.etag });
    res.end();
    return;
  }
  const raw = typeof route.body === 'string' ? Buffer.from(route.body, 'utf8') : Buffer.from(route.body);
  const headers: Record<string, string> = {
    'content-type': route.contentType ?? 'application/rss+xml; charset=utf-8',
  };
  if (route.etag) headers.etag = route.etag;
  if (route.lastModified) headers['last-modified'] = route.lastModified;
  Object.assign(headers, route.headers ?? {});
  const payload = route.gzip ? gzipSync(raw) : raw;
  if (route.gzip) headers['content-encoding'] = 'gzip';
  headers['content-length'] = String(payload.byteLength);
  res.writeHead(route.status ?? 200, headers);
  res.end(payload);
}

function sendStream(res: ServerResponse, total: number, contentType: string): void {
  res.writeHead(200, { 'content-type': contentType });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let sent = 0;
  const pump = (): void => {
    while (sent < total) {
      const size = Math.min(chunk.byteLength, total - sent);
      sent += size;
      if (!res.write(size === chunk.byteLength ? chunk : chunk.subarray(0, size))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  // The client hangs up once it has seen enough; stop writing then.
  res.on('close', () => {
    sent = total;
  });
  pump();
}

export async function startFeedServer(routes: Record<string, Route> = {}): Promise<FeedServer> {
  const table = new Map<string, Route>(Object.entries(routes));
  const hits = new Map<string, number>();
  const headers = new Map<string, IncomingMessage['headers']>();
  const hanging = new Set<ServerResponse>();
  let active = 0;
  let peak = 0;

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    headers.set(path, req.headers);
    active += 1;
    peak = Math.max(peak, active);
    res.on('close', () => {
      active -= 1;
    });
    const route = table.get(path);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no such route');
      return;
    }
    switch (route.kind) {
      case 'body': {
        if (!route.delayMs) return sendBody(req, res, route);
        const timer = setTimeout(() => sendBody(req, res, route), route.delayMs);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      case 'file': {
        const body = readFileSync(route.path);
        return sendBody(req, res, {
          kind: 'body',
          body,
          gzip: route.gzip ?? false,
          contentType: route.contentType ?? 'application/xml',
        });
      }
      case 'status':
        res.writeHead(route.status, { 'content-type': 'text/plain', ...(route.headers ?? {}) });
        res.end(route.body ?? '');
        return;
      case 'redirect':
        res.writeHead(route.status ?? 302, { location: route.to });
        res.end();
        return;
      case 'hang':
        hanging.add(res);
        return;
      case 'stall':
        hanging.add(res);
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.write('<rss version="2.0"><channel><title>slow');
        return;
      case 'slow': {
        const timer = setTimeout(() => sendBody(req, res, { kind: 'body', body: route.body }), route.delayMs);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      case 'trickle': {
        hanging.add(res);
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.write('<rss version="2.0"><channel><title>');
        const timer = setInterval(() => res.write('a'), route.everyMs);
        res.on('close', () => clearInterval(timer));
        return;
      }
      case 'stream':
        return sendStream(res, route.bytes, route.contentType ?? 'application/rss+xml');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    url: (path) => `${origin}${path}`,
    route: (path, route) => void table.set(path, route),
    hits: (path) => hits.get(path) ?? 0,
    lastHeaders: (path) => headers.get(path),
    peakActive: () => peak,
    releaseHanging: () => {
      for (const res of hanging) res.destroy();
      hanging.clear();
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A weak ETag for a body, as many servers compute one. */
export function etagOf(body: string | Uint8Array): string {
  return `W/"${createHash('sha1').update(body).digest('hex').slice(0, 12)}"`;
}
