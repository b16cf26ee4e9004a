/**
 * A transport-neutral answer. Every string may hold untrusted feed text: the renderers
 * (render-discord, render-text) escape and trim it for their medium, so commands never do.
 */
export interface ReplyLink {
  label: string;
  url: string | null;
}

export interface ReplyBlock {
  title: string;
  url?: string | null;
  /** ISO time the block is about (shown as a Discord timestamp / a date in text). */
  time?: string | null;
  /** Labelled facts, e.g. { label: 'New people and places', text: 'Salah Abdeslam, Brussels' }. */
  fields: Array<{ label: string; text: string }>;
  links: ReplyLink[];
}

export interface Reply {
  /** The lead line(s). */
  text: string;
  blocks: ReplyBlock[];
  footer?: string;
  /** Only the caller sees it (Discord); errors and refusals are ephemeral. */
  ephemeral?: boolean;
  /** Marks an error reply (the console exits non-zero at end of input if one occurred). */
  error?: boolean;
}

export function textReply(text: string, options: { ephemeral?: boolean; error?: boolean } = {}): Reply {
  return { text, blocks: [], ...options };
}
