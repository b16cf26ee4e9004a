import type { Doc } from '../types.ts';

/**
 * Newswire archives and plain-text copies often wrap paragraphs at a fixed width, and the text
 * stages read a line break as the end of a sentence (in feed text it ends a headline or caption).
 * A text whose lines mostly stop mid-sentence is wrapped: its lines are joined again, except after
 * a line that ends a sentence. Text written a paragraph a line is returned as it is.
 */
const ENDS_SENTENCE = /[.!?:]["'”’)\]]*$/;
/** Shortest median line length of wrapped prose (lists and tables have shorter lines). */
const WRAPPED_LINE_LENGTH = 40;
/** Share of lines that must stop mid-sentence. */
const WRAPPED_SHARE = 0.5;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export function reflowText(text: string): string {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  if (lines.length < 3) return text;
  const open = lines.slice(0, -1).filter((line) => !ENDS_SENTENCE.test(line)).length;
  if (open < WRAPPED_SHARE * (lines.length - 1) || median(lines.map((line) => line.length)) < WRAPPED_LINE_LENGTH) return text;
  const out: string[] = [];
  let paragraph = '';
  for (const line of lines) {
    paragraph = paragraph ? `${paragraph} ${line}` : line;
    if (ENDS_SENTENCE.test(line)) {
      out.push(paragraph);
      paragraph = '';
    }
  }
  if (paragraph) out.push(paragraph);
  return out.join('\n');
}

/** The doc with its wrapped lines joined; the same object when nothing changed, else a new id. */
export function reflowDoc(doc: Doc): Doc {
  const text = reflowText(doc.text);
  return text === doc.text ? doc : { ...doc, id: `${doc.id}#reflowed`, text };
}
