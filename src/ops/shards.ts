import { ShardConfigError } from './errors.ts';

/** Which Discord shards this process runs: `ids` out of `count`. */
export interface ShardPlan {
  ids: number[];
  count: number;
}

function parseIds(raw: string): number[] {
  const ids = new Set<number>();
  for (const part of raw.split(',').map((text) => text.trim()).filter(Boolean)) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!range) throw new ShardConfigError(`SITREP_SHARD_IDS "${raw}": "${part}" is not a shard id or a range like 0-3`);
    const from = Number(range[1]);
    const to = Number(range[2] ?? range[1]);
    if (to < from) throw new ShardConfigError(`SITREP_SHARD_IDS "${raw}": range "${part}" runs backwards`);
    for (let id = from; id <= to; id += 1) ids.add(id);
  }
  if (ids.size === 0) throw new ShardConfigError(`SITREP_SHARD_IDS "${raw}": no shard ids`);
  return [...ids].sort((a, b) => a - b);
}

/**
 * `SITREP_SHARDS` (the total, across every process) and `SITREP_SHARD_IDS` (this process's ids,
 * e.g. `0,1` or `2-3`; default all of them). Null when neither is set: discord.js then runs the
 * one shard itself, or reads the SHARDS/SHARD_COUNT a discord.js ShardingManager gives its children.
 */
export function shardPlanFrom(env: NodeJS.ProcessEnv): ShardPlan | null {
  const countRaw = env['SITREP_SHARDS']?.trim();
  const idsRaw = env['SITREP_SHARD_IDS']?.trim();
  if (!countRaw && !idsRaw) return null;
  if (!countRaw) throw new ShardConfigError('SITREP_SHARD_IDS is set but SITREP_SHARDS (the total shard count) is not');
  if (!/^\d+$/.test(countRaw) || Number(countRaw) < 1) throw new ShardConfigError(`SITREP_SHARDS "${countRaw}" is not a positive whole number`);
  const count = Number(countRaw);
  const ids = idsRaw ? parseIds(idsRaw) : Array.from({ length: count }, (_, id) => id);
  const outside = ids.find((id) => id >= count);
  if (outside !== undefined) throw new ShardConfigError(`SITREP_SHARD_IDS: shard ${outside} is outside 0-${count - 1} (SITREP_SHARDS=${count})`);
  return { ids, count };
}

/**
 * Discord's rule for which shard receives a guild's events: (guild_id >> 22) % shard_count. A
 * process uses it for work Discord does not route by itself, such as a guild's scheduled digests.
 */
export function shardOfGuild(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** True when this process's shards include the guild's (always true without a plan). */
export function ownsGuild(plan: ShardPlan | null, guildId: string): boolean {
  return plan === null || plan.ids.includes(shardOfGuild(guildId, plan.count));
}

/** The discord.js Client options for a plan. */
export function clientShardOptions(plan: ShardPlan | null): { shards: number[]; shardCount: number } | Record<string, never> {
  return plan ? { shards: plan.ids, shardCount: plan.count } : {};
}

/**
 * Hands a plan to discord.js through the variables its ShardingManager sets for its children
 * (SHARDS, SHARD_COUNT), which every discord.js Client reads when built without shard options.
 */
export function exportShardPlan(env: NodeJS.ProcessEnv, plan: ShardPlan | null): void {
  if (!plan) return;
  env['SHARDS'] = JSON.stringify(plan.ids);
  env['SHARD_COUNT'] = String(plan.count);
}
