import type Keyv from 'keyv';
import { keys } from './keys.ts';

export interface MetaRepository {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
}

export function createMetaRepository(keyv: Keyv): MetaRepository {
  return {
    get: async (name) => keyv.get<string>(keys.meta(name)),
    set: async (name, value) => {
      await keyv.set(keys.meta(name), value);
    },
  };
}
