/*
 * The one retry a lenient reader gets. Real feeds break XML in a handful of ways that do not
 * hide their meaning: a bare '&' in "AT&T", control characters pasted from a word processor (or
 * written as references, "&#0;"), and junk before the prolog. Each repair keeps the text a human
 * would read.
 */

import { isXmlChar } from './xml-fast.ts';

// Characters XML 1.0 forbids anywhere, even as references.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVALID_XML_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

// An '&' that does not start a reference the strict parser accepts. Named references other than
// the five XML ones are escaped too: they stay as text ("&nbsp;") and the HTML-to-text step that
// every title and body goes through decodes them.
const BARE_AMPERSAND = /&(?!(?:amp|lt|gt|quot|apos|#\d{1,7}|#x[\da-fA-F]{1,6});)/g;

// A character reference to a code point XML forbids ("&#0;", "&#xD800;"): the strict parser
// rejects the whole feed for it. It stands for nothing a reader could see, so it is dropped.
const CHARACTER_REFERENCE = /&#(?:[xX]([\da-fA-F]{1,6})|(\d{1,7}));/g;

function withoutForbiddenReferences(text: string): string {
  return text.replace(
    CHARACTER_REFERENCE,
    (reference, hex: string | undefined, decimal: string | undefined) =>
      isXmlChar(hex === undefined ? Number(decimal) : parseInt(hex, 16)) ? reference : '',
  );
}

const CDATA = /(<!\[CDATA\[[\s\S]*?\]\]>)/;

export function repairXml(xml: string): string {
  let text = xml.replace(INVALID_XML_CHARS, '');
  const lt = text.indexOf('<');
  if (lt > 0) text = text.slice(lt);
  // A file cut one character short ("</rss") loses only the closing '>'.
  text = text.replace(/(<\/[\w:.-]+)\s*$/, '$1>');
  // CDATA sections are literal: an '&' inside one is already fine and must stay as written.
  return text
    .split(CDATA)
    .map((part) =>
      part.startsWith('<![CDATA[') ? part : withoutForbiddenReferences(part).replace(BARE_AMPERSAND, '&amp;'),
    )
    .join('');
}
