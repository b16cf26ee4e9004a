/**
 * A loopback emulator of Discord's gateway and REST API, good enough for the real discord.js
 * v14 client: point `new Client({ rest: { api: emu.apiBase } })` at it and `login(emu.token)`.
 *
 * One node:http server on 127.0.0.1 serves REST under /api/v10 and the gateway WebSocket
 * (any upgrade request). Tests drive it with sendCommand/sendButton and read back what the bot
 * sent with waitForReply/replies/channelMessages/registeredCommands/requests.
 *
 * Sharding is Discord's: each connection gets READY, GUILD_CREATE and guild events only for the
 * guilds of the shard it named in IDENTIFY, and DM events only on shard 0, so several processes
 * that split the shards between them can be told apart by what reaches them.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Response as UndiciResponse } from 'undici';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
  GatewayDispatchEvents,
  GatewayOpcodes,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  Locale,
  type APIApplicationCommandInteractionDataBasicOption,
  type ApplicationFlags,
  type APIApplicationCommandInteractionDataOption,
  type APIAttachment,
  type APIChatInputApplicationCommandInteraction,
  type APIDMChannel,
  type APIEmbed,
  type APIInteractionGuildMember,
  type APIInteractionDataResolved,
  type APIInteractionDataResolvedChannel,
  type APIMessage,
  type APIMessageComponentButtonInteraction,
  type APIMessageTopLevelComponent,
  type APITextChannel,
  type APIUser,
  type GatewayReadyDispatchData,
  type RESTGetAPIGatewayBotResult,
} from 'discord-api-types/v10';
import {
  DEFAULT_EVERYONE_PERMISSIONS,
  SnowflakeGen,
  isRecord,
  makeDMChannel,
  makeGuildBase,
  makeGuildCreate,
  makeMember,
  makeMessage,
  makeRole,
  makeTextChannel,
  makeUser,
  validateMessageBody,
} from './discord-payloads.ts';

// ------------------------------------------------------------------ public API

export interface EmulatorGuild {
  id: string;
  name: string;
  channels: Array<{ id: string; name: string }>;
  ownerId?: string;
  /** Extra roles besides @everyone (e.g. an editors role a test names as the bot's admin role). */
  roles?: Array<{ id: string; name: string; permissions?: string }>;
}

export interface EmulatorOptions {
  guilds?: EmulatorGuild[];
  applicationId?: string;
  botUserId?: string;
  token?: string;
  /** Permissions of @everyone (and so of the bot, and app_permissions). Default: view/send/embed/attach/history. */
  everyonePermissions?: string;
  /** If > 0, an interaction callback later than this after sendCommand/sendButton answers 404 10062 (Discord: 3000). Default 0 = no deadline. */
  ackDeadlineMs?: number;
  /** Log sink for unhandled routes and gateway oddities. Default console.warn. */
  log?: (line: string) => void;
  /** The shard count GET /gateway/bot recommends. Default 1. */
  shards?: number;
}

/** A shard as IDENTIFY names it: `[shard_id, num_shards]`. */
export type ShardTuple = [id: number, count: number];

/** One identified gateway connection, as the emulator sees it. */
export interface EmulatorConnection {
  shard: ShardTuple;
  /** The guilds this connection was given in READY (those of its shard). */
  guilds: string[];
}

export type EmulatorReplyKind = 'reply' | 'defer' | 'edit' | 'followup' | 'update' | 'delete';

export interface EmulatorReply {
  kind: EmulatorReplyKind;
  content: string | null;
  embeds: unknown[];
  components: unknown[];
  flags: number;
  allowedMentions: unknown;
  files: Array<{ name: string; data: Buffer; contentType: string }>;
  /** Id of the message this reply created or changed (none for a type-6 deferred update). */
  messageId?: string;
  /** Interaction callback type for reply/defer/update (4, 5, 6 or 7). */
  callbackType?: number;
}

/** What waitForReply resolves with: the visible reply plus every follow-up recorded so far. */
export interface EmulatorVisibleReply extends EmulatorReply {
  followups: EmulatorReply[];
}

export interface EmulatorMessage {
  id: string;
  channelId: string;
  content: string | null;
  embeds: unknown[];
  components: unknown[];
  allowedMentions: unknown;
  files: Array<{ name: string; data: Buffer }>;
  /** The full message object the emulator answered with. */
  raw: APIMessage;
}

