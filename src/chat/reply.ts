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

/** A file sent with the reply (an attachment in Discord, a file in a temp folder in the console). */
export interface ReplyFile {
  name: string;
  data: Buffer;
  contentType: string;
}

/** One page of a long answer. */
export interface ReplyPage {
  text: string;
  blocks: ReplyBlock[];
  footer?: string;
}

export interface Reply {
  /** The lead line(s). */
  text: string;
  blocks: ReplyBlock[];
  footer?: string;
  /**
   * Every page of a long answer, the first being this reply's own text/blocks/footer. Discord shows
   * one at a time with Prev/Next buttons only the asker can press; the console prints them all.
   */
  pages?: ReplyPage[];
  files?: ReplyFile[];
  /** Only the caller sees it (Discord); errors and refusals are ephemeral. */
  ephemeral?: boolean;
  /** Marks an error reply (the console exits non-zero at end of input if one occurred). */
  error?: boolean;
}

export function textReply(text: string, options: { ephemeral?: boolean; error?: boolean } = {}): Reply {
  return { text, blocks: [], ...options };
}
