/** Everything a user reads about a failure, by error code. Commands never build these inline. */
const messages: Record<string, string> = {
  'command.unknown': 'I do not know that command. Type /help to see what I can do.',
  'command.option-unknown': 'That option does not exist for this command.',
  'command.option-missing': 'A required option is missing.',
  'command.option-invalid': 'An option has a value I cannot use.',
  'command.guild-only': 'This command works only in a server, not in direct messages.',
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
  'digest.unavailable': 'Digest delivery is not running in this bot yet.',
  'internal': 'Something went wrong on my side. It has been logged',
};

export function messageFor(code: string): string {
  return messages[code] ?? messages['internal'] ?? 'Something went wrong.';
}