export interface EmulatorRequest {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

export interface CommandSpec {
  name: string;
  options?: Record<string, string | number | boolean>;
  subcommand?: string;
  subcommandGroup?: string;
  guildId?: string;
  channelId?: string;
  userId?: string;
  permissions?: string;
  /** Role ids of the calling member (roles the guild spec declares). */
  roles?: string[];
}

export interface ButtonSpec {
  customId: string;
  messageId: string;
  guildId?: string;
  channelId?: string;
  userId?: string;
  permissions?: string;
}

/** What an onRequest hook wants done with the request: 'drop' it, or answer as usual. */
export type EmulatorHookAction = 'drop' | 'answer' | undefined;

export interface DiscordEmulator {
  apiBase: string;
  token: string;
  applicationId: string;
  botUserId: string;
  /** ws:// URL of the gateway. */
  gatewayUrl: string;
  whenIdentified(timeoutMs?: number): Promise<void>;
  sendCommand(cmd: CommandSpec): string;
  sendButton(b: ButtonSpec): string;
  waitForReply(interactionId: string, timeoutMs?: number): Promise<EmulatorVisibleReply>;
  replies(interactionId: string): EmulatorReply[];
  channelMessages(channelId: string): EmulatorMessage[];
  registeredCommands(): { global: unknown[]; guilds: Record<string, unknown[]>; puts: number };
  failNext(route: RegExp, status: 429 | 500, times?: number, retryAfterSeconds?: number): void;
  /**
   * Lets a test act when a matching request ("POST /api/v10/channels/1/messages") arrives: with
   * phase 'before' ahead of handling it, with 'after' once handled (a message is created) but
   * before the answer is written. `fn` may SIGKILL the bot; resolving 'drop' closes the connection
   * without an answer (and, before, without handling the request). For the next `times` (1) matches.
   */
  onRequest(
    route: RegExp,
    fn: (req: { method: string; path: string; body: unknown }) => EmulatorHookAction | Promise<EmulatorHookAction>,
    opts?: { phase?: 'before' | 'after'; times?: number },
  ): void;
  requests: EmulatorRequest[];
  /** Later requests to the channel answer 404 10003; also dispatches CHANNEL_DELETE unless notify is false. */
  deleteChannel(channelId: string, opts?: { notify?: boolean }): void;
  /** Number of gateway connections that have identified (reconnects count again). */
  identifyCount(): number;
  /** The identified connections open now. */
  connections(): EmulatorConnection[];
  /** The shards an interaction was dispatched to (one connection each). */
  deliveredTo(interactionId: string): ShardTuple[];
  close(): Promise<void>;
}

// ------------------------------------------------------------------ internals

const DEFAULT_GUILD: EmulatorGuild = {
  id: '100000000000000001',
  name: 'Test Guild',
  channels: [{ id: '200000000000000001', name: 'general' }],
};
const DEFAULT_USER_ID = '300000000000000001';
const DEFAULT_OWNER_ID = '300000000000000009';
const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;

interface InteractionState {
  id: string;
  token: string;
  kind: 'command' | 'component';
  channelId: string;
  guildId: string | undefined;
  createdAt: number;
  acked: boolean;
  originalMessageId: string | undefined;
  messageIds: Set<string>;
  replies: EmulatorReply[];
  listeners: Set<() => void>;
  /** Where INTERACTION_CREATE went. */
  shards: ShardTuple[];
}

interface ParsedBody {
  json: unknown;
  files: Array<{ name: string; data: Buffer; contentType: string }>;
}

interface FailRule {
  route: RegExp;
  status: 429 | 500;
  remaining: number;
  retryAfter: number;
}

interface Conn {
  ws: WebSocket;
  seq: number;
  identified: boolean;
  shard: ShardTuple;
}

/**
 * Discord's routing rule: a guild's events go to shard (guild_id >> 22) % num_shards, and events
 * without a guild (DMs) to shard 0.
 */
export function shardOfGuild(guildId: string | undefined, count: number): number {
  return guildId === undefined ? 0 : Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** The `shard` field of IDENTIFY when it is well formed (absent means [0, 1]); null otherwise. */
function identifiedShard(raw: unknown): ShardTuple | null {
  if (raw === undefined) return [0, 1];
  if (!Array.isArray(raw) || raw.length !== 2) return null;
  const [id, count] = raw as unknown[];
  if (typeof id !== 'number' || typeof count !== 'number') return null;
  if (!Number.isInteger(id) || !Number.isInteger(count) || count < 1 || id < 0 || id >= count) return null;
  return [id, count];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body.message === 'string' ? body.message : `HTTP ${status}`);
  }
}

const unknown = (code: number, what: string) => new HttpError(404, { message: `Unknown ${what}`, code });

function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? (v as unknown[]) : [];
}

