import { SitrepError } from '../errors.ts';

export class OpsPortError extends SitrepError {
  override readonly name = 'OpsPortError' as const;
  constructor(value: string) {
    super('ops.port', `ops: SITREP_OPS_PORT "${value}" is not a port number (0-65535; 0 picks a free one)`);
  }
}

export class OpsListenError extends SitrepError {
  override readonly name = 'OpsListenError' as const;
  constructor(port: number, options: { cause: unknown }) {
    super('ops.listen', `ops: cannot listen on 127.0.0.1:${port}: ${(options.cause as Error)?.message ?? String(options.cause)}`, options);
  }
}

export class ShardConfigError extends SitrepError {
  override readonly name = 'ShardConfigError' as const;
  constructor(detail: string) {
    super('ops.shards', `ops: ${detail}`);
  }
}
