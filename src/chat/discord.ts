import {
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
} from 'discord.js';
import type { CommandContext, CommandInput, OptionValue } from './command.ts';
import { findCommand, runCommand } from './dispatch.ts';
import { registerCommandsIfChanged } from './register.ts';
import { renderDiscord } from './render-discord.ts';

export const DEFAULT_DISCORD_API = 'https://discord.com/api';

export interface DiscordTransport {
  client: Client;
  /** Resolves once the client is ready and commands are registered. */
  ready: Promise<void>;
  /** Stops taking interactions, lets the ones in flight answer (bounded), and disconnects. */
  stop(): Promise<void>;
}

function toInput(interaction: ChatInputCommandInteraction): CommandInput {
  const options: Record<string, OptionValue> = {};
  for (const option of interaction.options.data.flatMap((entry) => (entry.options ? entry.options : [entry]))) {
    if (option.value !== undefined && option.value !== null) options[option.name] = option.value;
  }
  return {
    name: interaction.commandName,
    subcommand: interaction.options.getSubcommand(false),
    options,
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    userId: interaction.user.id,
    permissions: interaction.inGuild() ? (interaction.memberPermissions?.bitfield ?? 0n) : null,
    transport: 'discord',
  };
}

async function answer(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const command = findCommand(ctx.commands, interaction.commandName);
  if (command?.defer) await interaction.deferReply();
  const reply = await runCommand(toInput(interaction), ctx);
  const payload = renderDiscord(reply);
  const message = { content: payload.content, embeds: payload.embeds, allowedMentions: payload.allowedMentions };
  if (interaction.deferred) {
    await interaction.editReply(message);
  } else {
    await interaction.reply({ ...message, ...(payload.ephemeral ? { flags: MessageFlags.Ephemeral as const } : {}) });
  }
}

async function complete(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void> {
  const command = findCommand(ctx.commands, interaction.commandName);
  const focused = interaction.options.getFocused(true);
  const choices = command?.autocomplete?.(focused.name, String(focused.value), ctx) ?? [];
  await interaction.respond(choices.slice(0, 25));
}

/** Logs in to Discord (or the loopback emulator named by `apiBase`) and answers slash commands. */
export function startDiscord(options: {
  token: string;
  apiBase: string;
  devGuildId: string | null;
  ctx: CommandContext;
}): DiscordTransport {
  const { ctx } = options;
  const log = ctx.log.child({ transport: 'discord' });
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: options.apiBase },
    allowedMentions: { parse: [] },
  });
  const inFlight = new Set<Promise<void>>();
  let stopping = false;

  client.on(Events.Error, (error) => log.error({ err: error.message }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn(message));
  client.on(Events.ShardDisconnect, (_event, shard) => log.warn({ shard }, 'gateway disconnected'));

  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    if (stopping) return;
    let work: Promise<void> | null = null;
    if (interaction.isChatInputCommand()) work = answer(interaction, ctx);
    else if (interaction.isAutocomplete()) work = complete(interaction, ctx);
    if (!work) return;
    const tracked = work.catch((error: unknown) => {
      log.error({ err: (error as Error).message, command: interaction.isCommand() ? interaction.commandName : null }, 'could not answer an interaction');
    });
    inFlight.add(tracked);
    void tracked.finally(() => inFlight.delete(tracked));
  });

  const ready = new Promise<void>((resolve, reject) => {
    client.once(Events.ClientReady, (readyClient) => {
      log.info({ user: readyClient.user.tag, guilds: readyClient.guilds.cache.size }, 'logged in to Discord');
      registerCommandsIfChanged({
        client: readyClient,
        body: ctx.commands.map((command) => command.data.toJSON()),
        guildId: options.devGuildId,
        meta: ctx.store.meta,
        log,
      }).then(
        () => resolve(),
        (error: unknown) => {
          log.error({ err: (error as Error).message }, 'could not register slash commands');
          resolve();
        },
      );
    });
    client.login(options.token).catch((error: unknown) => {
      reject(error instanceof Error ? error : new Error(String(error)));
    });
  });

  return {
    client,
    ready,
    stop: async () => {
      stopping = true;
      const grace = new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref());
      await Promise.race([Promise.all(inFlight), grace]);
      await client.destroy();
    },
  };
}
