import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { CommandContext } from './command.ts';
import { replyForError, runCommand } from './dispatch.ts';
import { parseLine } from './parse-line.ts';
import { renderText } from './render-text.ts';
import type { ReplyFile } from './reply.ts';

/** The settings key the console's own "server" uses. */
export const CONSOLE_GUILD = 'console';

export interface ConsoleTransport {
  /** Resolves when input ends (or `stop` is called) and the last command has answered. */
  done: Promise<{ errors: number }>;
  stop(): void;
}

/**
 * The local console: the same slash commands as Discord, typed on stdin, answered as plain text
 * on stdout. Reads line by line and answers in order, so piped scripts get deterministic output.
 */
export function startConsole(options: { ctx: CommandContext; input: Readable; output: Writable; interactive: boolean }): ConsoleTransport {
  const { ctx, output } = options;
  const definitions = ctx.commands.map((command) => command.data.toJSON());
  const lines = createInterface({ input: options.input, terminal: options.interactive, output: options.interactive ? output : undefined });
  // Ctrl-C at the prompt ends the session like Ctrl-D does, through the same clean shutdown.
  lines.on('SIGINT', () => lines.close());
  let errors = 0;
  let folder: string | null = null;
  // A terminal cannot show a PNG: files go to a temp folder of this session and the answer says where.
  const saveFiles = async (files: ReadonlyArray<ReplyFile>): Promise<Map<string, string>> => {
    const paths = new Map<string, string>();
    if (files.length === 0) return paths;
    folder ??= await mkdtemp(join(tmpdir(), 'sitrep-console-'));
    for (const file of files) {
      const path = join(folder, basename(file.name));
      await writeFile(path, file.data);
      paths.set(file.name, path);
    }
    return paths;
  };
  const write = (text: string): void => {
    output.write(`${text}\n`);
  };
  if (options.interactive) {
    write('sitrep console: type /help for commands, /brief <topic> for a brief, Ctrl-D to quit.');
    lines.setPrompt('sitrep> ');
    lines.prompt();
  }

  const handle = async (line: string): Promise<void> => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    if (/^\/?(exit|quit)$/i.test(trimmed)) {
      lines.close();
      return;
    }
    // The console acts as one server of its own ("console"), so /watch, /feeds, /digest and
    // /baseline keep settings there, apart from every Discord server's.
    const base = {
      guildId: CONSOLE_GUILD,
      channelId: 'console',
      userId: 'console',
      permissions: null,
      transport: 'console' as const,
    };
    let reply;
    try {
      const parsed = parseLine(trimmed, definitions);
      reply = await runCommand({ ...base, ...parsed }, ctx);
    } catch (error) {
      reply = replyForError(error, ctx, { ...base, name: trimmed.split(/\s/)[0] ?? '', subcommand: null, options: {} });
    }
    if (reply.error) errors += 1;
    write(renderText(reply, { files: await saveFiles(reply.files ?? []) }));
  };

  const done = (async () => {
    for await (const line of lines) {
      await handle(line);
      if (options.interactive) lines.prompt();
    }
    return { errors };
  })();
  return { done, stop: () => lines.close() };
}
