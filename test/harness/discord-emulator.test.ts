import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  Events,
  GatewayIntentBits,
  SlashCommandBuilder,
  type Interaction,
  type TextChannel,
} from 'discord.js';
import { startDiscordEmulator, type DiscordEmulator } from './discord-emulator.ts';

const GUILD = '100000000000000001';
const CHANNEL = '200000000000000001';
const GUILD2 = '100000000000000002';
const CHANNEL2 = '200000000000000002';
const MANAGE_GUILD = String(1n << 5n);

/** A tiny handler standing in for the bot. */
async function handle(interaction: Interaction): Promise<void> {
  if (interaction.isChatInputCommand()) {
    if (interaction.commandName === 'ping') {
      await interaction.reply({ content: 'pong', allowedMentions: { parse: [] } });
    } else if (interaction.commandName === 'slow') {
      await interaction.deferReply();
      await new Promise((r) => setTimeout(r, 50));
      await interaction.editReply({ content: 'done slowly' });
    } else if (interaction.commandName === 'echo') {
      const sub = interaction.options.getSubcommand(false);
      const text = interaction.options.getString('text', true);
      const n = interaction.options.getInteger('n') ?? 0;
      const admin = interaction.memberPermissions?.has('ManageGuild') ?? false;
      await interaction.reply({
        content: `${sub ?? '-'}:${text}:${n}:admin=${admin}:dm=${interaction.guildId === null}:ch=${interaction.channelId}:cached=${interaction.channel !== null}`,
        flags: 'Ephemeral',
      });
    } else if (interaction.commandName === 'menu') {
      const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId('more').setLabel('More').setStyle(ButtonStyle.Primary),
      );
      await interaction.reply({ content: 'menu', components: [row] });
    } else if (interaction.commandName === 'where') {
      const ch = interaction.options.getChannel('target', true);
      const ratio = interaction.options.getNumber('ratio', true);
      await interaction.reply({ content: `target=${ch.id}:${ch.name ?? ''}:ratio=${ratio}` });
    } else if (interaction.commandName === 'resp') {
      const res = await interaction.reply({ content: 'first', withResponse: true });
      const fetched = await interaction.fetchReply();
      await interaction.editReply({ content: `same=${res.resource?.message?.id === fetched.id}` });
    } else if (interaction.commandName === 'followups') {
      await interaction.deferReply();
      await interaction.followUp({ content: 'part 1' });
      await interaction.followUp({ content: 'part 2' });
    }
  } else if (interaction.isButton() && interaction.customId === 'more') {
    await interaction.update({ content: `more (clicked by ${interaction.user.id})`, components: [] });
  }
}

