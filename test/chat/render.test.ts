import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS, escapeForDiscord, renderDiscord } from '../../src/chat/render-discord.ts';
import { renderText } from '../../src/chat/render-text.ts';
import type { Reply } from '../../src/chat/reply.ts';

const hostile = '@everyone **BREAKING** [click](https://evil.example) <@123456789> <@&42> `code` # Heading';

function embedTotal(payload: ReturnType<typeof renderDiscord>): number {
  return payload.embeds.reduce((sum, embed) => {
    let size = (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0);
    for (const field of embed.fields ?? []) size += field.name.length + field.value.length;
    return sum + size;
  }, 0);
}

describe('escapeForDiscord', () => {
  it('leaves no live markdown or mention', () => {
    const safe = escapeForDiscord(hostile);
    expect(safe).not.toContain('@everyone');
    expect(safe).toContain('@\u200beveryone');
    expect(safe).toContain('\\*\\*BREAKING\\*\\*');
    expect(safe).toContain('\\[click\\]\\(https://evil.example\\)');
    expect(safe).toContain('\\<@\u200b123456789>');
    expect(safe).toContain('\\`code\\`');
    expect(escapeForDiscord('- item\n1. one')).toBe('\\- item\n\\1. one');
    expect(escapeForDiscord('> quote\na > b')).toBe('\\> quote\na > b');
  });
});

describe('renderDiscord', () => {
  it('never pings and escapes block text', () => {
    const payload = renderDiscord({
      text: hostile,
      blocks: [{ title: hostile, url: 'javascript:alert(1)', fields: [{ label: 'x', text: hostile }], links: [{ label: hostile, url: 'https://ok.example/a(b)' }] }],
    });
    expect(payload.allowedMentions).toEqual({ parse: [] });
    expect(payload.content).not.toMatch(/(^|[^\\])@everyone/);
    expect(payload.embeds[0]?.url).toBeUndefined();
    expect(payload.embeds[0]?.title).toContain('@\u200beveryone');
    const sources = payload.embeds[0]?.fields?.find((field) => field.name === 'Sources');
    expect(sources?.value).toContain('(https://ok.example/a%28b%29)');
  });

  it('keeps within every Discord limit with huge and many blocks', () => {
    const huge = 'word '.repeat(200_000);
    const reply: Reply = {
      text: huge,
      footer: huge,
      blocks: Array.from({ length: 14 }, (_, index) => ({
        title: `${index} ${huge}`,
        url: 'https://example.org/story',
        time: '2015-11-20T10:00:00Z',
        fields: Array.from({ length: 30 }, () => ({ label: huge, text: huge })),
        links: Array.from({ length: 50 }, (_, n) => ({ label: `Outlet ${n}`, url: `https://example.org/${n}` })),
      })),
    };
    const payload = renderDiscord(reply);
    expect(payload.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    expect(payload.embeds.length).toBeGreaterThan(0);
    expect(payload.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embeds);
    expect(embedTotal(payload)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    for (const embed of payload.embeds) {
      expect(embed.title?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.title);
      expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
      for (const field of embed.fields ?? []) {
        expect(field.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
        expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
      }
    }
    expect(payload.content.endsWith('…')).toBe(true);
  });
});

describe('renderText', () => {
  it('prints blocks as numbered plain text without control characters', () => {
    const text = renderText({
      text: 'Syria: 1 story',
      blocks: [
        {
          title: 'Toll rises\u001b[31m to 130',
          time: '2015-11-20T10:00:00Z',
          fields: [{ label: 'Figures changed', text: 'killed: 129 -> 130' }],
          links: [{ label: 'VOA', url: 'https://www.voanews.com/a' }, { label: 'Bad', url: 'javascript:x' }],
        },
      ],
      footer: '3 items',
    });
    expect(text).toBe(
      [
        'Syria: 1 story',
        '',
        '1. Toll rises[31m to 130 (2015-11-20)',
        '   Figures changed: killed: 129 -> 130',
        '   Sources: VOA <https://www.voanews.com/a>; Bad',
        '',
        '3 items',
      ].join('\n'),
    );
  });

  it('clips a 1 MB title', () => {
    const text = renderText({ text: '', blocks: [{ title: 'x'.repeat(1_000_000), fields: [], links: [] }] });
    expect(text.length).toBeLessThan(400);
  });
});
