import type { Command } from '../src/chat/command.ts';
import { adminRole } from './admin-role.ts';
import { baseline } from './baseline.ts';
import { brief } from './brief.ts';
import { digest } from './digest.ts';
import { feeds } from './feeds.ts';
import { help } from './help.ts';
import { status } from './status.ts';
import { trend } from './trend.ts';
import { watch } from './watch.ts';

/** Every command, in the order /help lists them. The bot and deploy-commands both read this list. */
export const commands: ReadonlyArray<Command> = [brief, trend, watch, feeds, digest, baseline, status, adminRole, help];
