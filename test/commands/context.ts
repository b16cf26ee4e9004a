import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commands } from '../../commands/index.ts';
import { createBriefService } from '../../src/briefing/index.ts';
import type { CommandContext, CommandInput } from '../../src/chat/command.ts';
import { loadBaselines } from '../../src/config/baselines.ts';
import { loadConfig } from '../../src/config/load.ts';
import { digestsNotRunning } from '../../src/digest/pending.ts';
import { createLogger } from '../../src/log.ts';
import { openStore } from '../../src/store/index.ts';
import { ROOT } from '../harness/bot-process.ts';

/** A command context over a fresh SQLite store and the default config, with a fixed clock. */
export async function testContext(now = new Date('2015-12-01T12:00:00Z')): Promise<CommandContext> {
  const loaded = await loadConfig(join(ROOT, 'config/default.json'));
  const baselines = await loadBaselines(loaded);
  const store = await openStore(`sqlite://${join(await mkdtemp(join(tmpdir(), 'sitrep-commands-')), 'store.sqlite')}`);
  const topics = loaded.config.topics.map((topic) => ({
    id: topic.id,
    name: topic.name,
    keywords: topic.keywords,
    aliases: topic.aliases,
    exclude: topic.exclude,
  }));
  return {
    config: loaded.config,
    topics,
    baselines,
    store,
    briefs: createBriefService({ store, config: loaded.config, baselines, now: () => now }),
    digests: digestsNotRunning(),
    log: createLogger({ level: 'error' }),
    now: () => now,
    firstPoll: Promise.resolve(),
    version: '0.0.0-test',
    commands,
  };
}

export const MANAGE_GUILD = 1n << 5n;

/** A Discord invocation in guild `g1` by a member with no permissions, unless overridden. */
export function discordInput(overrides: Partial<CommandInput> & Pick<CommandInput, 'name'>): CommandInput {
  return {
    subcommand: null,
    options: {},
    guildId: 'g1',
    channelId: 'c1',
    userId: 'u1',
    permissions: 0n,
    roleIds: [],
    transport: 'discord',
    ...overrides,
  };
}
