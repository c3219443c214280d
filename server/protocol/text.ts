// Characters nobody can mean in a name: control characters (Unicode Cc: NUL, newlines, escape
// sequences) and invisible format characters (Cf: right-to-left overrides that make
// "invoice‮fdp.exe" read "invoiceexe.pdf", zero-width spaces that make two names look alike,
// byte-order marks). Zero-width (non-)joiners stay: emoji sequences and Persian words need them.

import { MAX_EXCERPT_CHARS } from "./limits.ts";

const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
const JOINERS = new Set(["\u200c", "\u200d"]);

/** `text` in NFC without control and format characters (joiners kept). */
export function stripInvisible(text: string): string {
  return text.normalize("NFC").replace(INVISIBLE, (c) => (JOINERS.has(c) ? c : ""));
}

/** A message body keeps its line breaks and tabs; every other control character goes. */
export function cleanBody(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return text.normalize("NFC").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, "");
}

/** True when `text` shows something: a letter, digit, symbol or punctuation mark. */
export const hasVisible = (text: string) => /[\p{L}\p{N}\p{S}\p{P}]/u.test(text);

/** Markdown's marks, taken out of an excerpt (a quote shows the words, not the syntax). */
const MARKS: [RegExp, string][] = [
  [/^(?:\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,9}[.)]\s+))+/, ""],
  [/!?\[([^\]]*)\]\([^)]*\)/g, "$1"],
  [/\*\*|__|~~|`/g, ""],
  [/(^|[\s(])[*_](?=\S)(.*?\S)[*_](?=[\s).,!?:;]|$)/g, "$1$2"],
];

/**
 * What a reply quotes of a message: its first line of words (a code fence's opening skipped),
 * without Markdown's marks, cut to MAX_EXCERPT_CHARS characters.
 */
export function excerptOf(body: string): string {
  const line = body.split("\n").find((l) => l.trim() !== "" && !/^\s*(```|~~~)/.test(l)) ?? "";
  const plain = MARKS.reduce((text, [mark, keep]) => text.replace(mark, keep), line).trim();
  const chars = Array.from(plain);
  return chars.length > MAX_EXCERPT_CHARS ? `${chars.slice(0, MAX_EXCERPT_CHARS - 1).join("")}…` : chars.join("");
}