function asNumber(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

function toEmbeds(v: unknown): APIEmbed[] {
  return asArray(v)
    .filter(isRecord)
    .map((e) => ({ type: 'rich', ...e }) as APIEmbed);
}

function toComponents(v: unknown): APIMessageTopLevelComponent[] {
  return asArray(v).filter(isRecord) as unknown as APIMessageTopLevelComponent[];
}

export async function startDiscordEmulator(opts: EmulatorOptions = {}): Promise<DiscordEmulator> {
  const token = opts.token ?? 'test-token';
  const applicationId = opts.applicationId ?? '500000000000000001';
  const botUserId = opts.botUserId ?? applicationId;
  const everyonePermissions = opts.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS;
  const ackDeadlineMs = opts.ackDeadlineMs ?? 0;
  const log = opts.log ?? ((line: string) => console.warn(line));
  const guildSpecs = opts.guilds ?? [DEFAULT_GUILD];
  const recommendedShards = opts.shards ?? 1;
  if (!Number.isInteger(recommendedShards) || recommendedShards < 1)
    throw new Error(`discord-emulator: shards must be a whole number >= 1, not ${recommendedShards}`);

  const snow = new SnowflakeGen();
  const startedAt = new Date().toISOString();
  const botUser = makeUser(botUserId, 'sitrep-test-bot', true);
  const users = new Map<string, APIUser>([[botUserId, botUser]]);
  const userFor = (id: string): APIUser => {
    let u = users.get(id);
    if (!u) {
      u = makeUser(id, `user${id.slice(-4)}`);
      users.set(id, u);
    }
    return u;
  };

  // channels: guild text channels and DM channels, by id
  const textChannels = new Map<string, APITextChannel>();
  const dmChannels = new Map<string, APIDMChannel>();
  const dmByUser = new Map<string, string>();
  const deletedChannels = new Set<string>();
  for (const g of guildSpecs) {
    g.channels.forEach((c, i) => textChannels.set(c.id, makeTextChannel(g.id, c.id, c.name, i)));
  }
  const dmChannelFor = (userId: string): APIDMChannel => {
    let id = dmByUser.get(userId);
    if (!id) {
      id = snow.next();
      dmByUser.set(userId, id);
      dmChannels.set(id, makeDMChannel(id, userFor(userId)));
    }
    const ch = dmChannels.get(id);
    if (!ch) throw new Error('unreachable');
    return ch;
  };
  const channelExists = (id: string) =>
    !deletedChannels.has(id) && (textChannels.has(id) || dmChannels.has(id));

  const messages = new Map<string, APIMessage>();
  const channelLog = new Map<string, EmulatorMessage[]>();
  const attachmentsData = new Map<string, { data: Buffer; contentType: string }>();
  const interactions = new Map<string, InteractionState>();
  const byToken = new Map<string, InteractionState>();
  const commands: {
    global: Array<Record<string, unknown>>;
    guilds: Record<string, Array<Record<string, unknown>>>;
    puts: number;
  } = { global: [], guilds: {}, puts: 0 };
  const failRules: FailRule[] = [];
  const hooks: Array<{
    route: RegExp;
    phase: 'before' | 'after';
    remaining: number;
    fn: (req: { method: string; path: string; body: unknown }) => EmulatorHookAction | Promise<EmulatorHookAction>;
  }> = [];
  const takeHook = (phase: 'before' | 'after', target: string) => {
    const hook = hooks.find((h) => h.remaining > 0 && h.phase === phase && h.route.test(target));
    if (hook) hook.remaining--;
    return hook;
  };
  const requests: EmulatorRequest[] = [];
  const conns = new Set<Conn>();
  let identifies = 0;
  const identifyListeners = new Set<() => void>();

  const server: Server = createServer((req, res) => {
    handleHttp(req, res).catch((e: unknown) => {
      log(`[discord-emulator] handler crashed: ${e instanceof Error ? e.stack : String(e)}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: '500: Internal Server Error', code: 0 }));
      }
    });
  });
  const wss = new WebSocketServer({ server });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const httpBase = `http://127.0.0.1:${port}`;
  const gatewayUrl = `ws://127.0.0.1:${port}/gateway`;

  // ---------------------------------------------------------------- gateway

  const send = (c: Conn, payload: Record<string, unknown>) => {
    if (c.ws.readyState === c.ws.OPEN) c.ws.send(JSON.stringify(payload));
  };
  const dispatch = (c: Conn, t: string, d: unknown) =>
    send(c, { op: GatewayOpcodes.Dispatch, t, s: ++c.seq, d });
  const servesGuild = (c: Conn, guildId: string | undefined) =>
    c.identified && shardOfGuild(guildId, c.shard[1]) === c.shard[0];
  /** Sends a guild's event (or a DM's, with no guild) to the connections of its shard only. */
  const dispatchFor = (guildId: string | undefined, t: string, d: unknown): ShardTuple[] => {
    const reached: ShardTuple[] = [];
    for (const c of conns) {
      if (servesGuild(c, guildId)) {
        dispatch(c, t, d);
        reached.push([...c.shard]);
      }
    }
    return reached;
  };

  const guildCreatePayload = (g: EmulatorGuild) => {
    const base = makeGuildBase(
      { id: g.id, name: g.name, ownerId: g.ownerId ?? DEFAULT_OWNER_ID },
      everyonePermissions,
    );
    const channels = g.channels
      .filter((c) => !deletedChannels.has(c.id))
      .flatMap((c) => textChannels.get(c.id) ?? []);
    base.roles = [
      ...base.roles,
      ...(g.roles ?? []).map((r, i) => makeRole(r.id, r.name, r.permissions ?? '0', i + 1)),
    ];
    return makeGuildCreate(base, channels, [makeMember(botUser, startedAt)], startedAt);
  };

  wss.on('connection', (ws: WebSocket) => {
    const conn: Conn = { ws, seq: 0, identified: false, shard: [0, 1] };
    conns.add(conn);
    ws.on('close', () => conns.delete(conn));
    ws.on('error', (e) => log(`[discord-emulator] gateway socket error: ${e.message}`));
    send(conn, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: 41250 } });
    ws.on('message', (raw: Buffer) => {
      let msg: unknown;
      try {
        msg = JSON.parse(raw.toString('utf8'));
      } catch {
        ws.close(4002, 'Decode error');
        return;
      }
      if (!isRecord(msg)) return;
      switch (msg.op) {
        case GatewayOpcodes.Heartbeat:
          send(conn, { op: GatewayOpcodes.HeartbeatAck });
          break;
        case GatewayOpcodes.Identify:
          onIdentify(conn, msg.d);
          break;
        case GatewayOpcodes.Resume:
          send(conn, { op: GatewayOpcodes.InvalidSession, d: false });
          break;
        default:
          break; // presence updates, member requests etc. are ignored
      }
    });
  });

  function onIdentify(conn: Conn, d: unknown) {
    if (conn.identified) {
      conn.ws.close(4005, 'Already authenticated.');
      return;
    }
    if (!isRecord(d) || d.token !== token) {
      conn.ws.close(4004, 'Authentication failed.');
      return;
    }
    if (typeof d.intents !== 'number') {
      conn.ws.close(4013, 'Invalid intent(s).');
      return;
    }
    const shard = identifiedShard(d.shard);
    if (!shard) {
      conn.ws.close(4010, 'Invalid shard.');
      return;
    }
    conn.shard = shard;
    conn.identified = true;
    identifies++;
    const own = guildSpecs.filter((g) => servesGuild(conn, g.id));
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: botUser,
      guilds: own.map((g) => ({ id: g.id, unavailable: true })),
      session_id: randomBytes(16).toString('hex'),
      resume_gateway_url: gatewayUrl,
      shard,
      application: { id: applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
    };
    dispatch(conn, GatewayDispatchEvents.Ready, ready);
    for (const g of own) dispatch(conn, GatewayDispatchEvents.GuildCreate, guildCreatePayload(g));
    for (const l of [...identifyListeners]) l();
  }

  // ---------------------------------------------------------------- interactions

  function newInteraction(
    kind: InteractionState['kind'],
    channelId: string,
    guildId: string | undefined,
  ): InteractionState {
    const id = snow.next();
    const st: InteractionState = {
      id,
      token: `aW50ZXJhY3Rpb246${id}${randomBytes(24).toString('base64url')}`,
      kind,
      channelId,
      guildId,
      createdAt: Date.now(),
      acked: false,
      originalMessageId: undefined,
      messageIds: new Set(),
      replies: [],
      listeners: new Set(),
      shards: [],
    };
    interactions.set(id, st);
    byToken.set(st.token, st);
    return st;
  }

  function record(st: InteractionState, r: EmulatorReply) {
    st.replies.push(r);
    for (const l of [...st.listeners]) l();
  }

  /** Common interaction fields: channel, guild/member or DM user, context. */
  function interactionContext(spec: {
    guildId?: string;
    channelId?: string;
    userId?: string;
    permissions?: string;
    roles?: string[];
  }) {
    const user = userFor(spec.userId ?? DEFAULT_USER_ID);
    if (spec.guildId !== undefined) {
      const guild = guildSpecs.find((g) => g.id === spec.guildId);
      if (!guild) throw new Error(`discord-emulator: unknown guild ${spec.guildId}`);
      const channelId = spec.channelId ?? guild.channels[0]?.id;
      const channel = channelId ? textChannels.get(channelId) : undefined;
      if (!channel || channel.guild_id !== guild.id)
        throw new Error(`discord-emulator: no channel ${String(channelId)} in guild ${guild.id}`);
      const member: APIInteractionGuildMember = {
        ...makeMember(user, startedAt),
        roles: spec.roles ?? [],
        permissions: spec.permissions ?? everyonePermissions,
      };
      return {
        channelId: channel.id,
        guildId: guild.id,
        fields: {
          guild_id: guild.id,
          guild: { id: guild.id, locale: Locale.EnglishUS, features: [] },
          guild_locale: Locale.EnglishUS,
          channel_id: channel.id,
          channel,
          member,
          context: InteractionContextType.Guild,
        },
      };
    }
    const dm = spec.channelId ? dmChannels.get(spec.channelId) : dmChannelFor(user.id);
    if (!dm) throw new Error(`discord-emulator: unknown DM channel ${String(spec.channelId)}`);
    return {
      channelId: dm.id,
      guildId: undefined,
      fields: { channel_id: dm.id, channel: dm, user, context: InteractionContextType.BotDM },
    };
  }

  const commonFields = (st: InteractionState) => ({
    id: st.id,
    application_id: applicationId,
    token: st.token,
    version: 1 as const,
    app_permissions: everyonePermissions,
    locale: Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: {},
    attachment_size_limit: 10 * 1024 * 1024,
  });

  /**
   * Discord fails an interaction nobody's session can receive; a test wants to hear that at once,
   * so the emulator throws when no connection serves the guild's (or the DM's) shard.
   */
  function requireGateway(guildId: string | undefined) {
    if (![...conns].some((c) => c.identified)) {
      throw new Error(
        'discord-emulator: no identified gateway client (did the bot log in? await whenIdentified())',
      );
    }
    if (![...conns].some((c) => servesGuild(c, guildId))) {
      const shards = [...conns].filter((c) => c.identified).map((c) => `[${c.shard.join(', ')}]`);
      throw new Error(
        `discord-emulator: no gateway connection serves ${guildId === undefined ? 'DMs' : `guild ${guildId}`} (connected shards: ${shards.join(' ')})`,
      );
    }
  }

  function registeredCommand(name: string, guildId: string | undefined): Record<string, unknown> | undefined {
    const pools = [...(guildId ? (commands.guilds[guildId] ?? []) : []), ...commands.global];
    return pools.find((c) => c.name === name);
  }

  /** Option name -> declared type, from the registered definition (if the bot registered the command). */
  function declaredOptionTypes(cmd: CommandSpec, guildId: string | undefined): Map<string, number> {
    let opts = asArray(registeredCommand(cmd.name, guildId)?.options).filter(isRecord);
    const descend = (name: string | undefined) => {
      if (name === undefined) return;
      opts = asArray(opts.find((o) => o.name === name)?.options).filter(isRecord);
    };
    descend(cmd.subcommandGroup);
    descend(cmd.subcommand);
    return new Map(
      opts.flatMap((o) =>
        typeof o.name === 'string' && typeof o.type === 'number' ? [[o.name, o.type] as const] : [],
      ),
    );
  }

  /**
   * Builds data.options (and data.resolved for channel/user options). Types come from the registered
   * command when there is one; otherwise string -> String, boolean -> Boolean, integer -> Integer, else Number.
   */
  function commandOptions(cmd: CommandSpec, guildId: string | undefined) {
    const declared = declaredOptionTypes(cmd, guildId);
    const resolved: APIInteractionDataResolved = {};
    const basic: APIApplicationCommandInteractionDataBasicOption[] = Object.entries(cmd.options ?? {}).map(
      ([name, value]) => {
        const type = declared.get(name);
        if (type === ApplicationCommandOptionType.Channel && typeof value === 'string') {
          const ch = textChannels.get(value) ?? dmChannels.get(value);
          if (ch) {
            const name2 = 'name' in ch && ch.name ? ch.name : '';
            resolved.channels = {
              ...resolved.channels,
              [value]: {
                id: value,
                name: name2,
                type: ch.type,
                permissions: everyonePermissions,
              } as APIInteractionDataResolvedChannel,
            };
          }
          return { name, type: ApplicationCommandOptionType.Channel, value };
        }
        if (
          (type === ApplicationCommandOptionType.User || type === ApplicationCommandOptionType.Mentionable) &&
          typeof value === 'string'
        ) {
          resolved.users = { ...resolved.users, [value]: userFor(value) };
          return { name, type: ApplicationCommandOptionType.User, value };
        }
        if (typeof value === 'string') return { name, type: ApplicationCommandOptionType.String, value };
        if (typeof value === 'boolean') return { name, type: ApplicationCommandOptionType.Boolean, value };
        if (type === ApplicationCommandOptionType.Number)
          return { name, type: ApplicationCommandOptionType.Number, value };
        if (type === ApplicationCommandOptionType.Integer || Number.isInteger(value))
          return { name, type: ApplicationCommandOptionType.Integer, value };
        return { name, type: ApplicationCommandOptionType.Number, value };
      },
    );
    let options: APIApplicationCommandInteractionDataOption[] = basic;
    if (cmd.subcommand !== undefined) {
      const sub: APIApplicationCommandInteractionDataOption = {
        name: cmd.subcommand,
        type: ApplicationCommandOptionType.Subcommand,
        options: basic,
      };
      options =
        cmd.subcommandGroup === undefined
          ? [sub]
          : [
              {
                name: cmd.subcommandGroup,
                type: ApplicationCommandOptionType.SubcommandGroup,
                options: [sub],
              },
            ];
    }
    return Object.keys(resolved).length > 0 ? { options, resolved } : { options };
  }

  function commandId(name: string, guildId: string | undefined): string {
    return asString(registeredCommand(name, guildId)?.id) ?? snow.next();
  }

  function sendCommand(cmd: CommandSpec): string {
    const ctx = interactionContext(cmd);
    requireGateway(ctx.guildId);
    const st = newInteraction('command', ctx.channelId, ctx.guildId);
    const payload: APIChatInputApplicationCommandInteraction = {
      ...commonFields(st),
      type: InteractionType.ApplicationCommand,
      data: {
        id: commandId(cmd.name, ctx.guildId),
        name: cmd.name,
        type: ApplicationCommandType.ChatInput,
        ...commandOptions(cmd, ctx.guildId),
        ...(ctx.guildId ? { guild_id: ctx.guildId } : {}),
      },
      ...ctx.fields,
    };
    st.shards = dispatchFor(ctx.guildId, GatewayDispatchEvents.InteractionCreate, payload);
    return st.id;
  }

  function sendButton(b: ButtonSpec): string {
    const message = messages.get(b.messageId);
    if (!message) throw new Error(`discord-emulator: unknown message ${b.messageId}`);
    const ctx = interactionContext({ ...b, channelId: b.channelId ?? message.channel_id });
    requireGateway(ctx.guildId);
    const st = newInteraction('component', ctx.channelId, ctx.guildId);
    st.originalMessageId = message.id;
    st.messageIds.add(message.id);
    const payload: APIMessageComponentButtonInteraction = {
      ...commonFields(st),
      type: InteractionType.MessageComponent,
      data: { custom_id: b.customId, component_type: ComponentType.Button },
      message,
      ...ctx.fields,
    };
    st.shards = dispatchFor(ctx.guildId, GatewayDispatchEvents.InteractionCreate, payload);
    return st.id;
  }

  function visibleReply(st: InteractionState): EmulatorVisibleReply | undefined {
    const followups = st.replies.filter((r) => r.kind === 'followup');
    let main: EmulatorReply | undefined;
    for (const r of st.replies) {
      if (
        (r.kind === 'reply' || r.kind === 'update' || r.kind === 'edit') &&
        r.messageId === st.originalMessageId
      )
        main = r;
    }
    if (!main && st.replies.some((r) => r.kind === 'defer')) main = followups[0];
    return main ? { ...main, followups } : undefined;
  }

  function waitForReply(interactionId: string, timeoutMs = 5000): Promise<EmulatorVisibleReply> {
    const st = interactions.get(interactionId);
    if (!st) return Promise.reject(new Error(`discord-emulator: unknown interaction ${interactionId}`));
    return new Promise((resolve, reject) => {
      const check = () => {
        const v = visibleReply(st);
        if (!v) return false;
        clearTimeout(timer);
        st.listeners.delete(check);
        resolve(v);
        return true;
      };
      const timer = setTimeout(() => {
        st.listeners.delete(check);
        const seen = st.replies.map((r) => r.kind).join(', ') || 'nothing';
        const failed = requests
          .filter((r) => r.status >= 400)
          .slice(-5)
          .map((r) => `${r.method} ${r.path} -> ${r.status}`);
        reject(
          new Error(
            `discord-emulator: no visible reply to interaction ${interactionId} within ${timeoutMs} ms (recorded: ${seen}; recent failed requests: ${failed.join('; ') || 'none'})`,
          ),
        );
      }, timeoutMs);
      if (!check()) st.listeners.add(check);
    });
  }

  // ---------------------------------------------------------------- messages

  function storeAttachments(files: ParsedBody['files'], payload: Record<string, unknown>): APIAttachment[] {
    const described = asArray(payload.attachments).filter(isRecord);
    return files.map((f, i) => {
      const id = snow.next();
      attachmentsData.set(id, { data: f.data, contentType: f.contentType });
      const desc = described.find((a) => String(a.id) === String(i));
      const url = `${httpBase}/attachments/${id}/${encodeURIComponent(f.name)}`;
      const att: APIAttachment = {
        id,
        filename: f.name,
        size: f.data.length,
        url,
        proxy_url: url,
        content_type: f.contentType,
      };
      const description = asString(desc?.description);
      if (description !== undefined) att.description = description;
      return att;
    });
  }

  function messageFields(payload: Record<string, unknown>, files: ParsedBody['files'], base?: APIMessage) {
    const attachments = storeAttachments(files, payload);
    return {
      content: 'content' in payload ? (asString(payload.content) ?? '') : (base?.content ?? ''),
      embeds: 'embeds' in payload ? toEmbeds(payload.embeds) : (base?.embeds ?? []),
      components: 'components' in payload ? toComponents(payload.components) : (base?.components ?? []),
      flags: asNumber(payload.flags) | ((base?.flags ?? 0) & ~LOADING),
      attachments:
        'attachments' in payload || files.length > 0
          ? [...keptAttachments(payload, base), ...attachments]
          : (base?.attachments ?? []),
    };
  }

  /** On edits, `attachments: [{id}]` entries that name existing attachments keep them. */
  function keptAttachments(payload: Record<string, unknown>, base: APIMessage | undefined): APIAttachment[] {
    if (!base) return [];
    const keepIds = new Set(
      asArray(payload.attachments)
        .filter(isRecord)
        .map((a) => String(a.id)),
    );
    return base.attachments.filter((a) => keepIds.has(a.id));
  }

  function assertValid(payload: Record<string, unknown>, files: ParsedBody['files'], isNew: boolean) {
    const errors = validateMessageBody(payload);
    if (errors) throw new HttpError(400, { message: 'Invalid Form Body', code: 50035, errors });
    if (isNew) {
      const empty =
        !asString(payload.content) &&
        asArray(payload.embeds).length === 0 &&
        asArray(payload.components).length === 0 &&
        files.length === 0 &&
        !('poll' in payload);
      if (empty) throw new HttpError(400, { message: 'Cannot send an empty message', code: 50006 });
    }
  }

  function toReply(
    kind: EmulatorReplyKind,
    payload: Record<string, unknown>,
    files: ParsedBody['files'],
    msg?: APIMessage,
    callbackType?: number,
  ): EmulatorReply {
    const r: EmulatorReply = {
      kind,
      content: msg ? msg.content : (asString(payload.content) ?? null),
      embeds: msg ? msg.embeds : asArray(payload.embeds),
      components: msg ? (msg.components ?? []) : asArray(payload.components),
      flags: msg ? (msg.flags ?? 0) : asNumber(payload.flags),
      allowedMentions: payload.allowed_mentions,
      files,
    };
    if (msg) r.messageId = msg.id;
    if (callbackType !== undefined) r.callbackType = callbackType;
    return r;
  }

  function createInteractionMessage(
    st: InteractionState,
    payload: Record<string, unknown>,
    files: ParsedBody['files'],
    extraFlags = 0,
  ): APIMessage {
    const f = messageFields(payload, files);
    f.flags |= extraFlags;
    const msg = makeMessage(snow.next(), st.channelId, botUser, f, {
      webhookId: applicationId,
      applicationId,
    });
    messages.set(msg.id, msg);
    st.messageIds.add(msg.id);
    return msg;
  }

  function editMessage(
    msg: APIMessage,
    payload: Record<string, unknown>,
    files: ParsedBody['files'],
  ): APIMessage {
    const f = messageFields(payload, files, msg);
    const edited: APIMessage = { ...msg, ...f, edited_timestamp: new Date().toISOString() };
    messages.set(msg.id, edited);
    return edited;
  }

  // ---------------------------------------------------------------- REST

  async function readBody(req: IncomingMessage): Promise<ParsedBody> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const buf = Buffer.concat(chunks);
    const ct = req.headers['content-type'] ?? '';
    if (buf.length === 0) return { json: undefined, files: [] };
    if (ct.startsWith('multipart/form-data')) {
      const form = await new UndiciResponse(buf, { headers: { 'content-type': ct } }).formData();
      let json: unknown = {};
      const files: ParsedBody['files'] = [];
      for (const [key, value] of form.entries()) {
        if (key === 'payload_json' && typeof value === 'string') json = JSON.parse(value);
        else if (typeof value !== 'string') {
          files.push({
            name: value.name,
            data: Buffer.from(await value.arrayBuffer()),
            contentType: value.type || 'application/octet-stream',
          });
        }
      }
      return { json, files };
    }
    if (ct.startsWith('application/json')) return { json: JSON.parse(buf.toString('utf8')), files: [] };
    return { json: buf.toString('utf8'), files: [] };
  }

  interface Result {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
  }

  async function handleHttp(req: IncomingMessage, res: ServerResponse) {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', httpBase);
    const rawPath = url.pathname;
    let path = rawPath;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      /* keep raw */
    }
    const reply = (r: Result, body: unknown) => {
      requests.push({ method, path, status: r.status, body });
      if (r.status === 204 || r.body === undefined) {
        res.writeHead(r.status, r.headers ?? {});
        res.end();
        return;
      }
      if (Buffer.isBuffer(r.body)) {
        res.writeHead(r.status, r.headers ?? {});
        res.end(r.body);
        return;
      }
      res.writeHead(r.status, { 'content-type': 'application/json', ...(r.headers ?? {}) });
      res.end(JSON.stringify(r.body));
    };

    let parsed: ParsedBody;
    try {
      parsed = await readBody(req);
    } catch (e) {
      reply(
        {
          status: 400,
          body: { message: `Bad body: ${e instanceof Error ? e.message : String(e)}`, code: 50109 },
        },
        undefined,
      );
      return;
    }

    const before = takeHook('before', `${method} ${path}`);
    if (before && (await before.fn({ method, path, body: parsed.json })) === 'drop') {
      requests.push({ method, path, status: 0, body: parsed.json });
      res.destroy();
      return;
    }

    const rule = failRules.find((r) => r.remaining > 0 && r.route.test(`${method} ${path}`));
    if (rule) {
      rule.remaining--;
      if (rule.status === 429) {
        const ra = rule.retryAfter;
        reply(
          {
            status: 429,
            body: { message: 'You are being rate limited.', retry_after: ra, global: false },
            headers: {
              'retry-after': String(ra),
              'x-ratelimit-scope': 'user',
              'x-ratelimit-limit': '1',
              'x-ratelimit-remaining': '0',
              'x-ratelimit-reset-after': String(ra),
              'x-ratelimit-reset': String((Date.now() + ra * 1000) / 1000),
            },
          },
          parsed.json,
        );
      } else {
        reply({ status: 500, body: { message: '500: Internal Server Error', code: 0 } }, parsed.json);
      }
      return;
    }

    let result: Result;
    try {
      result = route(method, path, url.searchParams, req, parsed);
    } catch (e) {
      if (e instanceof HttpError) result = { status: e.status, body: e.body };
      else throw e;
    }
    const after = takeHook('after', `${method} ${path}`);
    if (after && (await after.fn({ method, path, body: parsed.json })) === 'drop') {
      requests.push({ method, path, status: result.status, body: parsed.json });
      res.destroy();
      return;
    }
    reply(result, parsed.json);
  }

  function route(
    method: string,
    path: string,
    query: URLSearchParams,
    req: IncomingMessage,
    body: ParsedBody,
  ): Result {
    if (path.startsWith('/attachments/') && method === 'GET') {
      const att = attachmentsData.get(path.split('/')[2] ?? '');
      if (!att) throw new HttpError(404, { message: '404: Not Found', code: 0 });
      return { status: 200, body: att.data, headers: { 'content-type': att.contentType } };
    }
    if (!path.startsWith('/api/v10/')) return notFound(method, path);
    const seg = path.slice('/api/v10/'.length).split('/');
    const payload = isRecord(body.json) ? body.json : {};
    const [s0, s1, s2, s3, s4] = seg;

    // routes without bot auth: interaction callbacks and webhooks (interaction tokens)
    if (s0 === 'interactions' && s2 && s3 === 'callback' && seg.length === 4 && method === 'POST') {
      return interactionCallback(s1 ?? '', s2, payload, body.files, query.get('with_response') === 'true');
    }
    if (s0 === 'webhooks' && s1 && s2) {
      if (s1 !== applicationId) throw unknown(10015, 'Webhook');
      const st = byToken.get(s2);
      if (!st || !st.acked) throw unknown(10015, 'Webhook');
      if (seg.length === 3 && method === 'POST') {
        assertValid(payload, body.files, true);
        const msg = createInteractionMessage(st, payload, body.files);
        record(st, toReply('followup', payload, body.files, msg));
        return query.get('wait') === 'false' ? { status: 204 } : { status: 200, body: msg };
      }
      if (s3 === 'messages' && s4 && seg.length === 5)
        return webhookMessage(st, method, s4, payload, body.files);
      return notFound(method, path);
    }

    if (req.headers.authorization !== `Bot ${token}`)
      throw new HttpError(401, { message: '401: Unauthorized', code: 0 });

    if (method === 'GET' && s0 === 'gateway' && s1 === 'bot' && seg.length === 2) {
      const r: RESTGetAPIGatewayBotResult = {
        url: gatewayUrl,
        shards: recommendedShards,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
      };
      return { status: 200, body: r };
    }
    if (method === 'GET' && s0 === 'users' && s1 === '@me' && seg.length === 2)
      return { status: 200, body: botUser };
    if (method === 'POST' && s0 === 'users' && s1 === '@me' && s2 === 'channels' && seg.length === 3) {
      const rid = asString(payload.recipient_id);
      if (!rid) throw new HttpError(400, { message: 'Invalid Form Body', code: 50035 });
      return { status: 200, body: dmChannelFor(rid) };
    }
    if (method === 'GET' && s0 === 'applications' && s1 === '@me' && seg.length === 2) {
      return {
        status: 200,
        body: {
          id: applicationId,
          name: 'sitrep-test',
          icon: null,
          description: '',
          summary: '',
          bot_public: false,
          bot_require_code_grant: false,
          verify_key: 'f'.repeat(64),
          flags: 0,
          team: null,
          owner: userFor(DEFAULT_OWNER_ID),
          bot: botUser,
        },
      };
    }
    if (s0 === 'applications' && s1 === applicationId) {
      if (s2 === 'commands' && seg.length === 3) return commandsRoute(method, undefined, body.json);
      if (s2 === 'guilds' && s3 && s4 === 'commands' && seg.length === 5)
        return commandsRoute(method, s3, body.json);
    }
    if (s0 === 'guilds' && s1) {
      const g = guildSpecs.find((x) => x.id === s1);
      if (!g) throw unknown(10004, 'Guild');
      if (method === 'GET' && seg.length === 2)
        return {
          status: 200,
          body: {
            ...makeGuildBase(
              { id: g.id, name: g.name, ownerId: g.ownerId ?? DEFAULT_OWNER_ID },
              everyonePermissions,
            ),
          },
        };
      if (method === 'GET' && s2 === 'channels' && seg.length === 3)
        return { status: 200, body: guildCreatePayload(g).channels };
    }
    if (s0 === 'channels' && s1) {
      if (!channelExists(s1)) throw unknown(10003, 'Channel');
      const ch = textChannels.get(s1) ?? dmChannels.get(s1);
      if (method === 'GET' && seg.length === 2) return { status: 200, body: ch };
      if (s2 === 'messages') {
        if (seg.length === 3 && method === 'POST') return postChannelMessage(s1, payload, body.files);
        if (seg.length === 3 && method === 'GET') {
          const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 50) || 50));
          const list = (channelLog.get(s1) ?? []).flatMap((m) => messages.get(m.id) ?? []).reverse();
          return { status: 200, body: list.slice(0, limit) };
        }
        if (s3 && seg.length === 4) {
          const msg = messages.get(s3);
          if (!msg || msg.channel_id !== s1) throw unknown(10008, 'Message');
          if (method === 'GET') return { status: 200, body: msg };
          if (method === 'PATCH') {
            assertValid(payload, body.files, false);
            return { status: 200, body: editMessage(msg, payload, body.files) };
          }
          if (method === 'DELETE') {
            messages.delete(s3);
            return { status: 204 };
          }
        }
      }
      if (s2 === 'typing' && method === 'POST' && seg.length === 3) return { status: 204 };
    }
    return notFound(method, path);
  }

  function notFound(method: string, path: string): Result {
    log(`[discord-emulator] unhandled ${method} ${path}`);
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  }

  function commandsRoute(method: string, guildId: string | undefined, json: unknown): Result {
    if (guildId !== undefined && !guildSpecs.some((g) => g.id === guildId)) throw unknown(10004, 'Guild');
    const current = guildId === undefined ? commands.global : (commands.guilds[guildId] ?? []);
    if (method === 'GET') return { status: 200, body: current };
    if (method !== 'PUT') return notFound(method, `commands ${guildId ?? 'global'}`);
    if (!Array.isArray(json)) throw new HttpError(400, { message: 'Invalid Form Body', code: 50035 });
    const list: Array<Record<string, unknown>> = (json as unknown[]).filter(isRecord).map((c) => {
      const existing = current.find((e) => e.name === c.name);
      const out: Record<string, unknown> = {
        type: ApplicationCommandType.ChatInput,
        description: '',
        options: [],
        default_member_permissions: null,
        nsfw: false,
        ...c,
        id: asString(existing?.id) ?? snow.next(),
        application_id: applicationId,
        version: snow.next(),
      };
      if (guildId !== undefined) out.guild_id = guildId;
      return out;
    });
    if (guildId === undefined) commands.global = list;
    else commands.guilds[guildId] = list;
    commands.puts++;
    return { status: 200, body: list };
  }

  function postChannelMessage(
    channelId: string,
    payload: Record<string, unknown>,
    files: ParsedBody['files'],
  ): Result {
    assertValid(payload, files, true);
    const msg = makeMessage(snow.next(), channelId, botUser, messageFields(payload, files));
    messages.set(msg.id, msg);
    const entry: EmulatorMessage = {
      id: msg.id,
      channelId,
      content: asString(payload.content) ?? null,
      embeds: asArray(payload.embeds),
      components: asArray(payload.components),
      allowedMentions: payload.allowed_mentions,
      files: files.map((f) => ({ name: f.name, data: f.data })),
      raw: msg,
    };
    const list = channelLog.get(channelId) ?? [];
    list.push(entry);
    channelLog.set(channelId, list);
    return { status: 200, body: msg };
  }

  function interactionCallback(
    id: string,
    tok: string,
    payload: Record<string, unknown>,
    files: ParsedBody['files'],
    withResponse: boolean,
  ): Result {
    const st = interactions.get(id);
    if (!st || st.token !== tok) throw unknown(10062, 'interaction');
    if (ackDeadlineMs > 0 && !st.acked && Date.now() - st.createdAt > ackDeadlineMs)
      throw unknown(10062, 'interaction');
    if (st.acked)
      throw new HttpError(400, { message: 'Interaction has already been acknowledged.', code: 40060 });
    const type = asNumber(payload.type) as InteractionResponseType;
    const data = isRecord(payload.data) ? payload.data : {};
    let msg: APIMessage | undefined;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource:
        assertValid(data, files, true);
        msg = createInteractionMessage(st, data, files);
        st.originalMessageId = msg.id;
        record(st, toReply('reply', data, files, msg, type));
        break;
      case InteractionResponseType.DeferredChannelMessageWithSource:
        msg = createInteractionMessage(st, { ...data, content: '' }, [], LOADING);
        st.originalMessageId = msg.id;
        record(st, toReply('defer', data, [], undefined, type));
        break;
      case InteractionResponseType.DeferredMessageUpdate:
      case InteractionResponseType.UpdateMessage: {
        if (st.kind !== 'component') {
          throw new HttpError(400, {
            message: 'Invalid Form Body',
            code: 50035,
            errors: {
              type: {
                _errors: [
                  {
                    code: 'INTERACTION_RESPONSE_TYPE_INVALID',
                    message: `Interaction response type ${type} is invalid for this interaction`,
                  },
                ],
              },
            },
          });
        }
        const original = st.originalMessageId ? messages.get(st.originalMessageId) : undefined;
        if (!original) throw unknown(10008, 'Message');
        if (type === InteractionResponseType.UpdateMessage) {
          assertValid(data, files, false);
          msg = editMessage(original, data, files);
          record(st, toReply('update', data, files, msg, type));
        } else {
          record(st, toReply('defer', data, [], undefined, type));
        }
        break;
      }
      default:
        log(`[discord-emulator] unsupported interaction callback type ${type}`);
        throw new HttpError(400, {
          message: 'Invalid Form Body',
          code: 50035,
          errors: {
            type: {
              _errors: [
                { code: 'BASE_TYPE_CHOICES', message: `Value ${type} is not supported by the emulator` },
              ],
            },
          },
        });
    }
    st.acked = true;
    if (!withResponse) return { status: 204 };
    const ephemeral = msg ? ((msg.flags ?? 0) & EPHEMERAL) !== 0 : false;
    return {
      status: 200,
      body: {
        interaction: {
          id: st.id,
          type: st.kind === 'command' ? InteractionType.ApplicationCommand : InteractionType.MessageComponent,
          activity_instance_id: undefined,
          response_message_id: msg?.id,
          response_message_loading: type === InteractionResponseType.DeferredChannelMessageWithSource,
          response_message_ephemeral: ephemeral,
        },
        resource: msg ? { type, message: msg } : { type },
      },
    };
  }

  function webhookMessage(
    st: InteractionState,
    method: string,
    which: string,
    payload: Record<string, unknown>,
    files: ParsedBody['files'],
  ): Result {
    const id = which === '@original' ? st.originalMessageId : which;
    const msg = id && st.messageIds.has(id) ? messages.get(id) : undefined;
    if (!msg) throw unknown(10008, 'Message');
    if (method === 'GET') return { status: 200, body: msg };
    if (method === 'PATCH') {
      assertValid(payload, files, false);
      const edited = editMessage(msg, payload, files);
      record(st, toReply('edit', payload, files, edited));
      return { status: 200, body: edited };
    }
    if (method === 'DELETE') {
      messages.delete(msg.id);
      st.messageIds.delete(msg.id);
      record(st, { ...toReply('delete', {}, [], msg), content: null, embeds: [], components: [] });
      return { status: 204 };
    }
    return notFound(method, `webhook message ${which}`);
  }

  // ---------------------------------------------------------------- the handle

  return {
    apiBase: `${httpBase}/api`,
    token,
    applicationId,
    botUserId,
    gatewayUrl,
    requests,
    whenIdentified(timeoutMs = 10_000) {
      if (identifies > 0 && [...conns].some((c) => c.identified)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          identifyListeners.delete(done);
          resolve();
        };
        const timer = setTimeout(() => {
          identifyListeners.delete(done);
          reject(new Error(`discord-emulator: no client identified within ${timeoutMs} ms`));
        }, timeoutMs);
        identifyListeners.add(done);
      });
    },
    sendCommand,
    sendButton,
    waitForReply,
    replies: (id) => [...(interactions.get(id)?.replies ?? [])],
    channelMessages: (id) => [...(channelLog.get(id) ?? [])],
    registeredCommands: () => ({
      global: [...commands.global],
      guilds: Object.fromEntries(Object.entries(commands.guilds).map(([k, v]) => [k, [...v]])),
      puts: commands.puts,
    }),
    failNext(routeRe, status, times = 1, retryAfterSeconds = 0.1) {
      failRules.push({ route: routeRe, status, remaining: times, retryAfter: retryAfterSeconds });
    },
    onRequest(routeRe, fn, o = {}) {
      hooks.push({ route: routeRe, fn, phase: o.phase ?? 'before', remaining: o.times ?? 1 });
    },
    deleteChannel(channelId, o = {}) {
      deletedChannels.add(channelId);
      const ch = textChannels.get(channelId) ?? dmChannels.get(channelId);
      if (ch && o.notify !== false) dispatchFor('guild_id' in ch ? ch.guild_id : undefined, GatewayDispatchEvents.ChannelDelete, ch);
    },
    identifyCount: () => identifies,
    connections: () =>
      [...conns]
        .filter((c) => c.identified)
        .map((c) => ({
          shard: [...c.shard],
          guilds: guildSpecs.filter((g) => servesGuild(c, g.id)).map((g) => g.id),
        })),
    deliveredTo: (id) => (interactions.get(id)?.shards ?? []).map((shard) => [...shard]),
    async close() {
      for (const c of conns) c.ws.terminate();
      conns.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
