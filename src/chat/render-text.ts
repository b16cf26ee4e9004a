import type { Reply } from './reply.ts';
import { clip, oneLineText, safeUrl, stripControls } from './sanitize.ts';

const WIDTH_TITLE = 300;
const WIDTH_FIELD = 1_000;

function day(iso: string | null | undefined): string {
  if (!iso) return '';
  const time = Date.parse(iso);
  return Number.isNaN(time) ? '' : new Date(time).toISOString().slice(0, 10);
}

/** The console's rendering: plain text, no markdown, no terminal control characters. */
export function renderText(reply: Reply): string {
  const lines: string[] = [];
  const lead = clip(stripControls(reply.text).trim(), 4_000);
  if (lead) lines.push(lead);
  reply.blocks.forEach((block, index) => {
    lines.push('');
    const when = day(block.time);
    lines.push(`${index + 1}. ${oneLineText(block.title, WIDTH_TITLE)}${when ? ` (${when})` : ''}`);
    for (const field of block.fields) {
      lines.push(`   ${oneLineText(field.label, 80)}: ${oneLineText(field.text, WIDTH_FIELD)}`);
    }
    if (block.links.length > 0) {
      const links = block.links.map((link) => {
        const url = safeUrl(link.url);
        const label = oneLineText(link.label, 80);
        return url ? `${label} <${url}>` : label;
      });
      lines.push(`   Sources: ${links.join('; ')}`);
    }
  });
  if (reply.footer) {
    lines.push('');
    lines.push(oneLineText(reply.footer, 500));
  }
  return lines.join('\n');
}