describe('discord emulator with the real discord.js client', () => {
  let emu: DiscordEmulator;
  let client: Client;
  const handlerErrors: unknown[] = [];
  const unhandled: string[] = [];

  beforeAll(async () => {
    emu = await startDiscordEmulator({
      guilds: [
        { id: GUILD, name: 'Test Guild', channels: [{ id: CHANNEL, name: 'general' }] },
        { id: GUILD2, name: 'Second Guild', channels: [{ id: CHANNEL2, name: 'news' }] },
      ],
      log: (line) => unhandled.push(line),
    });
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emu.apiBase } });
    client.on(Events.InteractionCreate, (i) => {
      handle(i).catch((e: unknown) => handlerErrors.push(e));
    });
    client.on(Events.Error, (e) => handlerErrors.push(e));
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(emu.token);
    await emu.whenIdentified();
    await ready;
  });

  afterEach(() => {
    expect(handlerErrors).toEqual([]);
  });

  afterAll(async () => {
    await client?.destroy();
    await emu?.close();
  });

  it('connects: READY and GUILD_CREATE give the client its guilds and application', () => {
    expect(client.user?.id).toBe(emu.botUserId);
    expect(client.application?.id).toBe(emu.applicationId);
    expect([...client.guilds.cache.keys()].sort()).toEqual([GUILD, GUILD2]);
    const guild = client.guilds.cache.get(GUILD);
    expect(guild?.channels.cache.get(CHANNEL)?.name).toBe('general');
    expect(guild?.members.me?.id).toBe(emu.botUserId);
    expect(guild?.roles.everyone.id).toBe(GUILD);
  });

  it('/ping gets an immediate reply with allowed mentions', async () => {
    const id = emu.sendCommand({ name: 'ping', guildId: GUILD, channelId: CHANNEL });
    const r = await emu.waitForReply(id);
    expect(r.kind).toBe('reply');
    expect(r.content).toBe('pong');
    expect(r.allowedMentions).toEqual({ parse: [] });
    expect(emu.replies(id)).toHaveLength(1);
  });

  it('/slow defers then edits the original reply', async () => {
    const id = emu.sendCommand({ name: 'slow', guildId: GUILD });
    const r = await emu.waitForReply(id);
    expect(r.kind).toBe('edit');
    expect(r.content).toBe('done slowly');
    expect(emu.replies(id).map((x) => x.kind)).toEqual(['defer', 'edit']);
  });

  it('options, subcommands, member permissions and ephemeral flags arrive', async () => {
    const admin = emu.sendCommand({
      name: 'echo',
      subcommand: 'say',
      options: { text: 'hi', n: 3 },
      guildId: GUILD2,
      channelId: CHANNEL2,
      permissions: MANAGE_GUILD,
    });
    const r1 = await emu.waitForReply(admin);
    expect(r1.content).toBe(`say:hi:3:admin=true:dm=false:ch=${CHANNEL2}:cached=true`);
    expect(r1.flags & 64).toBe(64);

    const nobody = emu.sendCommand({
      name: 'echo',
      options: { text: 'x' },
      guildId: GUILD,
      permissions: '0',
    });
    expect((await emu.waitForReply(nobody)).content).toMatch(/^-:x:0:admin=false:dm=false/);
  });

  it('a DM interaction (no guild) works', async () => {
    const id = emu.sendCommand({ name: 'echo', options: { text: 'dm' }, userId: '300000000000000042' });
    const r = await emu.waitForReply(id);
    // discord.js caches DM channels only with Partials.Channel, so interaction.channel is null here
    expect(r.content).toMatch(/^-:dm:0:admin=false:dm=true:ch=\d+:cached=false$/);
    expect(r.flags & 64).toBe(64);
  });

  it('a button press gets update on the message it is on', async () => {
    const cmd = emu.sendCommand({ name: 'menu', guildId: GUILD });
    const menu = await emu.waitForReply(cmd);
    expect(menu.components).toHaveLength(1);
    expect(menu.messageId).toMatch(/^\d+$/);
    const press = emu.sendButton({
      customId: 'more',
      messageId: menu.messageId ?? '',
      guildId: GUILD,
      userId: '300000000000000007',
    });
    const r = await emu.waitForReply(press);
    expect(r.kind).toBe('update');
    expect(r.content).toBe('more (clicked by 300000000000000007)');
    expect(r.components).toEqual([]);
    expect(r.messageId).toBe(menu.messageId);
  });

  it('follow-ups after a defer are recorded and returned', async () => {
    const id = emu.sendCommand({ name: 'followups', guildId: GUILD });
    await expect.poll(() => emu.replies(id).length).toBe(3);
    const r = await emu.waitForReply(id);
    expect(r.kind).toBe('followup');
    expect(r.content).toBe('part 1');
    expect(r.followups.map((f) => f.content)).toEqual(['part 1', 'part 2']);
  });

  it('channel messages with an attachment arrive as files; history and fetch work', async () => {
    const channel = (await client.channels.fetch(CHANNEL)) as TextChannel;
    const sent = await channel.send({
      content: 'digest',
      files: [new AttachmentBuilder(Buffer.from('hello file'), { name: 'digest.txt' })],
      allowedMentions: { parse: [] },
    });
    expect(sent.id).toMatch(/^\d+$/);
    expect(sent.author.id).toBe(emu.botUserId);
    expect(sent.attachments.first()?.name).toBe('digest.txt');
    const msgs = emu.channelMessages(CHANNEL);
    const last = msgs.at(-1);
    expect(last?.content).toBe('digest');
    expect(last?.files.map((f) => [f.name, f.data.toString()])).toEqual([['digest.txt', 'hello file']]);
    expect(last?.allowedMentions).toEqual({ parse: [] });

    await channel.send('second');
    const fetched = await channel.messages.fetch({ limit: 2 });
    expect([...fetched.values()].map((m) => m.content)).toEqual(['second', 'digest']);
  });

  it('Discord limits are enforced: content over 2000 characters is a 400', async () => {
    const channel = (await client.channels.fetch(CHANNEL)) as TextChannel;
    await expect(channel.send('x'.repeat(2001))).rejects.toMatchObject({ status: 400, code: 50035 });
  });

  it('application.commands.set shows up in registeredCommands (global and guild)', async () => {
    const defs = [
      new SlashCommandBuilder().setName('ping').setDescription('Ping').toJSON(),
      new SlashCommandBuilder().setName('slow').setDescription('Slow').toJSON(),
    ];
    const before = emu.registeredCommands().puts;
    const set = await client.application?.commands.set(defs);
    expect(set?.size).toBe(2);
    await client.application?.commands.set([defs[0]!], GUILD);
    const reg = emu.registeredCommands();
    expect(reg.puts).toBe(before + 2);
    expect(reg.global.map((c) => (c as { name: string }).name)).toEqual(['ping', 'slow']);
    expect(reg.guilds[GUILD]?.map((c) => (c as { name: string }).name)).toEqual(['ping']);
  });

  it('registered option types are used: channel options get resolved data, numbers stay numbers', async () => {
    const def = new SlashCommandBuilder()
      .setName('where')
      .setDescription('Where')
      .addChannelOption((o) => o.setName('target').setDescription('t').setRequired(true))
      .addNumberOption((o) => o.setName('ratio').setDescription('r').setRequired(true));
    await client.application?.commands.set([def.toJSON()], GUILD);
    const id = emu.sendCommand({ name: 'where', guildId: GUILD, options: { target: CHANNEL, ratio: 2 } });
    expect((await emu.waitForReply(id)).content).toBe(`target=${CHANNEL}:general:ratio=2`);
  });

  it('reply withResponse, fetchReply and editReply agree on the message', async () => {
    const id = emu.sendCommand({ name: 'resp', guildId: GUILD });
    await expect.poll(() => emu.replies(id).length).toBe(2);
    const r = await emu.waitForReply(id);
    expect(r.kind).toBe('edit');
    expect(r.content).toBe('same=true');
  });

  it('a 500 on the callback is retried and the reply arrives exactly once', async () => {
    emu.failNext(/^POST \/api\/v10\/interactions\/\d+\/[^/]+\/callback$/, 500);
    const id = emu.sendCommand({ name: 'ping', guildId: GUILD });
    const r = await emu.waitForReply(id);
    expect(r.content).toBe('pong');
    await new Promise((res) => setTimeout(res, 100));
    expect(emu.replies(id)).toHaveLength(1);
    const calls = emu.requests.filter((q) => q.path.includes(`/interactions/${id}/`));
    expect(calls.map((q) => q.status)).toEqual([500, 204]);
  });

  it('a 429 with retry_after is honoured and the reply arrives exactly once', async () => {
    emu.failNext(/^PATCH \/api\/v10\/webhooks\/.*\/messages\/@original$/, 429, 1, 0.2);
    const id = emu.sendCommand({ name: 'slow', guildId: GUILD });
    const t0 = Date.now();
    const r = await emu.waitForReply(id);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
    expect(r.content).toBe('done slowly');
    expect(emu.replies(id).map((x) => x.kind)).toEqual(['defer', 'edit']);
    const patches = emu.requests
      .filter((q) => q.method === 'PATCH' && q.path.endsWith('/messages/@original'))
      .slice(-2);
    expect(patches.map((q) => q.status)).toEqual([429, 200]);
  });

  it('a deleted channel answers 404 Unknown Channel', async () => {
    const channel = (await client.channels.fetch(CHANNEL2)) as TextChannel;
    emu.deleteChannel(CHANNEL2, { notify: false });
    await expect(channel.send('gone?')).rejects.toMatchObject({ status: 404, code: 10003 });
  });

  it('discord.js used no route the emulator does not know', () => {
    expect(unhandled).toEqual([]);
    expect(emu.requests.filter((r) => r.status === 404).map((r) => r.path)).toEqual([
      `/api/v10/channels/${CHANNEL2}/messages`,
    ]);
  });
});

