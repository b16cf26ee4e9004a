import pino, { type Logger } from 'pino';

export type { Logger };

export interface LogOptions {
  level?: string;
  /** Pretty, human-readable lines (a terminal); JSON lines otherwise. */
  pretty?: boolean;
  /** Strings that must never reach a log line (the bot token), wherever they appear. */
  secrets?: string[];
}

function scrubber(secrets: string[]): (text: string) => string {
  const live = secrets.filter((secret) => secret.length >= 8);
  return (text) => live.reduce((acc, secret) => acc.split(secret).join('[redacted]'), text);
}

/**
 * Logs go to stderr so that stdout stays the console's reply channel. The token and anything
 * that looks like an authorization header are redacted wherever they appear in a log object.
 */
export function createLogger(options: LogOptions = {}): Logger {
  const level = options.level ?? 'info';
  const scrub = scrubber(options.secrets ?? []);
  const hooks = {
    logMethod(this: Logger, args: unknown[], method: (...rest: unknown[]) => void) {
      const clean = args.map((arg) => {
        if (typeof arg === 'string') return scrub(arg);
        if (arg instanceof Error) return { err: { type: arg.name, message: scrub(arg.message), code: (arg as { code?: unknown }).code } };
        if (arg && typeof arg === 'object') return JSON.parse(scrub(JSON.stringify(arg))) as unknown;
        return arg;
      });
      method.apply(this, clean);
    },
  };
  const redact = {
    paths: ['token', '*.token', 'DISCORD_TOKEN', '*.DISCORD_TOKEN', 'authorization', '*.authorization', 'headers.authorization'],
    censor: '[redacted]',
  };
  if (options.pretty) {
    return pino({
      level,
      redact,
      hooks,
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, translateTime: 'SYS:HH:MM:ss' } },
    });
  }
  return pino({ level, redact, hooks }, pino.destination({ fd: 2, sync: true }));
}

/** A logger that drops everything: for tests and for CLI commands that print their own output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
