import type { Freshness } from './types.ts';

/*
 * The response headers that decide when a feed may be asked again. Kept apart from fetch.ts so
 * the scheduler's rules can be tested on plain strings.
 */

/** Retry-After as ms from `now`: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

/**
 * How long the server says the response stays fresh. `max-age` wins over `Expires` (RFC 9111);
 * `no-store`/`no-cache` mean "no hint", not "poll constantly": the configured interval still
 * applies. Expires is read against the server's own Date header when there is one, so a skewed
 * server clock does not shift the delay.
 */
export function freshnessOf(
  headers: { cacheControl: string | null; expires: string | null; date: string | null },
  now: number,
): Freshness {
  const directives = (headers.cacheControl ?? '').toLowerCase();
  if (/\b(no-store|no-cache)\b/.test(directives)) return { maxAgeMs: null };
  const maxAge = /(?:^|[,\s])max-age\s*=\s*"?(\d+)/.exec(directives);
  if (maxAge?.[1]) return { maxAgeMs: Number(maxAge[1]) * 1_000 };
  if (headers.expires) {
    // "Expires: 0" or "-1" means "already expired" (RFC 9111), yet V8 reads "0" as the year 2000.
    const expires = /[a-z]/i.test(headers.expires) ? Date.parse(headers.expires) : Number.NaN;
    if (Number.isNaN(expires)) return { maxAgeMs: null };
    const served = headers.date ? Date.parse(headers.date) : Number.NaN;
    const from = Number.isNaN(served) ? now : served;
    return { maxAgeMs: Math.max(0, expires - from) };
  }
  return { maxAgeMs: null };
}
