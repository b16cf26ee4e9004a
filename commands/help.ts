import { SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/chat/command.ts';

export const data = new SlashCommandBuilder()
  .setName('help')
  .setDescription('What sitrep can do: every command in one line')
  .setDMPermission(true);

export const help: Command = {
  data,
  dm: true,
  execute(_input, ctx) {
    const lines = ctx.commands.map((command) => `/${command.data.name}: ${command.data.description}`);
    const topics = ctx.topics.map((topic) => topic.id).join(', ');
    return Promise.resolve({
      text: [`sitrep ${ctx.version}: news against a baseline story.`, ...lines, `Topics: ${topics}.`].join('\n'),
      blocks: [],
      ephemeral: true,
    });
  },
};