describe('discord emulator gateway checks', () => {
  let emu: DiscordEmulator;
  beforeAll(async () => {
    emu = await startDiscordEmulator({ log: () => {} });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('closes with 4004 on a wrong token in IDENTIFY', async () => {
    const ws = new WebSocket(`${emu.gatewayUrl}?v=10&encoding=json`);
    const code = await new Promise<number>((resolve) => {
      ws.on('message', (raw: Buffer) => {
        const msg = JSON.parse(raw.toString()) as { op: number };
        if (msg.op === 10) {
          ws.send(
            JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {}, shard: [0, 1] } }),
          );
        }
      });
      ws.on('close', (c) => resolve(c));
    });
    expect(code).toBe(4004);
  });

  it('heartbeats are ACKed, RESUME is refused, and a late callback misses the ack deadline', async () => {
    const late = await startDiscordEmulator({ log: () => {}, ackDeadlineMs: 100 });
    const received: Array<{ op: number; t?: string; d?: unknown }> = [];
    const ws = new WebSocket(`${late.gatewayUrl}?v=10&encoding=json`);
    ws.on('message', (raw: Buffer) => {
      const msg = JSON.parse(raw.toString()) as { op: number; t?: string; d?: unknown };
      received.push(msg);
      if (msg.op === 10) {
        ws.send(JSON.stringify({ op: 1, d: null }));
        ws.send(
          JSON.stringify({ op: 2, d: { token: late.token, intents: 1, properties: {}, shard: [0, 1] } }),
        );
      }
    });
    await late.whenIdentified(2000);
    expect(late.identifyCount()).toBe(1);
    const id = late.sendCommand({ name: 'ping', guildId: GUILD });
    await expect.poll(() => received.some((m) => m.t === 'INTERACTION_CREATE')).toBe(true);
    expect(received.slice(0, 4).map((m) => m.t ?? m.op)).toEqual([10, 11, 'READY', 'GUILD_CREATE']);

    const resume = new WebSocket(`${late.gatewayUrl}?v=10&encoding=json`);
    const invalid = await new Promise<unknown>((resolve) => {
      resume.on('message', (raw: Buffer) => {
        const msg = JSON.parse(raw.toString()) as { op: number; d: unknown };
        if (msg.op === 10)
          resume.send(JSON.stringify({ op: 6, d: { token: late.token, session_id: 'x', seq: 1 } }));
        if (msg.op === 9) resolve(msg.d);
      });
    });
    expect(invalid).toBe(false);

    const created = received.find((m) => m.t === 'INTERACTION_CREATE')?.d as { id: string; token: string };
    expect(created.id).toBe(id);
    await new Promise((r) => setTimeout(r, 150));
    const res = await fetch(`${late.apiBase}/v10/interactions/${id}/${created.token}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { content: 'too late' } }),
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 10062 });
    expect(late.replies(id)).toEqual([]);
    ws.close();
    resume.close();
    await late.close();
  });

  it('a wrong bot token is rejected by REST too', async () => {
    const res = await fetch(`${emu.apiBase}/v10/users/@me`, { headers: { authorization: 'Bot nope' } });
    expect(res.status).toBe(401);
  });
});

describe('discord emulator sharding', () => {
  // Three guilds, one per shard of three: (id >> 22) % 3 is 0, 1 and 2 (checked below, by hand).
  const ON_SHARD = ['100000000000000001', '100000000004194305', '100000000008388609'] as const;
  const channelOf = (guildId: string) => `2${guildId.slice(1)}`;
  let emu: DiscordEmulator;
  const clients: Client[] = [];
  /** Per client (index = shard id): the interactions it received. */
  const received: string[][] = [[], [], []];

  beforeAll(async () => {
    emu = await startDiscordEmulator({
      shards: 3,
      guilds: ON_SHARD.map((id, n) => ({ id, name: `Shard guild ${n}`, channels: [{ id: channelOf(id), name: 'news' }] })),
      log: () => {},
    });
    for (let shard = 0; shard < 3; shard += 1) {
      const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emu.apiBase }, shards: [shard], shardCount: 3 });
      client.on(Events.InteractionCreate, (interaction) => {
        received[shard]?.push(interaction.id);
        if (interaction.isChatInputCommand()) void interaction.reply({ content: `shard ${shard}` });
      });
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(emu.token);
      await ready;
      clients.push(client);
    }
  });

  afterAll(async () => {
    for (const client of clients) await client.destroy();
    await emu?.close();
  });

  it('the guild ids sit on shards 0, 1 and 2 by Discord\'s rule', () => {
    expect(ON_SHARD.map((id) => Number((BigInt(id) / 4_194_304n) % 3n))).toEqual([0, 1, 2]);
  });

  it('GET /gateway/bot recommends the configured shard count', async () => {
    const res = await fetch(`${emu.apiBase}/v10/gateway/bot`, { headers: { authorization: `Bot ${emu.token}` } });
    expect(await res.json()).toMatchObject({ shards: 3 });
  });

  it('each shard is READY with its own guilds only', () => {
    expect(clients.map((client) => [...client.guilds.cache.keys()])).toEqual(ON_SHARD.map((id) => [id]));
    expect(emu.connections().sort((a, b) => a.shard[0] - b.shard[0])).toEqual(
      ON_SHARD.map((id, shard) => ({ shard: [shard, 3], guilds: [id] })),
    );
  });

  it('an interaction goes to the shard of its guild only, a DM to shard 0', async () => {
    for (const [shard, guildId] of ON_SHARD.entries()) {
      const id = emu.sendCommand({ name: 'ping', guildId, channelId: channelOf(guildId) });
      expect((await emu.waitForReply(id)).content).toBe(`shard ${shard}`);
      expect(emu.deliveredTo(id)).toEqual([[shard, 3]]);
      expect(received.map((ids) => ids.includes(id))).toEqual([0, 1, 2].map((n) => n === shard));
    }
    const dm = emu.sendCommand({ name: 'ping' });
    expect((await emu.waitForReply(dm)).content).toBe('shard 0');
    expect(emu.deliveredTo(dm)).toEqual([[0, 3]]);
  });

  it('a guild whose shard has no connection cannot get an interaction', async () => {
    const last = clients.pop();
    await last?.destroy();
    await expect.poll(() => emu.connections().length).toBe(2);
    expect(() => emu.sendCommand({ name: 'ping', guildId: ON_SHARD[2], channelId: channelOf(ON_SHARD[2]) })).toThrow(
      /no gateway connection serves guild 100000000008388609 \(connected shards: \[\d, 3\] \[\d, 3\]\)/,
    );
  });

  it('IDENTIFY with a shard outside its count is closed with 4010', async () => {
    const ws = new WebSocket(`${emu.gatewayUrl}?v=10&encoding=json`);
    const code = await new Promise<number>((resolve) => {
      ws.on('message', (raw: Buffer) => {
        const msg = JSON.parse(raw.toString()) as { op: number };
        if (msg.op === 10) ws.send(JSON.stringify({ op: 2, d: { token: emu.token, intents: 1, properties: {}, shard: [3, 3] } }));
      });
      ws.on('close', (c) => resolve(c));
    });
    expect(code).toBe(4010);
  });
});
