import {
  ApplicationCommandOptionType,
  type APIApplicationCommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { OptionValue } from './command.ts';
import { UserInputError } from './errors.ts';

export interface ParsedLine {
  name: string;
  subcommand: string | null;
  options: Record<string, OptionValue>;
}

/** Splits a typed line into words; "double" or 'single' quotes keep spaces, also after `name:`. */
export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quote: string | null = null;
  let started = false;
  for (const char of line) {
    if (quote) {
      if (char === quote) quote = null;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (/\s/.test(char)) {
      if (started) tokens.push(current);
      current = '';
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (quote) throw new UserInputError('command.option-invalid', `a quote (${quote}) is not closed`);
  if (started) tokens.push(current);
  return tokens;
}

type ValueOption = Exclude<
  APIApplicationCommandOption,
  { type: ApplicationCommandOptionType.Subcommand | ApplicationCommandOptionType.SubcommandGroup }
>;

function isValueOption(option: APIApplicationCommandOption): option is ValueOption {
  return (
    option.type !== ApplicationCommandOptionType.Subcommand &&
    option.type !== ApplicationCommandOptionType.SubcommandGroup
  );
}

function textOption(option: ValueOption | null): ValueOption | null {
  return option !== null && option.type === ApplicationCommandOptionType.String ? option : null;
}

function convert(command: string, option: ValueOption, raw: string): OptionValue {
  const where = `/${command} ${option.name}`;
  switch (option.type) {
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number: {
      const value = Number(raw);
      const integer = option.type === ApplicationCommandOptionType.Integer;
      if (raw.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
        throw new UserInputError(
          'command.option-invalid',
          `${where} takes ${integer ? 'a whole number' : 'a number'}, not "${raw.slice(0, 40)}" (e.g. ${option.name}:7)`,
        );
      }
      if (option.min_value !== undefined && value < option.min_value) {
        throw new UserInputError('command.option-invalid', `${where} must be at least ${option.min_value}`);
      }
      if (option.max_value !== undefined && value > option.max_value) {
        throw new UserInputError('command.option-invalid', `${where} must be at most ${option.max_value}`);
      }
      return value;
    }
    case ApplicationCommandOptionType.Boolean: {
      const lower = raw.toLowerCase();
      if (['true', 'yes', 'on', '1'].includes(lower)) return true;
      if (['false', 'no', 'off', '0'].includes(lower)) return false;
      throw new UserInputError('command.option-invalid', `${where} takes true or false, not "${raw.slice(0, 40)}"`);
    }
    case ApplicationCommandOptionType.String: {
      if (option.min_length !== undefined && raw.length < option.min_length) {
        throw new UserInputError('command.option-invalid', `${where} needs at least ${option.min_length} characters`);
      }
      if (option.max_length !== undefined && raw.length > option.max_length) {
        throw new UserInputError(
          'command.option-invalid',
          `${where} takes at most ${option.max_length} characters (got ${raw.length})`,
        );
      }
      if (option.choices && option.choices.length > 0 && !option.choices.some((choice) => choice.value === raw)) {
        const allowed = option.choices.map((choice) => String(choice.value)).join(', ');
        throw new UserInputError('command.option-invalid', `${where} must be one of: ${allowed}`);
      }
      return raw;
    }
    default:
      return raw;
  }
}

/**
 * Reads a console line the way Discord would deliver the slash command: `/brief syria` and
 * `/brief topic:syria` give the same options. Words without a `name:` fill the options in order,
 * and spare words extend the last text option, so `/brief paris attacks` reads as one value.
 */
export function parseLine(
  line: string,
  definitions: ReadonlyArray<RESTPostAPIChatInputApplicationCommandsJSONBody>,
): ParsedLine {
  const tokens = tokenize(line.trim().replace(/^\//, ''));
  const name = (tokens.shift() ?? '').toLowerCase();
  const definition = definitions.find((candidate) => candidate.name === name);
  if (!definition) {
    const known = definitions.map((candidate) => `/${candidate.name}`).join(', ');
    throw new UserInputError('command.unknown', `unknown command "/${name.slice(0, 40)}"; commands: ${known}`);
  }
  let options: APIApplicationCommandOption[] = definition.options ?? [];
  let subcommand: string | null = null;
  const subcommands = options.filter((option) => option.type === ApplicationCommandOptionType.Subcommand);
  if (subcommands.length > 0) {
    const wanted = (tokens.shift() ?? '').toLowerCase();
    const found = subcommands.find((option) => option.name === wanted);
    if (!found) {
      const names = subcommands.map((option) => option.name).join('|');
      throw new UserInputError(
        'command.option-missing',
        `/${name} needs a subcommand: /${name} ${names}${wanted ? ` ("${wanted.slice(0, 40)}" is not one)` : ''}`,
      );
    }
    subcommand = found.name;
    options = found.type === ApplicationCommandOptionType.Subcommand ? (found.options ?? []) : [];
  }
  const valueOptions = options.filter(isValueOption);
  const raw = new Map<string, string>();
  let lastPositional: ValueOption | null = null;
  const where = `/${name}${subcommand ? ` ${subcommand}` : ''}`;
  for (const token of tokens) {
    // "https://..." is a value, not an option named "https".
    const named = /^([a-z0-9_-]{1,32}):(?!\/\/)(.*)$/s.exec(token);
    const target = named ? valueOptions.find((option) => option.name === named[1]?.toLowerCase()) : undefined;
    if (named && target) {
      raw.set(target.name, named[2] ?? '');
      lastPositional = null;
      continue;
    }
    if (named && !target && valueOptions.length > 0 && !lastPositional) {
      const allowed = valueOptions.map((option) => option.name).join(', ');
      throw new UserInputError(
        'command.option-unknown',
        `${where} has no option "${named[1]}"; its options: ${allowed || 'none'}`,
      );
    }
    // Bare words fill the required options first; then they extend the last text option, so
    // "/brief paris attacks" stays one topic; optional options otherwise want their name (since:3d).
    const required = valueOptions.find((option) => !raw.has(option.name) && option.required);
    const extend: ValueOption | null = textOption(lastPositional);
    const next: ValueOption | undefined = required ?? (extend ? undefined : valueOptions.find((option) => !raw.has(option.name)));
    if (next) {
      raw.set(next.name, token);
      lastPositional = next;
    } else if (extend) {
      raw.set(extend.name, `${raw.get(extend.name) ?? ''} ${token}`);
    } else {
      throw new UserInputError('command.option-unknown', `${where} does not take "${token.slice(0, 40)}"`);
    }
  }
  const result: Record<string, OptionValue> = {};
  for (const option of valueOptions) {
    const value = raw.get(option.name);
    if (value === undefined) {
      if (option.required) {
        throw new UserInputError(
          'command.option-missing',
          `${where} needs ${option.name}: e.g. ${where} ${option.name}:${option.name === 'topic' ? 'syria' : '...'}`,
        );
      }
      continue;
    }
    result[option.name] = convert(name, option, value);
  }
  return { name, subcommand, options: result };
}
