// What the search index keeps of a message (decision 015): its text and its file's name, folded
// the way terms are (server/protocol/search.ts), and its file's type for has:file / has:image.
import { cjkGrams, foldForSearch } from "../../protocol/search.ts";

export interface SearchEntry {
  text: string;
  grams: string;
  /** the file's MIME type; null: no file, or removed */
  fileType: string | null;
}

/** The entry of a message with `body` and its file (null when it has none or it was removed). */
export function searchEntry(body: string, file: { name: string; type: string } | null): SearchEntry {
  const text = foldForSearch(file ? `${body}\n${file.name}` : body);
  return { text, grams: cjkGrams(text), fileType: file?.type ?? null };
}

/** The entry of a stored message row (server/services/message-store/types.ts). */
export const entryOfRow = (row: {
  body: string;
  fileId: string | null;
  fileName: string | null;
  fileType: string | null;
  fileRemovedAt: unknown;
}) =>
  searchEntry(
    row.body,
    row.fileId !== null && row.fileRemovedAt === null ? { name: row.fileName ?? "", type: row.fileType ?? "" } : null,
  );
