import { SitrepError } from '../errors.ts';

/**
 * A mistake in what the user typed. `detail` is safe and useful to show them as it is: it names
 * what was wrong and, where it helps, gives an example of a right value.
 */
export class UserInputError extends SitrepError {
  override readonly name = 'UserInputError' as const;
  readonly detail: string;

  constructor(code: string, detail: string) {
    super(code, `chat: ${detail}`);
    this.detail = detail;
  }
}
