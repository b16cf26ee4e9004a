import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema, type Config } from './schema.ts';
import { ConfigError } from './errors.ts';

/** Where the repository's own config lives, whatever the working directory. */
export const DEFAULT_CONFIG_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../config/default.json');

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file read. */
  file: string;
  /** Resolves a path written in the config relative to the config file's folder. */
  resolvePath(path: string): string;
}

/** Picks the config file: an explicit path, else SITREP_CONFIG, else config/default.json. */
export function configFileFrom(env: NodeJS.ProcessEnv, explicit?: string): string {
  const chosen = explicit ?? env['SITREP_CONFIG'];
  return chosen ? resolve(chosen) : DEFAULT_CONFIG_FILE;
}

function keyPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === 'number') return `${acc}[${part}]`;
    return acc ? `${acc}.${String(part)}` : String(part);
  }, '');
}

/** Reads and validates a config file; every failure is a ConfigError naming the file and the key. */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(file, null, `cannot read the file (${code})`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError(file, null, `not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (!issue) throw new ConfigError(file, null, 'invalid');
    let path = issue.path;
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      path = [...issue.path, issue.keys[0] ?? ''];
      message = 'unknown key';
    }
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problems)` : '';
    throw new ConfigError(file, keyPath(path) || null, `${message}${more}`);
  }
  const base = dirname(file);
  return {
    config: parsed.data,
    file,
    resolvePath: (path: string) => (isAbsolute(path) ? path : resolve(base, path)),
  };
}
