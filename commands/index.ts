import type { Command } from '../src/chat/command.ts';
import { brief } from './brief.ts';
import { help } from './help.ts';

/** Every command, in the order /help lists them. The bot and deploy-commands both read this list. */
export const commands: ReadonlyArray<Command> = [brief, help];
