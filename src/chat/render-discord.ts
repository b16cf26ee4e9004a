import type { APIEmbed } from 'discord.js';
import type { Reply } from './reply.ts';
import { clip, oneLineText, safeUrl, stripControls } from './sanitize.ts';

/** Discord's documented message and embed limits. */
export const DISCORD_LIMITS = {
  content: 2_000,
  embeds: 10,
  embedTotal: 6_000,
  title: 256,
  description: 4_096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1_024,
  footer: 2_048,
} as const;

export interface DiscordMessagePayload {
  content: string;
  embeds: APIEmbed[];
  allowedMentions: { parse: [] };
  ephemeral: boolean;
}

/**
 * Makes untrusted text inert in Discord: markdown characters are backslash-escaped (so `[x](url)`
 * cannot become a masked link and `**` cannot restyle), and mentions are broken with a zero-width
 * space. `allowedMentions` is empty on every message as well; this keeps the text from even looking
 * like a ping.
 */
export function escapeForDiscord(text: string): string {
  return stripControls(text)
    .replace(/[\\*_~`|[\]()<#]/g, (char) => `\\${char}`)
    // A `>` only quotes, and `-`/`1.` only list, at the start of a line.
    .replace(/^(\s*)(>|[-+]|\d+\.)(\s)/gm, '$1\\$2$3')
    .replace(/@(everyone|here)/gi, '@\u200b$1')
    .replace(/@(?=[!&]?\d)/g, '@\u200b');
}

function linkMarkdown(label: string, url: string | null): string {
  const safeLabel = escapeForDiscord(oneLineText(label, 60));
  const safe = safeUrl(url);
  // Parentheses inside a masked link's URL would end it early.
  return safe ? `[${safeLabel}](${safe.replace(/\(/g, '%28').replace(/\)/g, '%29')})` : safeLabel;
}

/** Joins link markdown until the field is full, so a cut never breaks a link in half. */
function linksValue(links: Reply['blocks'][number]['links']): string {
  const parts: string[] = [];
  let length = 0;
  for (const link of links) {
    const part = linkMarkdown(link.label, link.url);
    if (length + part.length + 3 > DISCORD_LIMITS.fieldValue - 2) {
      parts.push('…');
      break;
    }
    parts.push(part);
    length += part.length + 3;
  }
  return parts.join(' · ');
}

/** Escaped and clipped; clipping first keeps a 1 MB feed title from costing a 1 MB regex pass. */
function fit(text: string, max: number): string {
  return clip(escapeForDiscord(clip(stripControls(text).trim(), max)), max);
}

/** Discord rendering: one embed per block, within every limit, by trimming with an ellipsis. */
export function renderDiscord(reply: Reply): DiscordMessagePayload {
  const embeds: APIEmbed[] = [];
  const footerRaw = reply.footer ? oneLineText(reply.footer, 300) : '';
  // The footer's room is kept aside first, so it always fits whatever the blocks hold.
  let budget = DISCORD_LIMITS.embedTotal - footerRaw.length - 40;
  let dropped = 0;
  for (const block of reply.blocks) {
    if (embeds.length >= DISCORD_LIMITS.embeds || budget < 200) {
      dropped += 1;
      continue;
    }
    const embed: APIEmbed = { title: fit(oneLineText(block.title, 400), DISCORD_LIMITS.title), fields: [] };
    budget -= embed.title?.length ?? 0;
    const url = safeUrl(block.url);
    if (url) embed.url = url;
    if (block.time && !Number.isNaN(Date.parse(block.time))) embed.timestamp = new Date(block.time).toISOString();
    const fields = [...block.fields];
    const sources = block.links.length > 0 ? linksValue(block.links) : null;
    const room = (): number => Math.min(DISCORD_LIMITS.fieldValue, budget - 60 - (sources ? Math.min(sources.length, 300) + 7 : 0));
    for (const field of fields.slice(0, DISCORD_LIMITS.fields - 1)) {
      const name = fit(oneLineText(field.label, 200), Math.min(DISCORD_LIMITS.fieldName, 100));
      const space = room() - name.length;
      if (space < 20) break;
      const value = fit(field.text, space) || '-';
      embed.fields?.push({ name, value });
      budget -= name.length + value.length;
    }
    if (sources) {
      const value = sources.length <= budget - 7 ? sources : clip(sources, Math.max(1, budget - 7));
      embed.fields?.push({ name: 'Sources', value });
      budget -= 7 + value.length;
    }
    embeds.push(embed);
  }
  const footer = [footerRaw ? escapeForDiscord(footerRaw) : '', dropped > 0 ? `${dropped} more not shown` : '']
    .filter(Boolean)
    .join(' · ');
  const last = embeds.at(-1);
  if (footer && last) last.footer = { text: clip(footer, DISCORD_LIMITS.footer) };
  let content = fit(reply.text, DISCORD_LIMITS.content);
  if (footer && !last) content = clip(`${content}\n-# ${footer}`, DISCORD_LIMITS.content);
  return {
    content,
    embeds,
    allowedMentions: { parse: [] },
    ephemeral: reply.ephemeral ?? false,
  };
}
