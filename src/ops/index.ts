export {
  registry,
  feedsPolled,
  fetchErrors,
  itemsStored,
  storiesCreated,
  digestsSent,
  digestsFailed,
  discordRestSeconds,
  leasesHeld,
  timeDiscordRequests,
  discordRoute,
  metricsText,
} from './metrics.ts';
export { startOpsServer, opsPortFrom } from './server.ts';
export type { HealthChecks, OpsServer } from './server.ts';
export { shardPlanFrom, shardOfGuild, ownsGuild, clientShardOptions, exportShardPlan } from './shards.ts';
export type { ShardPlan } from './shards.ts';
export { checkSupervisable, childEnv, supervise } from './supervise.ts';
export { OpsPortError, OpsListenError, ShardConfigError } from './errors.ts';
