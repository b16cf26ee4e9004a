import { randomBytes } from 'node:crypto';
import type { ReplyPage } from './reply.ts';

/** How long the pages of an answer can be turned. Discord's interaction tokens last 15 minutes too. */
export const PAGE_TTL_MS = 15 * 60 * 1000;
const MAX_ANSWERS = 500;
const PREFIX = 'page';

export interface PagedAnswer {
  /** Only this user may turn the pages. */
  userId: string;
  pages: ReplyPage[];
  expiresAt: number;
}

/**
 * The pages of long answers, kept in memory for a while so Prev/Next buttons can show them. They
 * are not persisted: after a restart (or the TTL) a button press gets "this has expired, run the
 * command again", which costs the user one command and keeps old briefs from outliving their news.
 */
export interface Pager {
  save(userId: string, pages: ReplyPage[]): string;
  get(key: string): PagedAnswer | undefined;
}

export function createPager(options: { now: () => number; ttlMs?: number; max?: number }): Pager {
  const ttl = options.ttlMs ?? PAGE_TTL_MS;
  const max = options.max ?? MAX_ANSWERS;
  const answers = new Map<string, PagedAnswer>();
  const sweep = (): void => {
    const now = options.now();
    for (const [key, answer] of answers) if (answer.expiresAt <= now) answers.delete(key);
    // A Map iterates in insertion order: the first entries are the oldest.
    while (answers.size >= max) {
      const oldest = answers.keys().next().value;
      if (oldest === undefined) break;
      answers.delete(oldest);
    }
  };
  return {
    save(userId, pages) {
      sweep();
      const key = randomBytes(6).toString('hex');
      answers.set(key, { userId, pages, expiresAt: options.now() + ttl });
      return key;
    },
    get(key) {
      const answer = answers.get(key);
      if (!answer) return undefined;
      if (answer.expiresAt <= options.now()) {
        answers.delete(key);
        return undefined;
      }
      return answer;
    },
  };
}

/** A button's custom id: the answer's key and the page the button leads to. */
export function pageButtonId(key: string, index: number): string {
  return `${PREFIX}:${key}:${index}`;
}

export function parsePageButtonId(customId: string): { key: string; index: number } | null {
  const match = /^page:([0-9a-f]{1,32}):(\d{1,3})$/.exec(customId);
  if (!match?.[1] || match[2] === undefined) return null;
  return { key: match[1], index: Number(match[2]) };
}
