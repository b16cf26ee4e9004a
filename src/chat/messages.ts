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
  'internal': 'Something went wrong on my side. It has been logged',
};

export function messageFor(code: string): string {
  return messages[code] ?? messages['internal'] ?? 'Something went wrong.';
}
