import type { Writable } from 'node:stream';
import type { Reply } from '../chat/reply.ts';
import { renderText } from '../chat/render-text.ts';
import type { DigestTransport } from './transport.ts';

/**
 * The console prints digests to its output. A write either happens or throws inside this
 * process, so nothing is ever in doubt and there is no channel to search.
 */
export function consoleDigestTransport(output: Writable): DigestTransport {
  let count = 0;
  return {
    kind: 'console',
    post: (_channelId: string, reply: Reply) => {
      count += 1;
      output.write(`\n${renderText(reply)}\n`);
      return Promise.resolve({ status: 'sent', messageId: `console-${count}` });
    },
    find: () => Promise.resolve({ status: 'absent' }),
    notifyAdmins: (_guildId, _channelId, text) => {
      output.write(`\n${text}\n`);
      return Promise.resolve('the console');
    },
  };
}
