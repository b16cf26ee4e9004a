import { SitrepError } from '../errors.ts';

export class StoreUrlError extends SitrepError {
  override readonly name = 'StoreUrlError' as const;
  constructor(url: string, detail: string) {
    super('store.url', `store: SITREP_STORE "${url}": ${detail}`);
  }
}

export class StoreOpenError extends SitrepError {
  override readonly name = 'StoreOpenError' as const;
  constructor(url: string, options: { cause: unknown }) {
    super('store.open', `store: cannot open ${url}: ${(options.cause as Error)?.message ?? String(options.cause)}`, options);
  }
}
