import { describe, expect, it } from 'vitest';
import { SlashCommandBuilder } from 'discord.js';
import { commands } from '../../commands/index.ts';
import { parseLine, tokenize } from '../../src/chat/parse-line.ts';

const definitions = [
  ...commands.map((command) => command.data.toJSON()),
  new SlashCommandBuilder()
    .setName('sample')
    .setDescription('test')
    .addSubcommand((sub) =>
      sub
        .setName('add')
        .setDescription('add')
        .addStringOption((o) => o.setName('topic').setDescription('t').setRequired(true))
        .addStringOption((o) => o.setName('keyword').setDescription('k').setRequired(true).setMaxLength(10)),
    )
    .addSubcommand((sub) =>
      sub
        .setName('list')
        .setDescription('list')
        .addIntegerOption((o) => o.setName('days').setDescription('d').setMinValue(1).setMaxValue(30)),
    )
    .toJSON(),
];

describe('parseLine', () => {
  it('reads positional and named options the same way', () => {
    expect(parseLine('/brief syria', definitions)).toEqual({ name: 'brief', subcommand: null, options: { topic: 'syria' } });
    expect(parseLine('/brief topic:syria', definitions)).toEqual(parseLine('/brief syria', definitions));
    expect(parseLine('  brief   topic:"paris attacks" ', definitions).options).toEqual({ topic: 'paris attacks' });
    expect(parseLine('/brief paris attacks', definitions).options).toEqual({ topic: 'paris attacks' });
  });

  it('reads subcommands and converts numbers', () => {
    expect(parseLine('/sample add syria aleppo', definitions)).toEqual({
      name: 'sample',
      subcommand: 'add',
      options: { topic: 'syria', keyword: 'aleppo' },
    });
    expect(parseLine('/sample list days:3', definitions).options).toEqual({ days: 3 });
    expect(parseLine('/sample list 3', definitions).options).toEqual({ days: 3 });
    // Optional options take bare words only when no text option is being extended.
    expect(parseLine('/brief paris attacks since:3d', definitions).options).toEqual({ topic: 'paris attacks', since: '3d' });
    expect(parseLine('/watch list syria', definitions).options).toEqual({ topic: 'syria' });
    expect(parseLine('/feeds test https://example.com/rss', definitions).options).toEqual({ url: 'https://example.com/rss' });
  });

  it('gives specific errors', () => {
    expect(() => parseLine('/nope', definitions)).toThrow('unknown command "/nope"; commands: /brief, /trend, /watch,');
    expect(() => parseLine('/brief', definitions)).toThrow('/brief needs topic: e.g. /brief topic:syria');
    expect(() => parseLine('/brief colour:red', definitions)).toThrow('/brief has no option "colour"; its options: topic, since, detail');
    expect(() => parseLine('/brief syria detail:long', definitions)).toThrow('/brief detail must be one of: short, full');
    expect(() => parseLine('/sample', definitions)).toThrow('/sample needs a subcommand: /sample add|list');
    expect(() => parseLine('/sample list days:zero', definitions)).toThrow('takes a whole number, not "zero"');
    expect(() => parseLine('/sample list days:99', definitions)).toThrow('must be at most 30');
    expect(() => parseLine('/sample add syria abcdefghijklmnop', definitions)).toThrow('takes at most 10 characters (got 16)');
    expect(() => parseLine('/brief "syria', definitions)).toThrow('is not closed');
    expect(() => parseLine(`/brief ${'x'.repeat(2000)}`, definitions)).toThrow('takes at most 100 characters (got 2000)');
  });

  it('tokenizes quotes', () => {
    expect(tokenize(`a "b c" d:'e f'`)).toEqual(['a', 'b c', 'd:e f']);
    expect(tokenize('x ""')).toEqual(['x', '']);
  });
});
