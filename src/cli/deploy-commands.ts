import { REST, Routes } from 'discord.js';
import { commands } from '../../commands/index.ts';
import { DEFAULT_DISCORD_API } from '../chat/discord.ts';

/**
 * Registers the slash commands over REST alone: to SITREP_DEV_GUILD_ID when set (instant, for
 * development), else globally. Exits non-zero when Discord refuses.
 */
export async function deployCommands(env: NodeJS.ProcessEnv): Promise<number> {
  const token = env['DISCORD_TOKEN']?.trim();
  if (!token) {
    process.stderr.write('sitrep: deploy-commands: set DISCORD_TOKEN to the bot token\n');
    return 2;
  }
  const rest = new REST({ api: env['DISCORD_API_BASE'] || DEFAULT_DISCORD_API }).setToken(token);
  try {
    const app = (await rest.get(Routes.currentApplication())) as { id: string };
    const body = commands.map((command) => command.data.toJSON());
    const guild = env['SITREP_DEV_GUILD_ID'];
    await rest.put(guild ? Routes.applicationGuildCommands(app.id, guild) : Routes.applicationCommands(app.id), { body });
    process.stdout.write(`registered ${body.length} commands ${guild ? `in guild ${guild}` : 'globally'}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`sitrep: deploy-commands: ${(error as Error).message.split('\n')[0]}\n`);
    return 1;
  }
}
