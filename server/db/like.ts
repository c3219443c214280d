// SQL LIKE patterns that match text literally, the same on SQLite and PostgreSQL.

/** `text` with LIKE's wildcards and its escape character taken literally (ESCAPE '\\'). */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
