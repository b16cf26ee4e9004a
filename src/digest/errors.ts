import { SitrepError } from '../errors.ts';

/** A schedule node-cron or the time-zone data cannot use. */
export class DigestScheduleError extends SitrepError {
  override readonly name = 'DigestScheduleError' as const;
  constructor(message: string) {
    super('digest.schedule', message);
  }
}

/** /digest now named a schedule the guild does not have. */
export class DigestNotFoundError extends SitrepError {
  override readonly name = 'DigestNotFoundError' as const;
  constructor(guildId: string, scheduleId: string) {
    super('digest.missing', `digest: guild ${guildId} has no digest schedule "${scheduleId}"`);
  }
}

/**
 * Why a post did not go through. `ambiguous`: the request may have reached Discord (5xx, timeout,
 * broken connection), so the channel is checked before a re-send. `gone` (10003) and `no-access`
 * (50001/50013) pause the schedule; `retry` is a definite failure worth retrying later.
 */
export type SendFailureKind = 'ambiguous' | 'retry' | 'gone' | 'no-access';

export class DigestSendError extends SitrepError {
  override readonly name = 'DigestSendError' as const;
  readonly kind: SendFailureKind;
  constructor(kind: SendFailureKind, message: string, options?: { cause?: unknown }) {
    super(kind === 'gone' ? 'digest.channel-gone' : kind === 'no-access' ? 'digest.no-access' : 'digest.send', message, options);
    this.kind = kind;
  }
}
