/**
 * The base of every error sitrep raises on purpose. `code` is stable (user-facing text is looked
 * up by it in src/chat/messages.ts); `message` is technical and starts with the module name.
 */
export class SitrepError extends Error {
  override readonly name: string = 'SitrepError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Checks by `name`/`code` rather than `instanceof`, so errors crossing module copies still match. */
export function isSitrepError(value: unknown): value is SitrepError {
  return (
    value instanceof Error &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value instanceof SitrepError || value.name.endsWith('Error'))
  );
}

/** One line, no stack: what a CLI prints and what a feed's health record stores. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim().slice(0, 500);
}
