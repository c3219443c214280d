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

/** What a reply quotes of a message: its first line with something on it, cut to MAX_EXCERPT_CHARS characters. */
export function excerptOf(body: string): string {
  const line = body.split("\n").find((l) => l.trim() !== "") ?? "";
  const chars = Array.from(line.trim());
  return chars.length > MAX_EXCERPT_CHARS ? `${chars.slice(0, MAX_EXCERPT_CHARS - 1).join("")}…` : chars.join("");
}
