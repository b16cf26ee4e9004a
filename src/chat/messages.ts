/** Everything a user reads about a failure, by error code. Commands never build these inline. */
const messages: Record<string, string> = {
  'command.unknown': 'I do not know that command. Type /help to see what I can do.',
  'command.option-unknown': 'That option does not exist for this command.',
  'command.option-missing': 'A required option is missing.',
  'command.option-invalid': 'An option has a value I cannot use.',
  'command.guild-only':
    'This command works only in a server, not in direct messages: it reads or changes one server\'s settings. In DMs, /brief, /trend and /help work.',
  'command.needs-manage-server':
    'You need Manage Server (or the role this server named as sitrep admins) to change this. Nothing was changed.',
  'command.needs-manage-server-only': 'You need Manage Server to change this. Nothing was changed.',
  'page.expired': 'This answer has expired (I keep pages for 15 minutes and not across restarts); run the command again.',
  'page.not-yours': 'Only the person who asked can turn these pages; run the command yourself to get your own.',
  'watch.keyword': 'That keyword cannot be used.',
  'watch.limit': 'This server watches as many keywords for that topic as I allow.',
  'watch.missing': 'This server does not watch that keyword.',
  'feeds.limit': 'This server has as many feeds as I allow.',
  'feeds.duplicate': 'This server already has that feed.',
  'feeds.missing': 'This server has no such feed.',
  'digest.schedule': 'I cannot read that schedule.',
  'digest.timezone': 'That is not a time zone I know.',
  'digest.missing': 'There is no digest set up there.',
  'digest.limit': 'This server has as many digests as I allow.',
  'baseline.source': 'Give either an article URL or the pasted text of the story, not both and not neither.',
  'baseline.text': 'I cannot use that text as a baseline.',
  'baseline.fetch': 'I could not read an article at that address.',
  'since.invalid': 'I cannot read that start time.',
  'role.invalid': 'That is not a role of this server.',
  'topic.unknown': 'I do not watch that topic.',
  'store.open': 'My storage is not reachable right now; try again in a minute.',
  'feed.timeout': 'That feed took too long to answer; I will retry at the next poll.',
  'feed.http': 'That feed answered with an error status; I will retry at the next poll.',
  'feed.not-a-feed': 'That address does not serve a feed (RSS, Atom or JSON Feed).',
  'feed.parse': 'That feed is too broken to read.',
  'feed.too-large': 'That feed is larger than I am allowed to read.',
  'feed.blocked-address': 'That feed points at a private or local address, which I do not fetch.',
  'feed.redirects': 'That feed redirects too many times.',
  'feed.network': 'I could not reach that feed.',
  'feed.url': 'That is not an http or https feed address.',
  'baseline.unreadable': 'The baseline story for this topic cannot be read; an admin should check the config.',
  'digest.channel-gone':
    'Its channel no longer exists, so I paused it. Set the digest again in another channel with /digest set.',
  'digest.no-access':
    'I cannot post there: I need View Channel, Send Messages, Embed Links and Read Message History in that channel. I paused it; resume it with /digest once I have them.',
  'digest.send': 'The digest could not be posted yet; I keep retrying and it is not lost.',
  'digest.unavailable': 'Digest delivery is not running in this bot yet.',
  'internal': 'Something went wrong on my side. It has been logged',
};

export function messageFor(code: string): string {
  return messages[code] ?? messages['internal'] ?? 'Something went wrong.';
}
