import { SitrepError } from '../errors.ts';

export class ConfigError extends SitrepError {
  override readonly name = 'ConfigError' as const;
  readonly file: string;
  readonly key: string | null;

  constructor(file: string, key: string | null, detail: string, options?: { cause?: unknown }) {
    super('config.invalid', `config: ${file}${key ? `: ${key}` : ''}: ${detail}`, options);
    this.file = file;
    this.key = key;
  }
}
