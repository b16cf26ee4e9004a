/** Reading a command's options the same way in every command, with errors that say what to type. */
import { createTask } from 'node-cron';
import { findTopic } from '../briefing/index.ts';
import type { TopicDef } from '../news/types.ts';
import type { CommandContext, CommandInput } from './command.ts';
import { UserInputError } from './errors.ts';

function where(input: CommandInput): string {
  return `/${input.name}${input.subcommand ? ` ${input.subcommand}` : ''}`;
}

/** A text option, trimmed; null when absent or blank. */
export function text(input: CommandInput, name: string): string | null {
  const value = input.options[name];
  if (value === undefined) return null;
  const trimmed = String(value).trim();
  return trimmed === '' ? null : trimmed;
}

/** A required text option within a length, with an example of a right value in the error. */
export function requiredText(input: CommandInput, name: string, limits: { max: number; min?: number; example: string }): string {
  const value = text(input, name);
  if (value === null) {
    throw new UserInputError('command.option-missing', `${where(input)} needs ${name}: e.g. ${where(input)} ${name}:${limits.example}`);
  }
  return checkLength(input, name, value, limits);
}

export function checkLength(input: CommandInput, name: string, value: string, limits: { max: number; min?: number; example: string }): string {
  if (value.length > limits.max) {
    throw new UserInputError(
      'command.option-invalid',
      `${name} takes at most ${limits.max} characters (got ${value.length}); e.g. ${where(input)} ${name}:${limits.example}`,
    );
  }
  if (limits.min !== undefined && value.length < limits.min) {
    throw new UserInputError(
      'command.option-invalid',
      `${name} needs at least ${limits.min} characters (got ${value.length}); e.g. ${where(input)} ${name}:${limits.example}`,
    );
  }
  return value;
}

export function integer(input: CommandInput, name: string, range: { min: number; max: number; fallback: number }): number {
  const value = input.options[name];
  if (value === undefined) return range.fallback;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(number) || number < range.min || number > range.max) {
    throw new UserInputError(
      'command.option-invalid',
      `${name} must be a whole number from ${range.min} to ${range.max}, e.g. ${where(input)} ${name}:${range.fallback}`,
    );
  }
  return number;
}

/** The topic the user meant (by id, name, keyword or alias); an error listing the topics otherwise. */
export function topicOption(input: CommandInput, ctx: Pick<CommandContext, 'topics'>, name = 'topic'): TopicDef {
  const typed = requiredText(input, name, { max: 100, example: ctx.topics[0]?.id ?? 'syria' });
  const topic = findTopic(ctx.topics, typed);
  if (!topic) {
    const known = ctx.topics.map((candidate) => candidate.id).join(', ');
    throw new UserInputError('topic.unknown', `"${typed.slice(0, 100)}" is not a topic. Topics: ${known}.`);
  }
  return topic;
}

/** The guild whose settings a command reads or changes (dispatch keeps guild-only commands out of DMs). */
export function guildOf(input: CommandInput): string {
  if (input.guildId === null) throw new UserInputError('command.guild-only', '');
  return input.guildId;
}

/** "2015-11-20" for a date, "" for none. */
export function day(iso: string | null | undefined): string {
  if (!iso) return '';
  const time = Date.parse(iso);
  return Number.isNaN(time) ? '' : new Date(time).toISOString().slice(0, 10);
}

/** "2015-11-20 08:00 UTC" */
export function minute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The first time after `from` a cron expression fires in a time zone, minute by minute for up to
 * eight days (every schedule sitrep accepts fires at least weekly); null when it does not.
 */
export function nextCronRun(cron: string, timezone: string, from: Date): Date | null {
  const task = createTask(cron, () => undefined, { timezone });
  try {
    let at = Math.floor(from.getTime() / 60_000) * 60_000 + 60_000;
    for (let step = 0; step < 8 * 24 * 60; step += 1, at += 60_000) {
      const date = new Date(at);
      if (task.match(date)) return date;
    }
    return null;
  } finally {
    void task.destroy();
  }
}
