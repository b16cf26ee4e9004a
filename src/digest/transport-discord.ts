import { DiscordAPIError, HTTPError, REST, Routes, type APIChannel, type APIGuild, type APIMessage, type Client } from 'discord.js';
import type { Reply } from '../chat/reply.ts';
import { renderDiscord } from '../chat/render-discord.ts';
import { textReply } from '../chat/reply.ts';
import { oneLine } from '../errors.ts';
import { DigestSendError } from './errors.ts';
import type { DigestTransport, FindResult, PostResult } from './transport.ts';

/** Discord's "unknown channel", "missing access" and "missing permissions" codes. */
const UNKNOWN_CHANNEL = 10003;
const MISSING_ACCESS = 50001;
const MISSING_PERMISSIONS = 50013;
/** The most messages one history request returns; a re-send looks this far back. */
const HISTORY = 100;

/** What a failed request means for a digest. */
export function classifySendError(error: unknown, what: string): DigestSendError {
  const detail = `digest: ${what}: ${oneLine(error)}`;
  if (error instanceof DiscordAPIError) {
    if (error.code === UNKNOWN_CHANNEL || error.status === 404) return new DigestSendError('gone', detail, { cause: error });
    if (error.code === MISSING_ACCESS || error.code === MISSING_PERMISSIONS || error.status === 403) {
      return new DigestSendError('no-access', detail, { cause: error });
    }
    // Any other 4xx: Discord refused it, so it was not posted.
    return new DigestSendError('retry', detail, { cause: error });
  }
  // A 5xx, a timeout or a broken connection: Discord may have created the message anyway.
  if (error instanceof HTTPError || error instanceof Error) return new DigestSendError('ambiguous', detail, { cause: error });
  return new DigestSendError('ambiguous', detail);
}

/**
 * Digests over Discord's REST API. It has its own REST client with retries off: @discordjs/rest
 * re-sends a request that got a 5xx, and a 5xx does not prove the message was not created, so a
 * blind retry could post a digest twice. The outbox retries instead, after looking in the channel.
 * Rate limits (429) are still waited out inside the REST client: a 429 means nothing was created.
 */
export function discordDigestTransport(options: { client: Client; token: string; apiBase: string; timeoutMs?: number }): DigestTransport {
  const rest = new REST({ api: options.apiBase, version: '10', retries: 0, timeout: options.timeoutMs ?? 15_000 }).setToken(options.token);
  const { client } = options;

  const post = async (channelId: string, reply: Reply): Promise<PostResult> => {
    const payload = renderDiscord(reply);
    try {
      const message = (await rest.post(Routes.channelMessages(channelId), {
        body: { content: payload.content, embeds: payload.embeds, allowed_mentions: payload.allowedMentions },
      })) as APIMessage;
      return { status: 'sent', messageId: message.id };
    } catch (error) {
      return { status: 'failed', error: classifySendError(error, `POST to channel ${channelId}`) };
    }
  };

  const find = async (channelId: string, marker: string): Promise<FindResult> => {
    try {
      const recent = (await rest.get(Routes.channelMessages(channelId), {
        query: new URLSearchParams({ limit: String(HISTORY) }),
      })) as APIMessage[];
      const mine = client.user?.id;
      const hit = recent.find(
        (message) =>
          (!mine || message.author.id === mine) &&
          (message.content.includes(marker) || message.embeds.some((embed) => embed.footer?.text.includes(marker))),
      );
      return hit ? { status: 'found', messageId: hit.id } : { status: 'absent' };
    } catch (error) {
      return { status: 'failed', error: classifySendError(error, `reading the history of channel ${channelId}`) };
    }
  };

  /**
   * Owner and system channel of a guild. Digests are claimed by whichever process wins the outbox
   * lease, not by the process whose shard has the guild, so the guild is often not in this
   * client's cache; REST answers for any guild the bot is in.
   */
  const guildInfo = async (guildId: string): Promise<{ ownerId: string | null; systemChannelId: string | null }> => {
    const cached = client.guilds.cache.get(guildId);
    if (cached) return { ownerId: cached.ownerId, systemChannelId: cached.systemChannelId };
    const fetched = (await rest.get(Routes.guild(guildId))) as APIGuild;
    return { ownerId: fetched.owner_id, systemChannelId: fetched.system_channel_id };
  };

  /**
   * The guild owner by DM (always an admin, and the notice is not shown to the whole server);
   * when the owner takes no DMs, the guild's system channel.
   */
  const notifyAdmins = async (guildId: string, avoidChannelId: string, text: string): Promise<string> => {
    const reply = textReply(text);
    const failures: string[] = [];
    const guild = await guildInfo(guildId).catch((error: unknown) => {
      failures.push(oneLine(error));
      return null;
    });
    if (guild?.ownerId) {
      try {
        const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: guild.ownerId } })) as APIChannel;
        const sent = await post(dm.id, reply);
        if (sent.status === 'sent') return `a DM to the guild owner ${guild.ownerId}`;
        failures.push(sent.error.message);
      } catch (error) {
        failures.push(oneLine(error));
      }
    }
    const system = guild?.systemChannelId;
    if (system && system !== avoidChannelId) {
      const sent = await post(system, reply);
      if (sent.status === 'sent') return `the system channel ${system}`;
      failures.push(sent.error.message);
    }
    throw new DigestSendError('retry', `digest: could not tell the admins of guild ${guildId}: ${failures.join('; ') || 'no owner or system channel known'}`);
  };

  return { kind: 'discord', post, find, notifyAdmins };
}
