import { randomBytes } from 'node:crypto';
import { isSitrepError } from '../errors.ts';
import type { Command, CommandContext, CommandInput } from './command.ts';
import { UserInputError } from './errors.ts';
import { messageFor } from './messages.ts';
import { textReply, type Reply } from './reply.ts';

export function findCommand(commands: ReadonlyArray<Command>, name: string): Command | undefined {
  return commands.find((command) => command.data.name === name);
}

/** What a failed command shows its caller: the catalogue text for known errors, an incident id otherwise. */
export function replyForError(error: unknown, ctx: Pick<CommandContext, 'log'>, input: CommandInput): Reply {
  if (error instanceof UserInputError) {
    return textReply(`${messageFor(error.code)} ${error.detail}`, { ephemeral: true, error: true });
  }
  if (isSitrepError(error)) {
    ctx.log.warn({ command: input.name, code: error.code, err: error.message }, 'command failed');
    return textReply(messageFor(error.code), { ephemeral: true, error: true });
  }
  const incident = randomBytes(4).toString('hex');
  ctx.log.error(
    { command: input.name, incident, err: error instanceof Error ? { message: error.message, stack: error.stack } : error },
    'command crashed',
  );
  return textReply(`${messageFor('internal')} (incident ${incident}).`, { ephemeral: true, error: true });
}

const MANAGE_GUILD = 1n << 5n;
const ADMINISTRATOR = 1n << 3n;

/** Whether this invocation is one of the command's changing subcommands. */
export function needsAdmin(command: Command, input: Pick<CommandInput, 'subcommand'>): boolean {
  const requires = command.requires;
  return requires !== undefined && input.subcommand !== null && requires.subcommands.includes(input.subcommand);
}

/**
 * Why this caller may not run this command here, as the ephemeral reply they get; null when they
 * may. Discord hides admin commands through default_member_permissions, but a server can change
 * that in its Integrations settings, so the check is made again on every run.
 */
export async function refusalFor(command: Command, input: CommandInput, ctx: CommandContext): Promise<Reply | null> {
  // The console is the operator's own terminal: trusted, and not inside any server.
  if (input.transport === 'console') return null;
  if (input.guildId === null) {
    return command.dm ? null : textReply(messageFor('command.guild-only'), { ephemeral: true, error: true });
  }
  if (!needsAdmin(command, input)) return null;
  const permissions = input.permissions ?? 0n;
  if ((permissions & (MANAGE_GUILD | ADMINISTRATOR)) !== 0n) return null;
  if (command.requires?.adminRole !== false && (input.roleIds ?? []).length > 0) {
    const { adminRoleId } = await ctx.store.guilds.get(input.guildId);
    if (adminRoleId && (input.roleIds ?? []).includes(adminRoleId)) return null;
  }
  const key = command.requires?.adminRole === false ? 'command.needs-manage-server-only' : 'command.needs-manage-server';
  return textReply(messageFor(key), { ephemeral: true, error: true });
}

/**
 * Runs one command for either transport: finds it, checks where and by whom it may run, executes
 * it, and turns any failure into a reply. Never throws.
 */
export async function runCommand(input: CommandInput, ctx: CommandContext, checked = false): Promise<Reply> {
  const command = findCommand(ctx.commands, input.name);
  if (!command) {
    return replyForError(
      new UserInputError('command.unknown', `"/${input.name.slice(0, 40)}" is not one of my commands.`),
      ctx,
      input,
    );
  }
  try {
    if (!checked) {
      const refused = await refusalFor(command, input, ctx);
      if (refused) return refused;
    }
    return await command.execute(input, ctx);
  } catch (error) {
    return replyForError(error, ctx, input);
  }
}
