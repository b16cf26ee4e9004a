import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Logger } from '../log.ts';
import type { Config } from '../config/schema.ts';
import type { Store } from '../store/index.ts';
import type { Baseline, TopicDef } from '../news/types.ts';
import type { BriefService } from '../briefing/service.ts';
import type { Reply } from './reply.ts';

export type OptionValue = string | number | boolean;

/** One invocation of a command, the same whether it came from Discord or the console. */
export interface CommandInput {
  name: string;
  subcommand: string | null;
  options: Record<string, OptionValue>;
  /** null in a DM or the console. */
  guildId: string | null;
  channelId: string | null;
  userId: string;
  /** The caller's permissions in the guild; null in a DM. The console is trusted (all). */
  permissions: bigint | null;
  /** The caller's role ids in the guild, for the guild's admin role; empty in a DM and the console. */
  roleIds?: readonly string[];
  transport: 'discord' | 'console';
}

/**
 * What a changing subcommand needs: Manage Server, or the guild's admin role (GuildSettings.adminRoleId)
 * unless `adminRole` is false (the command that names that role must not let the role name itself).
 */
export interface CommandRequirement {
  userPermissions: ReadonlyArray<'ManageGuild'>;
  /** The subcommands that change settings; the others (list, show, ...) are open to everyone. */
  subcommands: ReadonlyArray<string>;
  adminRole?: boolean;
}

/** Digest delivery as commands see it (/digest now, /status). */
export interface DigestService {
  /** Composes and posts one schedule's digest now, outside its schedule. */
  runNow(guildId: string, scheduleId: string): Promise<{ posted: boolean; detail: string }>;
  /** The next time any of the guild's schedules fires (any guild's when null); null when none. */
  nextRun(guildId: string | null): Promise<Date | null>;
  /** Digests that have been failing for 24 hours or more (kept and retried, never dropped). */
  failedDigests(): Promise<Array<{ guildId: string; channelId: string; attempts: number; lastError: string | null }>>;
}

/** Services a handler may use. Handed in, never imported, so tests can build their own. */
export interface CommandContext {
  config: Config;
  topics: TopicDef[];
  /** The baseline story each topic is compared with. */
  baselines: ReadonlyMap<string, Baseline>;
  store: Store;
  briefs: BriefService;
  digests: DigestService;
  log: Logger;
  now: () => Date;
  /** Resolves when the first poll after start-up is done, so a brief never reads an empty store by accident. */
  firstPoll: Promise<void>;
  version: string;
  commands: ReadonlyArray<Command>;
}

export interface Command {
  data: { name: string; description: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  /** Discord shows "thinking..." first: the answer may take over a few seconds. */
  defer?: boolean;
  /** Works in DMs (no guild). */
  dm?: boolean;
  /** Checked by dispatch before `execute`; also set as the command's default_member_permissions. */
  requires?: CommandRequirement;
  execute(input: CommandInput, ctx: CommandContext): Promise<Reply>;
  /** Choices for an option being typed (Discord autocomplete). */
  autocomplete?(option: string, typed: string, ctx: CommandContext): Array<{ name: string; value: string }>;
}
