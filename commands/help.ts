import { ApplicationCommandOptionType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/chat/command.ts';

export const data = new SlashCommandBuilder()
  .setName('help')
  .setDescription('What sitrep can do: every command in one line')
  .setDMPermission(true);

/** "/watch add|remove|list|explain" for a command with subcommands, "/brief" otherwise. */
function usage(command: Command): string {
  const subcommands = (command.data.toJSON().options ?? [])
    .filter((option) => option.type === ApplicationCommandOptionType.Subcommand)
    .map((option) => option.name);
  return `/${command.data.name}${subcommands.length > 0 ? ` ${subcommands.join('|')}` : ''}`;
}

export const help: Command = {
  data,
  dm: true,
  execute(input, ctx) {
    const lines = ctx.commands.map((command) => {
      const where = command.dm ? '' : ' (servers only)';
      const admin = command.requires ? ` (${command.requires.subcommands.join('/')} need Manage Server)` : '';
      return `${usage(command)}: ${command.data.description}${where}${admin}`;
    });
    const topics = ctx.topics.map((topic) => topic.id).join(', ');
    return Promise.resolve({
      text: [
        `sitrep ${ctx.version}: news against a baseline story.`,
        ...lines,
        `Topics: ${topics}.`,
        input.guildId === null && input.transport === 'discord' ? 'In direct messages, /brief, /trend and /help work.' : '',
      ]
        .filter(Boolean)
        .join('\n'),
      blocks: [],
      ephemeral: true,
    });
  },
};
