import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DefaultRestOptions,
  Events,
  GatewayIntentBits,
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type RESTOptions,
} from 'discord.js';
import { createRequire } from 'node:module';
import { timeDiscordRequests } from '../ops/metrics.ts';
import type { CommandContext, CommandInput, OptionValue } from './command.ts';
import { findCommand, refusalFor, runCommand } from './dispatch.ts';
import { messageFor as messageText } from './messages.ts';
import { createPager, pageButtonId, parsePageButtonId, type Pager } from './pager.ts';
import { registerCommandsIfChanged } from './register.ts';
import { renderDiscord } from './render-discord.ts';
import type { Reply } from './reply.ts';

export const DEFAULT_DISCORD_API = 'https://discord.com/api';

export interface DiscordTransport {
  client: Client;
  /** Resolves once the client is ready and commands are registered. */
  ready: Promise<void>;
  /** Stops taking interactions, lets the ones in flight answer (bounded), and disconnects. */
  stop(): Promise<void>;
}

/** The caller's role ids, whether discord.js cached the member or only has the raw API shape. */
function roleIdsOf(member: ChatInputCommandInteraction['member']): string[] {
  if (!member) return [];
  return Array.isArray(member.roles) ? [...member.roles] : [...member.roles.cache.keys()];
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
    roleIds: interaction.inGuild() ? roleIdsOf(interaction.member) : [],
    transport: 'discord',
  };
}

type Components = Array<ActionRowBuilder<ButtonBuilder>>;

/** Prev / "2 of 5" / Next; the middle one is a disabled label. */
function pageButtons(key: string, index: number, total: number): Components {
  return [
    new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder()
        .setCustomId(pageButtonId(key, Math.max(0, index - 1)))
        .setLabel('Prev')
        .setStyle(ButtonStyle.Secondary)
        .setDisabled(index === 0),
      new ButtonBuilder()
        .setCustomId(`${pageButtonId(key, index)}:at`)
        .setLabel(`${index + 1} of ${total}`)
        .setStyle(ButtonStyle.Secondary)
        .setDisabled(true),
      new ButtonBuilder()
        .setCustomId(pageButtonId(key, Math.min(total - 1, index + 1)))
        .setLabel('Next')
        .setStyle(ButtonStyle.Secondary)
        .setDisabled(index >= total - 1),
    ),
  ];
}

/** The message discord.js sends for a reply: rendered, with its files and page buttons. */
function messageFor(reply: Reply, components: Components) {
  const payload = renderDiscord(reply);
  return {
    payload,
    message: {
      content: payload.content,
      embeds: payload.embeds,
      allowedMentions: payload.allowedMentions,
      components,
      files: (reply.files ?? []).map((file) => new AttachmentBuilder(file.data, { name: file.name })),
    },
  };
}

async function send(interaction: ChatInputCommandInteraction, reply: Reply, pager: Pager): Promise<void> {
  const pages = reply.pages ?? [];
  const components = pages.length > 1 && !reply.ephemeral ? pageButtons(pager.save(interaction.user.id, pages), 0, pages.length) : [];
  const { payload, message } = messageFor(reply, components);
  if (!interaction.deferred) {
    await interaction.reply({ ...message, ...(payload.ephemeral ? { flags: MessageFlags.Ephemeral as const } : {}) });
    return;
  }
  if (payload.ephemeral) {
    // A deferral is public; an error or refusal found after it goes to the asker alone, and the
    // public "thinking..." message is removed instead of being turned into the error.
    await interaction.followUp({ ...message, flags: MessageFlags.Ephemeral });
    await interaction.deleteReply().catch(() => undefined);
    return;
  }
  await interaction.editReply(message);
}

async function answer(interaction: ChatInputCommandInteraction, ctx: CommandContext, pager: Pager): Promise<void> {
  const command = findCommand(ctx.commands, interaction.commandName);
  const input = toInput(interaction);
  // Refusals are checked before any deferral so that they are answered privately and at once.
  const refused = command ? await refusalFor(command, input, ctx) : null;
  if (refused) {
    await send(interaction, refused, pager);
    return;
  }
  if (command?.defer) await interaction.deferReply();
  await send(interaction, await runCommand(input, ctx, true), pager);
}

async function turnPage(interaction: ButtonInteraction, pager: Pager): Promise<void> {
  const wanted = parsePageButtonId(interaction.customId);
  const answer = wanted ? pager.get(wanted.key) : undefined;
  const privately = (code: string) =>
    interaction.reply({ content: messageText(code), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  if (!wanted || !answer) {
    await privately('page.expired');
    return;
  }
  if (answer.userId !== interaction.user.id) {
    await privately('page.not-yours');
    return;
  }
  const index = Math.min(wanted.index, answer.pages.length - 1);
  const page = answer.pages[index];
  if (!page) return;
  const { message } = messageFor({ ...page }, pageButtons(wanted.key, index, answer.pages.length));
  await interaction.update({ content: message.content, embeds: message.embeds, components: message.components, allowedMentions: message.allowedMentions });
}

async function complete(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void> {
  const command = findCommand(ctx.commands, interaction.commandName);
  const focused = interaction.options.getFocused(true);
  const choices = command?.autocomplete?.(focused.name, String(focused.value), ctx) ?? [];
  await interaction.respond(choices.slice(0, 25));
}

/**
 * An HTTP agent of the undici that discord.js's REST client calls. Without one it sends through
 * undici's process-wide dispatcher, which is an agent of whichever undici was loaded first: when
 * that is the feed fetcher's (a newer major version), every upload failed ("action is not a
 * function": the newer undici cannot read the form data of Node's built-in one).
 */
function discordRestAgent(): NonNullable<RESTOptions['agent']> {
  const fromDiscord = createRequire(createRequire(import.meta.url).resolve('discord.js'));
  const fromRest = createRequire(fromDiscord.resolve('@discordjs/rest'));
  const { Agent } = fromRest('undici') as { Agent: new () => NonNullable<RESTOptions['agent']> };
  return new Agent();
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
    rest: { api: options.apiBase, agent: discordRestAgent(), makeRequest: timeDiscordRequests(DefaultRestOptions.makeRequest) },
    allowedMentions: { parse: [] },
  });
  const inFlight = new Set<Promise<void>>();
  const pager = createPager({ now: () => Date.now() });
  let stopping = false;

  client.on(Events.Error, (error) => log.error({ err: error.message }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn(message));
  client.on(Events.ShardDisconnect, (_event, shard) => log.warn({ shard }, 'gateway disconnected'));

  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    if (stopping) return;
    let work: Promise<void> | null = null;
    if (interaction.isChatInputCommand()) work = answer(interaction, ctx, pager);
    else if (interaction.isAutocomplete()) work = complete(interaction, ctx);
    else if (interaction.isButton()) work = turnPage(interaction, pager);
    if (!work) return;
    const tracked = work.catch((error: unknown) => {
      log.error(
        { err: (error as Error).message, command: interaction.isCommand() ? interaction.commandName : null },
        'could not answer an interaction',
      );
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
