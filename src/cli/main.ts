import { parseArgs } from 'node:util';
import { oneLine } from '../errors.ts';
import { VERSION } from '../version.ts';

const USAGE = `sitrep ${VERSION}: a news-monitoring chat bot that tells you what is new against a baseline story.

Usage:
  sitrep run [--sample] [--config <file>]     start the bot (Discord with DISCORD_TOKEN, else a local console)
  sitrep run --processes <n> [...]            n bot processes, shard i of n each, on a shared SITREP_STORE
  sitrep check-config [<file>]                validate a config file (default: SITREP_CONFIG or config/default.json)
  sitrep feed parse <file>...                 parse feed files; one JSON line per file
  sitrep feed test <url> [--config <file>]    fetch a feed once; print what was found and any health problem
  sitrep summarize --baseline <file> --words <n> [--query <text>] <item file>...
  sitrep delta --baseline <file> <item file> [--json]
  sitrep stories [--json] < items.jsonl
  sitrep deploy-commands                      register the slash commands with Discord (REST only)
  sitrep help | --version

Environment: DISCORD_TOKEN, DISCORD_API_BASE, SITREP_CONFIG, SITREP_STORE, SITREP_DEV_GUILD_ID, LOG_LEVEL,
  SITREP_OPS_PORT (/healthz and /metrics on 127.0.0.1), SITREP_SHARDS and SITREP_SHARD_IDS (this process's shards).`;

function fail(message: string, code = 1): number {
  process.stderr.write(`sitrep: ${message}\n`);
  return code;
}

async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { sample: { type: 'boolean', default: false }, config: { type: 'string' }, processes: { type: 'string' } },
    allowPositionals: false,
  });
  if (values.processes !== undefined) {
    const { checkSupervisable, supervise } = await import('../ops/index.ts');
    const { createLogger } = await import('../log.ts');
    const processes = Number(values.processes);
    checkSupervisable(processes, process.env);
    const args = ['run', ...(values.sample ? ['--sample'] : []), ...(values.config ? ['--config', values.config] : [])];
    const log = createLogger({ level: process.env['LOG_LEVEL'] ?? 'info', pretty: process.stderr.isTTY, secrets: [process.env['DISCORD_TOKEN'] ?? ''].filter(Boolean) });
    return supervise({ processes, command: { file: process.argv[1] ?? 'bin/sitrep', args }, env: process.env, log });
  }
  // This process's Discord shards (SITREP_SHARDS / SITREP_SHARD_IDS), in the variables discord.js reads.
  const { exportShardPlan, shardPlanFrom } = await import('../ops/index.ts');
  exportShardPlan(process.env, shardPlanFrom(process.env));
  const { runBot } = await import('../main.ts');
  const bot = await runBot({
    env: process.env,
    sample: values.sample ?? false,
    ...(values.config ? { configFile: values.config } : {}),
    input: process.stdin,
    output: process.stdout,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    handleSignals: true,
  });
  return bot.finished;
}

async function checkConfig(argv: string[]): Promise<number> {
  const { configFileFrom, loadConfig } = await import('../config/load.ts');
  const { loadBaselines } = await import('../config/baselines.ts');
  const loaded = await loadConfig(configFileFrom(process.env, argv[0]));
  await loadBaselines(loaded);
  const { config } = loaded;
  process.stdout.write(
    `${loaded.file}: ok (${config.feeds.length} feeds, ${config.topics.length} topics, poll every ${config.poll.intervalMinutes} min, digest "${config.digest.schedule}" ${config.digest.timezone})\n`,
  );
  return 0;
}

async function feedTest(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { config: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1 || !positionals[0]) return fail('usage: sitrep feed test <url> [--config <file>]', 2);
  const { configFileFrom, loadConfig } = await import('../config/load.ts');
  const { runFeedTest } = await import('./feed-commands.ts');
  const { poll } = (await loadConfig(configFileFrom(process.env, values.config))).config;
  return runFeedTest(
    positionals[0],
    {
      timeoutMs: poll.timeoutSeconds * 1_000,
      maxBytes: poll.maxBytes,
      allowPrivate: poll.allowPrivateAddresses,
      userAgent: poll.userAgent,
      intervalMs: poll.intervalMinutes * 60_000,
      now: new Date(),
    },
    (line) => process.stdout.write(`${line}\n`),
  );
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return run(rest);
    case 'check-config':
      return checkConfig(rest);
    case 'feed': {
      if (rest[0] === 'test') return feedTest(rest.slice(1));
      if (rest[0] !== 'parse') return fail('usage: sitrep feed parse <file>... | sitrep feed test <url>', 2);
      if (rest.length < 2) return fail('feed parse: give at least one file', 2);
      const { runFeedParse } = await import('./feed-commands.ts');
      return runFeedParse(rest.slice(1));
    }
    case 'summarize': {
      const { runSummarize } = await import('./news-commands.ts');
      return runSummarize(rest);
    }
    case 'delta': {
      const { runDelta } = await import('./news-commands.ts');
      return runDelta(rest);
    }
    case 'stories': {
      const { runStories } = await import('./news-commands.ts');
      return runStories(rest);
    }
    case 'deploy-commands': {
      const { deployCommands } = await import('./deploy-commands.ts');
      return deployCommands(process.env);
    }
    case '--version':
    case 'version':
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      return fail(`unknown command "${command}"; see sitrep help`, 2);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.exitCode = fail(oneLine(error));
}
