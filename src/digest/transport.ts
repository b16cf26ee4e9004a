import type { Reply } from '../chat/reply.ts';
import type { DigestSendError } from './errors.ts';

export type PostResult = { status: 'sent'; messageId: string } | { status: 'failed'; error: DigestSendError };
export type FindResult = { status: 'found'; messageId: string } | { status: 'absent' } | { status: 'failed'; error: DigestSendError };

/**
 * Where digests go: Discord channels or the console. Results, not exceptions: the outbox decides
 * what a failure means for the record (retry, check first, or pause the schedule).
 */
export interface DigestTransport {
  readonly kind: 'discord' | 'console';
  post(channelId: string, reply: Reply): Promise<PostResult>;
  /** Looks for a message of ours carrying `marker` among the channel's recent messages. */
  find(channelId: string, marker: string): Promise<FindResult>;
  /** Tells the guild's admins something once; resolves with where it went, rejects when nowhere. */
  notifyAdmins(guildId: string, avoidChannelId: string, text: string): Promise<string>;
}
