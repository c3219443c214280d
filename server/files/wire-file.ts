import type { WireFile } from "../protocol/index.ts";

/** A File row's columns as both the message store's SQL and Prisma read them. */
export interface FileColumns {
  id: string;
  name: string;
  size: number | bigint;
  mimeType: string;
  thumbWidth: number | null;
  thumbHeight: number | null;
  removedAt: Date | string | null;
}

/** The one mapping from a File row to what a client sees of it. */
export function toWireFile(row: FileColumns): WireFile {
  if (row.removedAt !== null) return { id: row.id, name: "", size: 0, type: "", thumbnail: null, removed: true };
  return {
    id: row.id,
    name: row.name,
    size: Number(row.size),
    type: row.mimeType,
    thumbnail:
      row.thumbWidth === null || row.thumbHeight === null
        ? null
        : { width: Number(row.thumbWidth), height: Number(row.thumbHeight) },
  };
}
