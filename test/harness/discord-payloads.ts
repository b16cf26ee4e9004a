/**
 * Payload builders for the loopback Discord emulator (see discord-emulator.ts).
 * Every builder is typed against discord-api-types v10 so that a shape the real
 * discord.js client does not expect shows up as a type error here.
 */
import {
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildHubType,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  MessageType,
  type APIAttachment,
  type APIDMChannel,
  type APIEmbed,
  type APIGuild,
  type APIGuildMember,
  type APIMessage,
  type APIMessageTopLevelComponent,
  type APIRole,
  type APITextChannel,
  type APIUser,
  type ChannelFlags,
  type GuildMemberFlags,
  type RoleFlags,
  type UserFlags,
  type GatewayGuildCreateDispatchData,
} from 'discord-api-types/v10';

const DISCORD_EPOCH = 1420070400000n;

/** Strictly increasing snowflakes (timestamp-based, like Discord's). */
export class SnowflakeGen {
  private last = 0n;
  next(): string {
    let id = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
    if (id <= this.last) id = this.last + 1n;
    this.last = id;
    return id.toString();
  }
}

/** Permissions the @everyone role (and so the bot) has in emulated guilds. */
export const DEFAULT_EVERYONE_PERMISSIONS = (
  (1n << 6n) | // AddReactions
  (1n << 10n) | // ViewChannel
  (1n << 11n) | // SendMessages
  (1n << 14n) | // EmbedLinks
  (1n << 15n) | // AttachFiles
  (1n << 16n) | // ReadMessageHistory
  (1n << 18n) | // UseExternalEmojis
  (1n << 31n) | // UseApplicationCommands
  (1n << 38n)
) // SendMessagesInThreads
  .toString();

export function makeUser(id: string, username: string, bot = false): APIUser {
  return {
    id,
    username,
    discriminator: '0',
    global_name: bot ? null : username,
    avatar: null,
    bot,
    flags: 0 as UserFlags,
    public_flags: 0 as UserFlags,
  };
}

export function makeRole(id: string, name: string, permissions: string, position: number): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions,
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
  };
}

export function makeTextChannel(guildId: string, id: string, name: string, position: number): APITextChannel {
  return {
    id,
    type: ChannelType.GuildText,
    guild_id: guildId,
    name,
    position,
    permission_overwrites: [],
    nsfw: false,
    topic: null,
    last_message_id: null,
    parent_id: null,
    rate_limit_per_user: 0,
    flags: 0 as ChannelFlags,
  };
}

export function makeDMChannel(id: string, recipient: APIUser): APIDMChannel {
  return {
    id,
    type: ChannelType.DM,
    recipients: [recipient],
    last_message_id: null,
    flags: 0 as ChannelFlags,
    name: null,
  };
}

export function makeMember(user: APIUser, joinedAt: string): APIGuildMember {
  return {
    user,
    nick: null,
    avatar: null,
    roles: [],
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

export function makeGuildBase(
  g: { id: string; name: string; ownerId: string },
  everyonePermissions: string,
): APIGuild {
  return {
    id: g.id,
    name: g.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: g.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: [makeRole(g.id, '@everyone', everyonePermissions, 0)],
    emojis: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: GuildNSFWLevel.Default,
    stickers: [],
    premium_progress_bar_enabled: false,
    hub_type: null as GuildHubType | null,
    safety_alerts_channel_id: null,
    incidents_data: null,
  };
}

export function makeGuildCreate(
  base: APIGuild,
  channels: APITextChannel[],
  members: APIGuildMember[],
  joinedAt: string,
): GatewayGuildCreateDispatchData {
  return {
    ...base,
    joined_at: joinedAt,
    large: false,
    unavailable: false,
    member_count: members.length,
    voice_states: [],
    members,
    channels,
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export interface MessageFields {
  content: string;
  embeds: APIEmbed[];
  components: APIMessageTopLevelComponent[];
  flags: number;
  attachments: APIAttachment[];
}

export function makeMessage(
  id: string,
  channelId: string,
  author: APIUser,
  f: MessageFields,
  extra: { webhookId?: string; applicationId?: string } = {},
): APIMessage {
  const msg: APIMessage = {
    id,
    channel_id: channelId,
    author,
    content: f.content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: f.attachments,
    embeds: f.embeds,
    pinned: false,
    type: MessageType.Default,
    components: f.components,
    flags: f.flags,
  };
  if (extra.webhookId) msg.webhook_id = extra.webhookId;
  if (extra.applicationId) msg.application_id = extra.applicationId;
  return msg;
}

// ---------------------------------------------------------------- validation

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strLen(v: unknown): number {
  return typeof v === 'string' ? v.length : 0;
}

/**
 * Checks the limits Discord enforces on a message body (content 2000, 10 embeds, embed field
 * limits, 6000 characters across embeds, 5 top-level component rows). Returns Discord-style
 * `errors` (for a 400 code 50035 "Invalid Form Body") or null when valid.
 */
export function validateMessageBody(body: Record<string, unknown>): Record<string, unknown> | null {
  const errors: Record<string, unknown> = {};
  const err = (code: string, message: string) => ({ _errors: [{ code, message }] });
  if (strLen(body.content) > 2000) {
    errors.content = err('BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
  }
  if (Array.isArray(body.embeds)) {
    const embeds: unknown[] = body.embeds;
    if (embeds.length > 10) errors.embeds = err('BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
    let total = 0;
    const perEmbed: Record<string, unknown> = {};
    embeds.forEach((e, i) => {
      if (!isRecord(e)) return;
      const eErr: Record<string, unknown> = {};
      const check = (key: string, len: number, max: number) => {
        if (len > max) eErr[key] = err('BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
      };
      check('title', strLen(e.title), 256);
      check('description', strLen(e.description), 4096);
      total += strLen(e.title) + strLen(e.description);
      if (isRecord(e.footer)) {
        check('footer', strLen(e.footer.text), 2048);
        total += strLen(e.footer.text);
      }
      if (isRecord(e.author)) {
        check('author', strLen(e.author.name), 256);
        total += strLen(e.author.name);
      }
      if (Array.isArray(e.fields)) {
        const fields: unknown[] = e.fields;
        if (fields.length > 25) eErr.fields = err('BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
        const fErr: Record<string, unknown> = {};
        fields.forEach((fld, j) => {
          if (!isRecord(fld)) return;
          total += strLen(fld.name) + strLen(fld.value);
          if (
            strLen(fld.name) > 256 ||
            strLen(fld.value) > 1024 ||
            strLen(fld.name) === 0 ||
            strLen(fld.value) === 0
          ) {
            fErr[String(j)] = err(
              'BASE_TYPE_BAD_LENGTH',
              'Field name must be 1-256 and value 1-1024 in length.',
            );
          }
        });
        if (Object.keys(fErr).length > 0) eErr.fields = fErr;
      }
      if (Object.keys(eErr).length > 0) perEmbed[String(i)] = eErr;
    });
    if (total > 6000)
      perEmbed._errors = [
        { code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' },
      ];
    if (Object.keys(perEmbed).length > 0) errors.embeds = perEmbed;
  }
  const componentsV2 = typeof body.flags === 'number' && (body.flags & (1 << 15)) !== 0;
  if (Array.isArray(body.components) && body.components.length > (componentsV2 ? 40 : 5)) {
    errors.components = err('BASE_TYPE_MAX_LENGTH', `Must be ${componentsV2 ? 40 : 5} or fewer in length.`);
  }
  return Object.keys(errors).length > 0 ? errors : null;
}
