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

/**
 * Runs one command for either transport: finds it, checks where it may run, executes it, and turns
 * any failure into a reply. Never throws.
 */
export async function runCommand(input: CommandInput, ctx: CommandContext): Promise<Reply> {
  const command = findCommand(ctx.commands, input.name);
  if (!command) {
    return replyForError(
      new UserInputError('command.unknown', `"/${input.name.slice(0, 40)}" is not one of my commands.`),
      ctx,
      input,
    );
  }
  if (input.transport === 'discord' && input.guildId === null && !command.dm) {
    return textReply(messageFor('command.guild-only'), { ephemeral: true, error: true });
  }
  try {
    return await command.execute(input, ctx);
  } catch (error) {
    return replyForError(error, ctx, input);
  }
}
