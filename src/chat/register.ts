import { createHash } from 'node:crypto';
import type { Client, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Logger } from '../log.ts';
import type { MetaRepository } from '../store/index.ts';

export function commandSetHash(body: ReadonlyArray<RESTPostAPIChatInputApplicationCommandsJSONBody>): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/**
 * Bulk-overwrites the bot's commands only when the set differs from what this application last
 * registered in this scope, so restarts cost no API calls and no rate limit.
 */
export async function registerCommandsIfChanged(options: {
  client: Client<true>;
  body: RESTPostAPIChatInputApplicationCommandsJSONBody[];
  guildId: string | null;
  meta: MetaRepository;
  log: Logger;
}): Promise<'registered' | 'unchanged'> {
  const { client, body, guildId, meta, log } = options;
  const scope = guildId ? `guild-${guildId}` : 'global';
  const key = `commands-hash:${client.application.id}:${scope}`;
  const hash = commandSetHash(body);
  if ((await meta.get(key)) === hash) {
    log.debug({ scope }, 'slash commands unchanged');
    return 'unchanged';
  }
  if (guildId) await client.application.commands.set(body, guildId);
  else await client.application.commands.set(body);
  await meta.set(key, hash);
  log.info({ scope, count: body.length }, 'slash commands registered');
  return 'registered';
}
