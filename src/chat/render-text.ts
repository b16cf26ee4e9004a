import type { Reply, ReplyPage } from './reply.ts';
import { clip, oneLineText, safeUrl, stripControls } from './sanitize.ts';

const WIDTH_TITLE = 300;
const WIDTH_FIELD = 1_000;

function day(iso: string | null | undefined): string {
  if (!iso) return '';
  const time = Date.parse(iso);
  return Number.isNaN(time) ? '' : new Date(time).toISOString().slice(0, 10);
}

function renderPage(page: ReplyPage, lines: string[]): void {
  const lead = clip(stripControls(page.text).trim(), 4_000);
  if (lead) lines.push(lead);
  page.blocks.forEach((block, index) => {
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
  if (page.footer) {
    lines.push('');
    lines.push(oneLineText(page.footer, 500));
  }
}

/**
 * The console's rendering: plain text, no markdown, no terminal control characters. Every page of
 * a paged answer is printed in turn; `files` maps each attached file's name to where it was written.
 */
export function renderText(reply: Reply, options: { files?: ReadonlyMap<string, string> } = {}): string {
  const lines: string[] = [];
  const pages = reply.pages && reply.pages.length > 0 ? reply.pages : [reply];
  pages.forEach((page, index) => {
    if (pages.length > 1) lines.push(`${index === 0 ? '' : '\n'}-- page ${index + 1} of ${pages.length} --`);
    renderPage(page, lines);
  });
  for (const file of reply.files ?? []) {
    const where = options.files?.get(file.name);
    lines.push('');
    lines.push(
      `File: ${oneLineText(file.name, 100)} (${file.contentType}, ${file.data.length} bytes)${where ? ` written to ${where}` : ' (not saved)'}`,
    );
  }
  return lines.join('\n');
}
