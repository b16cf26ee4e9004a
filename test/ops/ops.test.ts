import { afterEach, describe, expect, it } from 'vitest';
import {
  checkSupervisable,
  childEnv,
  discordRoute,
  feedsPolled,
  fetchErrors,
  opsPortFrom,
  ownsGuild,
  registry,
  shardOfGuild,
  shardPlanFrom,
  startOpsServer,
  timeDiscordRequests,
  type HealthChecks,
  type OpsServer,
} from '../../src/ops/index.ts';

let server: OpsServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function get(path: string): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(`http://127.0.0.1:${server?.port ?? 0}${path}`);
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

describe('ops server', () => {
  it('serves Prometheus text with the named metrics on 127.0.0.1', async () => {
    server = await startOpsServer({
      port: 0,
      checks: { ready: () => true, store: () => Promise.resolve(), discord: () => 'not-used' },
    });
    feedsPolled.inc({ status: 'ok' });
    fetchErrors.inc({ kind: 'feed.timeout' });
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toContain('text/plain');
    for (const name of [
      'sitrep_feeds_polled_total{status="ok"}',
      'sitrep_fetch_errors_total{kind="feed.timeout"}',
      'sitrep_items_total',
      'sitrep_stories_total',
      'sitrep_digests_sent_total',
      'sitrep_digests_failed_total',
      'sitrep_discord_rest_seconds',
      'sitrep_process_cpu_seconds_total',
    ]) {
      expect(metrics.body).toContain(name);
    }
    expect((await get('/nope')).status).toBe(404);
  });

  it('answers /healthz 200 when ready, the store answers and Discord is connected, else 503 naming the part', async () => {
    let discord: ReturnType<HealthChecks['discord']> = 'connected';
    let storeUp = true;
    server = await startOpsServer({
      port: 0,
      checks: {
        ready: () => true,
        store: () => (storeUp ? Promise.resolve() : Promise.reject(new Error('ECONNREFUSED'))),
        discord: () => discord,
        info: () => ({ pid: 1 }),
      },
    });
    const ok = await get('/healthz');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ status: 'ok', ready: true, store: 'ok', discord: 'connected', pid: 1 });
    discord = 'disconnected';
    expect(JSON.parse((await get('/healthz')).body)).toMatchObject({ status: 'unavailable', discord: 'disconnected' });
    discord = 'not-used';
    storeUp = false;
    const down = await get('/healthz');
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body)).toMatchObject({ status: 'unavailable', store: 'unreachable: ECONNREFUSED' });
  });

  it('reads SITREP_OPS_PORT: off when unset, refused when not a port', () => {
    expect(opsPortFrom({})).toBeNull();
    expect(opsPortFrom({ SITREP_OPS_PORT: '9464' })).toBe(9464);
    expect(() => opsPortFrom({ SITREP_OPS_PORT: 'http' })).toThrow(/SITREP_OPS_PORT "http"/);
    expect(() => opsPortFrom({ SITREP_OPS_PORT: '70000' })).toThrow(/not a port/);
  });

  it('times Discord REST calls by method, coarse route and status', async () => {
    const timed = timeDiscordRequests((_url: string, _init: { method?: string }) => Promise.resolve({ status: 204 }));
    await timed('http://127.0.0.1:1/api/v10/interactions/123/tok/callback', { method: 'POST' });
    const text = await registry.getSingleMetricAsString('sitrep_discord_rest_seconds');
    expect(text).toContain('sitrep_discord_rest_seconds_count{method="POST",route="interactions",status="204"} 1');
    expect(discordRoute('https://discord.com/api/v10/channels/1/messages')).toBe('channels');
    expect(discordRoute('https://discord.com/api/v10/12345')).toBe('other');
  });
});

describe('shards and processes', () => {
  it('reads SITREP_SHARDS and SITREP_SHARD_IDS', () => {
    expect(shardPlanFrom({})).toBeNull();
    expect(shardPlanFrom({ SITREP_SHARDS: '4' })).toEqual({ ids: [0, 1, 2, 3], count: 4 });
    expect(shardPlanFrom({ SITREP_SHARDS: '6', SITREP_SHARD_IDS: '4-5,0' })).toEqual({ ids: [0, 4, 5], count: 6 });
    expect(() => shardPlanFrom({ SITREP_SHARD_IDS: '1' })).toThrow(/SITREP_SHARDS/);
    expect(() => shardPlanFrom({ SITREP_SHARDS: '2', SITREP_SHARD_IDS: '2' })).toThrow(/outside 0-1/);
    expect(() => shardPlanFrom({ SITREP_SHARDS: '2', SITREP_SHARD_IDS: 'a' })).toThrow(/not a shard id/);
  });

  it("routes a guild to Discord's shard ((id >> 22) % count)", () => {
    // 175928847299117063 >> 22 = 41944705796, which is 0 mod 2 and 1 mod 3 (Discord's documented example id).
    expect(shardOfGuild('175928847299117063', 2)).toBe(0);
    expect(shardOfGuild('175928847299117063', 3)).toBe(41944705796 % 3);
    expect(ownsGuild(null, '175928847299117063')).toBe(true);
    expect(ownsGuild({ ids: [1], count: 2 }, '175928847299117063')).toBe(false);
  });

  it('gives each supervised process its shard and its own ops port, and refuses what cannot work', () => {
    const env = { DISCORD_TOKEN: 't', SITREP_STORE: 'redis://127.0.0.1:6379', SITREP_OPS_PORT: '9400' };
    expect(childEnv(env, 2, 3)).toMatchObject({ SITREP_SHARDS: '3', SITREP_SHARD_IDS: '2', SITREP_OPS_PORT: '9402' });
    expect(() => checkSupervisable(3, env)).not.toThrow();
    expect(() => checkSupervisable(3, { ...env, SITREP_STORE: 'sqlite://x' })).toThrow(/shared store/);
    expect(() => checkSupervisable(3, { SITREP_STORE: 'redis://x' })).toThrow(/DISCORD_TOKEN/);
    expect(() => checkSupervisable(0, env)).toThrow(/1 to 64/);
  });
});
