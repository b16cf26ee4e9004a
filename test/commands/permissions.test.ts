import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/chat/dispatch.ts';
import type { CommandContext } from '../../src/chat/command.ts';
import { discordInput, MANAGE_GUILD, testContext } from './context.ts';

let ctx: CommandContext;

beforeAll(async () => {
  ctx = await testContext();
});

afterAll(async () => {
  await ctx.store.close();
});

const addPalmyra = { name: 'watch', subcommand: 'add', options: { topic: 'syria', keyword: 'Palmyra' } };

describe('permissions, checked at run time', () => {
  it('refuses a member without Manage Server privately, and changes nothing', async () => {
    const reply = await runCommand(discordInput(addPalmyra), ctx);
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain('You need Manage Server');
    expect((await ctx.store.guilds.get('g1')).keywords).toEqual({});
  });

  it('lets Manage Server (or Administrator) change, only in that guild', async () => {
    const reply = await runCommand(discordInput({ ...addPalmyra, permissions: MANAGE_GUILD }), ctx);
    expect(reply.error).toBeUndefined();
    expect((await ctx.store.guilds.get('g1')).keywords).toEqual({ syria: ['Palmyra'] });
    expect((await ctx.store.guilds.get('g2')).keywords).toEqual({});
    const administrator = await runCommand(
      discordInput({ ...addPalmyra, guildId: 'g2', permissions: 1n << 3n, options: { topic: 'syria', keyword: 'Deir ez-Zor' } }),
      ctx,
    );
    expect(administrator.error).toBeUndefined();
    expect((await ctx.store.guilds.get('g2')).keywords).toEqual({ syria: ['Deir ez-Zor'] });
  });

  it("accepts the guild's admin role, except for naming the admin role", async () => {
    await runCommand(discordInput({ name: 'admin-role', subcommand: 'set', options: { role: '777000000000000001' }, permissions: MANAGE_GUILD }), ctx);
    const editor = { roleIds: ['777000000000000001'] };
    const added = await runCommand(discordInput({ ...addPalmyra, ...editor, options: { topic: 'refugees', keyword: 'Lesbos' } }), ctx);
    expect(added.text).toContain('Watching "Lesbos"');
    const inOtherGuild = await runCommand(discordInput({ ...addPalmyra, ...editor, guildId: 'g2' }), ctx);
    expect(inOtherGuild.text).toContain('You need Manage Server');
    const escalate = await runCommand(discordInput({ name: 'admin-role', subcommand: 'clear', ...editor }), ctx);
    expect(escalate.text).toBe('You need Manage Server to change this. Nothing was changed.');
    expect((await ctx.store.guilds.get('g1')).adminRoleId).toBe('777000000000000001');
  });

  it('leaves reading subcommands open, and refuses server commands in a DM with the reason', async () => {
    expect((await runCommand(discordInput({ name: 'watch', subcommand: 'list' }), ctx)).error).toBeUndefined();
    const dm = await runCommand(discordInput({ name: 'watch', subcommand: 'list', guildId: null, permissions: null }), ctx);
    expect(dm.text).toContain('works only in a server');
    expect(dm.text).toContain('/brief, /trend and /help work');
    expect((await runCommand(discordInput({ name: 'help', guildId: null, permissions: null }), ctx)).error).toBeUndefined();
  });

  it('trusts the console', async () => {
    const reply = await runCommand({ ...discordInput(addPalmyra), guildId: 'console', permissions: null, transport: 'console', options: { topic: 'russia', keyword: 'Shoigu' } }, ctx);
    expect(reply.text).toContain('Watching "Shoigu"');
  });

  it('declares Manage Server as the default member permission of every changing command', () => {
    for (const command of ctx.commands.filter((candidate) => candidate.requires)) {
      expect(command.data.toJSON().default_member_permissions).toBe(String(MANAGE_GUILD));
      expect(command.dm).toBeFalsy();
    }
    expect(ctx.commands.filter((command) => command.dm).map((command) => command.data.name).sort()).toEqual(['brief', 'help', 'trend']);
  });
});
