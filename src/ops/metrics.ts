import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The metrics one sitrep process exposes on /metrics. Each process counts its own work; Prometheus
 * sums over the processes (`sum by (...)`), so nothing here is shared through the store.
 *
 * They live on a registry of sitrep's own rather than prom-client's global one, so a library that
 * registers metrics globally cannot clash with these names, and tests can read them directly.
 */
export const registry = new Registry();

// Process CPU, memory, event-loop lag and handles: what tells a stalled process from a busy one.
collectDefaultMetrics({ register: registry, prefix: 'sitrep_' });

/** Feed polls finished, by outcome: `ok`, `not-modified`, `failed`. */
export const feedsPolled = new Counter({
  name: 'sitrep_feeds_polled_total',
  help: 'Feed polls finished by this process, by outcome (ok, not-modified, failed).',
  labelNames: ['status'] as const,
  registers: [registry],
});

/** Failed fetches by error code (`feed.timeout`, `feed.http-status`, ...): a short, fixed set. */
export const fetchErrors = new Counter({
  name: 'sitrep_fetch_errors_total',
  help: 'Feed fetches that failed, by kind (the SitrepError code).',
  labelNames: ['kind'] as const,
  registers: [registry],
});

/** Items stored for the first time (after de-duplication). */
export const itemsStored = new Counter({
  name: 'sitrep_items_total',
  help: 'New items stored by this process.',
  registers: [registry],
});

/** Stories (clusters) started by new items. */
export const storiesCreated = new Counter({
  name: 'sitrep_stories_total',
  help: 'New stories started by this process.',
  registers: [registry],
});

export const digestsSent = new Counter({
  name: 'sitrep_digests_sent_total',
  help: 'Scheduled digests posted by this process.',
  registers: [registry],
});

/** Digests that could not be posted, by reason (the SitrepError code, or `unknown`). */
export const digestsFailed = new Counter({
  name: 'sitrep_digests_failed_total',
  help: 'Scheduled digests that could not be posted, by reason.',
  labelNames: ['reason'] as const,
  registers: [registry],
});

/**
 * Discord REST round trips, by method, top-level route (`channels`, `interactions`, ...) and
 * status. Route and status are coarse on purpose: ids and tokens in paths would make a series
 * per message.
 */
export const discordRestSeconds = new Histogram({
  name: 'sitrep_discord_rest_seconds',
  help: 'Discord REST request latency in seconds, by method, route and status.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/** Feed leases this process holds right now (how the feeds are split across processes). */
export const leasesHeld = new Gauge({
  name: 'sitrep_feed_leases_held',
  help: 'Feed leases held by this process.',
  registers: [registry],
});

/** The first path segment after /api/v10: bounded, and enough to tell replies from posts. */
export function discordRoute(url: string): string {
  const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/^\/api(\/v\d+)?/, '');
  const first = path.split(/[/?]/).find((segment) => segment.length > 0) ?? '';
  return /^[a-z-]+$/.test(first) ? first : 'other';
}

/**
 * Wraps the discord.js REST `makeRequest` option so every round trip is timed:
 * `new Client({ rest: { api, makeRequest: timeDiscordRequests(DefaultRestOptions.makeRequest) } })`.
 * Generic over the request and response types so this module needs no direct @discordjs/rest import.
 */
export function timeDiscordRequests<Init extends { method?: string | undefined }, Res extends { status: number }>(
  makeRequest: (url: string, init: Init) => Promise<Res>,
): (url: string, init: Init) => Promise<Res> {
  return async (url, init) => {
    const stop = discordRestSeconds.startTimer({ method: (init.method ?? 'GET').toUpperCase(), route: discordRoute(url) });
    try {
      const response = await makeRequest(url, init);
      stop({ status: String(response.status) });
      return response;
    } catch (error) {
      stop({ status: 'network-error' });
      throw error;
    }
  };
}

/** The Prometheus text exposition of every metric above. */
export function metricsText(): Promise<string> {
  return registry.metrics();
}

export const METRICS_CONTENT_TYPE = registry.contentType;
