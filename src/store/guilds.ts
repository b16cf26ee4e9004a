import type Keyv from 'keyv';
import { keys } from './keys.ts';
import type { Exclusive } from './serial.ts';
import { emptyGuildSettings, type GuildSettings } from './types.ts';

export interface GuildRepository {
  get(guildId: string): Promise<GuildSettings>;
  /** Read-modify-write of one guild's settings; `change` must not mutate its argument. */
  update(guildId: string, change: (current: GuildSettings) => GuildSettings, now: Date): Promise<GuildSettings>;
  /** Every guild that has settings (for the poller's guild feeds and the digest scheduler). */
  list(): Promise<GuildSettings[]>;
}

export function createGuildRepository(keyv: Keyv, exclusive: Exclusive): GuildRepository {
  const read = async (guildId: string): Promise<GuildSettings> => ({
    ...emptyGuildSettings(guildId),
    ...((await keyv.get<GuildSettings>(keys.guild(guildId))) ?? {}),
  });
  return {
    get: read,
    update: (guildId, change, now) =>
      exclusive(async () => {
        const next = { ...change(await read(guildId)), guildId, updatedAt: now.toISOString() };
        await keyv.set(keys.guild(guildId), next);
        const list = (await keyv.get<string[]>(keys.guildList())) ?? [];
        if (!list.includes(guildId)) await keyv.set(keys.guildList(), [...list, guildId]);
        return next;
      }),
    list: async () => {
      const ids = (await keyv.get<string[]>(keys.guildList())) ?? [];
      return Promise.all(ids.map((id) => read(id)));
    },
  };
}
