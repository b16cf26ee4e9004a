import { PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { Command, CommandInput, CommandContext } from '../src/chat/command.ts';
import { UserInputError } from '../src/chat/errors.ts';
import { guildOf, requiredText } from '../src/chat/options.ts';
import { textReply, type Reply } from '../src/chat/reply.ts';

export const data = new SlashCommandBuilder()
  .setName('admin-role')
  .setDescription('The role that may change sitrep settings here besides Manage Server holders')
  .setDMPermission(false)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .addSubcommand((sub) =>
    sub
      .setName('set')
      .setDescription('Let members with this role change sitrep settings (Manage Server only)')
      .addRoleOption((option) => option.setName('role').setDescription('The role').setRequired(true)),
  )
  .addSubcommand((sub) => sub.setName('clear').setDescription('Only Manage Server holders change settings (Manage Server only)'))
  .addSubcommand((sub) => sub.setName('show').setDescription('Which role may change sitrep settings'));

async function set(input: CommandInput, ctx: CommandContext): Promise<Reply> {
  const guildId = guildOf(input);
  const roleId = requiredText(input, 'role', { max: 30, example: '@Editors' });
  // A role id is a snowflake; the @everyone role shares the guild's id and would make everyone an admin.
  if (!/^\d{5,25}$/.test(roleId) || roleId === guildId) {
    throw new UserInputError('role.invalid', 'Pick a role other than @everyone, e.g. role:@Editors.');
  }
  await ctx.store.guilds.update(guildId, (current) => ({ ...current, adminRoleId: roleId }), ctx.now());
  return textReply(
    `Members with role ${roleId} may now change sitrep settings here. Discord still hides those commands from them until ` +
      'you allow the role in Server Settings > Integrations > sitrep.',
  );
}

async function clear(input: CommandInput, ctx: CommandContext): Promise<Reply> {
  await ctx.store.guilds.update(guildOf(input), (current) => ({ ...current, adminRoleId: null }), ctx.now());
  return textReply('Only members with Manage Server may change sitrep settings here now.');
}

async function show(input: CommandInput, ctx: CommandContext): Promise<Reply> {
  const { adminRoleId } = await ctx.store.guilds.get(guildOf(input));
  return textReply(
    adminRoleId
      ? `Members with Manage Server or role ${adminRoleId} may change sitrep settings here.`
      : 'Only members with Manage Server may change sitrep settings here (no admin role is set).',
  );
}

export const adminRole: Command = {
  data,
  // The role must not be able to hand itself (or another role) the keys.
  requires: { userPermissions: ['ManageGuild'], subcommands: ['set', 'clear'], adminRole: false },
  execute(input, ctx) {
    switch (input.subcommand) {
      case 'set':
        return set(input, ctx);
      case 'clear':
        return clear(input, ctx);
      default:
        return show(input, ctx);
    }
  },
};
