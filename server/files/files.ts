// Shared files: receiving an upload, finding a file for someone allowed to read it, listing a
// room's or a conversation's files. The message that carries a file is written by the message
// store, in the same transaction as the file's row (server/services/message-store/).
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { likeEscape } from "../db/like.ts";
import type { Db } from "../db.ts";
import { Prisma } from "../generated/sqlite/client.ts";
import type { PublicUser, SharedFile } from "../protocol/index.ts";
import { AppError } from "../services/errors.ts";
import type { FileRecord } from "../services/messages.ts";
import type { Notifier } from "../services/notifier.ts";
import { searchEntry } from "../services/search/entry.ts";
import { nameKey, safeFileName, sniffImage } from "./names.ts";
import { type FileStorage, formatLimit, type StoredBlob } from "./storage.ts";
import { makePreview, makeThumbnail } from "./thumbnails.ts";
import { toWireFile } from "./wire-file.ts";

/** A removed file's message is no longer found by the file's name or type (decision 015). */
async function unindexFile(tx: Prisma.TransactionClient, message: { id: string; body: string }): Promise<void> {
  const { text, grams } = searchEntry(message.body, null);
  await tx.$executeRaw`UPDATE "SearchText" SET "fileType" = NULL, "text" = ${text}, "grams" = ${grams} WHERE "messageId" = ${message.id}`;
}

export type FileScope = { roomId: string } | { conversationId: string };

/** An upload received and stored under its new id, not yet carried by a message. */
export interface ReceivedFile {
  file: FileRecord;
  /** Deletes the bytes again (the message could not be stored, or repeated one already stored). */
  remove(): Promise<void>;
}

const thumbKey = (id: string) => `${id}.thumb`;
const previewKey = (id: string) => `${id}.preview`;

/** Pictures larger than this (in bytes) are viewed as their thumbnail: decoding one takes its size in memory. */
const MAX_PREVIEW_SOURCE_BYTES = 64 * 1024 * 1024;

/** What a file can be opened as: its bytes, its thumbnail, or the picture the viewer shows. */
export type FileVariant = "file" | "thumbnail" | "preview";

/** The files `user` may read: those of the rooms they are a member of and of their conversations. */
function readableBy(user: PublicUser): Prisma.FileWhereInput {
  return {
    OR: [{ room: { memberships: { some: { userId: user.id } } } }, { conversation: { members: { some: { userId: user.id } } } }],
  };
}

const listSelect = {
  id: true,
  name: true,
  size: true,
  mimeType: true,
  thumbWidth: true,
  thumbHeight: true,
  removedAt: true,
  createdAt: true,
  uploader: { select: { id: true, username: true } },
  room: { select: { id: true, name: true } },
  conversation: { select: { id: true, members: { select: { user: { select: { id: true, username: true } } } } } },
} as const;

export class FileService {
  constructor(
    private readonly db: Db,
    private readonly storage: FileStorage,
    private readonly notifier: Notifier,
    /** the largest upload allowed now (MAX_UPLOAD_MB, or less if a server admin set less) */
    private readonly limit: () => number,
    /** what one user's shared files may add up to (UPLOAD_QUOTA_MB) */
    readonly quotaBytes = Number.POSITIVE_INFINITY,
  ) {}

  /**
   * Throws too_large when `user`'s shared files plus `adding` bytes would pass their quota.
   * Checked before an upload (with its declared length) and after it (with its real size).
   */
  async checkQuota(user: PublicUser, adding: number): Promise<void> {
    if (!Number.isFinite(this.quotaBytes)) return;
    const { _sum } = await this.db.file.aggregate({ where: { uploaderId: user.id, removedAt: null }, _sum: { size: true } });
    const used = Number(_sum.size ?? 0);
    if (used + adding > this.quotaBytes) {
      throw new AppError(
        "too_large",
        `This would pass your ${formatLimit(this.quotaBytes)} quota of shared files (you use ${formatLimit(used)}).`,
      );
    }
  }

  /**
   * Streams an upload to storage under a new id, with a thumbnail when it is a picture. Nothing
   * is left behind when it fails (too large, interrupted).
   */
  get maxBytes(): number {
    return this.limit();
  }

  async receive(source: Readable, meta: { name: string; type: string | null }): Promise<ReceivedFile> {
    const staged = await this.storage.stage(source, this.maxBytes);
    const id = randomUUID();
    const kept: string[] = [];
    const remove = async () => {
      await staged.discard();
      await Promise.all(kept.map((key) => this.storage.remove(key)));
    };
    try {
      const picture = sniffImage(staged.head);
      const thumbnail = picture ? await makeThumbnail(staged.path) : null;
      if (thumbnail) {
        const thumb = await this.storage.stage(Readable.from([thumbnail.data]), thumbnail.data.length);
        await thumb.commit(thumbKey(id));
        kept.push(thumbKey(id));
      }
      await staged.commit(id);
      kept.push(id);
      const type =
        meta.type && !(picture && meta.type === "application/octet-stream")
          ? meta.type
          : picture
            ? `image/${picture}`
            : "application/octet-stream";
      return {
        file: {
          id,
          name: safeFileName(meta.name),
          size: staged.size,
          type,
          sha256: staged.sha256,
          thumbnail: thumbnail && { width: thumbnail.width, height: thumbnail.height },
        },
        remove,
      };
    } catch (error) {
      await remove();
      throw error;
    }
  }

  /**
   * The file (or its thumbnail, or its preview) for `user`: not_found unless it exists and the
   * user is in its room or conversation, so a guessed id tells nothing. A picture's preview is
   * made the first time someone views it, and kept.
   */
  async open(user: PublicUser, fileId: string, variant: FileVariant): Promise<{ file: FileRecord; blob: StoredBlob }> {
    const row = await this.db.file.findFirst({ where: { id: fileId, ...readableBy(user) } });
    if (!row) throw new AppError("not_found", "No such file.");
    if (row.removedAt !== null) throw new AppError("not_found", "This file was removed by the person who shared it.");
    if (variant !== "file" && row.thumbWidth === null) throw new AppError("not_found", `This file has no ${variant}.`);
    const key = variant === "thumbnail" ? thumbKey(row.id) : variant === "preview" ? previewKey(row.id) : row.id;
    const blob = (await this.storage.open(key)) ?? (variant === "preview" ? await this.makePreview(row.id, row.size) : null);
    if (!blob) throw new Error(`file ${row.id} has a row but no ${variant} in storage`);
    return { file: { ...toWireFile(row), sha256: row.sha256 }, blob };
  }

  private readonly previews = new Map<string, Promise<StoredBlob | null>>();

  /** Makes and keeps a picture's preview (once, however many ask at the same moment); its thumbnail when it cannot be made. */
  private makePreview(fileId: string, size: number): Promise<StoredBlob | null> {
    let making = this.previews.get(fileId);
    if (!making) {
      making = (async () => {
        const original = size <= MAX_PREVIEW_SOURCE_BYTES ? await this.storage.open(fileId) : null;
        const data = original ? await makePreview(await buffer(original.read())) : null;
        if (!data) return this.storage.open(thumbKey(fileId));
        const staged = await this.storage.stage(Readable.from([data]), data.length);
        await staged.commit(previewKey(fileId));
        // removed while it was being made: it goes with the rest
        if ((await this.db.file.count({ where: { id: fileId, removedAt: null } })) === 0) {
          await this.storage.remove(previewKey(fileId));
          return null;
        }
        return this.storage.open(previewKey(fileId));
      })().finally(() => this.previews.delete(fileId));
      this.previews.set(fileId, making);
    }
    return making;
  }

  /**
   * Removes a file `user` shared (not_found for anyone else's, or one already removed). Its row
   * stays, marked, so the message that carried it shows "file removed" and keeps its place; the
   * bytes and the thumbnail are deleted; it leaves the listings and no longer counts towards the
   * quota; every connection of the room or conversation is told.
   */
  async remove(user: PublicUser, fileId: string): Promise<void> {
    const row = await this.db.file.findFirst({
      where: { id: fileId, uploaderId: user.id, removedAt: null },
      select: {
        id: true,
        roomId: true,
        conversationId: true,
        thumbWidth: true,
        message: { select: { seq: true } },
        directMessage: { select: { seq: true } },
      },
    });
    if (!row) throw new AppError("not_found", "No such file of yours.");
    // marked first (downloads stop at once); two removals at the same moment: one wins. The
    // message that carried it is changed too: it takes the scope's next rev, so the change feed
    // (room:sync, dm:sync) gives it to clients that were away.
    const rev = await this.db.$transaction(async (tx) => {
      const { count } = await tx.file.updateMany({ where: { id: fileId, removedAt: null }, data: { removedAt: new Date() } });
      if (count === 0) throw new AppError("not_found", "No such file of yours.");
      if (row.roomId !== null && row.message) {
        const { rev } = await tx.room.update({
          where: { id: row.roomId },
          data: { rev: { increment: 1 } },
          select: { rev: true },
        });
        await unindexFile(tx, await tx.message.update({ where: { fileId }, data: { rev }, select: { id: true, body: true } }));
        return rev;
      }
      if (row.conversationId !== null && row.directMessage) {
        const { rev } = await tx.conversation.update({
          where: { id: row.conversationId },
          data: { rev: { increment: 1 } },
          select: { rev: true },
        });
        await unindexFile(
          tx,
          await tx.directMessage.update({ where: { fileId }, data: { rev }, select: { id: true, body: true } }),
        );
        return rev;
      }
      return 0;
    });
    const seq = row.message?.seq ?? row.directMessage?.seq ?? 0;
    if (row.roomId !== null) this.notifier.toRoom(row.roomId, "file:removed", { fileId, seq, rev, roomId: row.roomId });
    else if (row.conversationId !== null) {
      this.notifier.toConversation(row.conversationId, "file:removed", { fileId, seq, rev, conversationId: row.conversationId });
    }
    await this.deleteBytes(fileId, row.thumbWidth !== null);
  }

  /** Deletes a file's bytes (and its thumbnail and preview) from storage, once its row says it is removed. */
  async deleteBytes(fileId: string, thumbnail: boolean): Promise<void> {
    await Promise.all([
      this.storage.remove(fileId),
      thumbnail ? this.storage.remove(thumbKey(fileId)) : null,
      thumbnail ? this.storage.remove(previewKey(fileId)) : null,
    ]);
  }

  /**
   * The files of a room or a conversation (callers check access), or with no scope every file
   * `user` can read; newest first, `limit` at a time before the file `before`; with `query`,
   * only those whose name contains it, ignoring case.
   */
  async list(
    user: PublicUser,
    scope: FileScope | null,
    options: { query?: string; before?: string; limit: number },
  ): Promise<{ files: SharedFile[]; hasMore: boolean }> {
    const { query, before, limit } = options;
    const ids = await this.matching(user, scope, query ? nameKey(query) : null, before, limit + 1);
    const rows = await this.db.file.findMany({ where: { id: { in: ids.slice(0, limit) } }, select: listSelect });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return {
      files: ids.slice(0, limit).flatMap((id) => {
        const row = byId.get(id);
        if (!row) return [];
        return [
          {
            ...toWireFile(row),
            uploader: row.uploader,
            createdAt: row.createdAt.toISOString(),
            room: row.room,
            conversation: row.conversation && {
              id: row.conversation.id,
              with: row.conversation.members.find((m) => m.user.id !== user.id)?.user ?? user,
            },
          },
        ];
      }),
      hasMore: ids.length > limit,
    };
  }

  /**
   * Ids of the files in `scope` (or every file `user` can read) whose lower-cased name contains
   * `needle` literally, newest first, `take` of them before the file `before`. Plain SQL, the
   * same on both providers: LIKE with `%` and `_` escaped, which Prisma's `contains` does not do.
   */
  private async matching(
    user: PublicUser,
    scope: FileScope | null,
    needle: string | null,
    before: string | undefined,
    take: number,
  ): Promise<string[]> {
    const where = [
      Prisma.sql`f."removedAt" IS NULL`,
      scope === null
        ? Prisma.sql`(f."roomId" IN (SELECT m."roomId" FROM "Membership" m WHERE m."userId" = ${user.id})
            OR f."conversationId" IN (SELECT c."conversationId" FROM "ConversationMember" c WHERE c."userId" = ${user.id}))`
        : "roomId" in scope
          ? Prisma.sql`f."roomId" = ${scope.roomId}`
          : Prisma.sql`f."conversationId" = ${scope.conversationId}`,
    ];
    if (needle !== null) where.push(Prisma.sql`f."nameKey" LIKE ${`%${likeEscape(needle)}%`} ESCAPE '\\'`);
    if (before !== undefined) {
      where.push(Prisma.sql`(f."createdAt" < (SELECT b."createdAt" FROM "File" b WHERE b.id = ${before})
        OR (f."createdAt" = (SELECT b."createdAt" FROM "File" b WHERE b.id = ${before}) AND f.id < ${before}))`);
    }
    const rows = await this.db.$queryRaw<{ id: string }[]>(
      Prisma.sql`SELECT f.id FROM "File" f WHERE ${Prisma.join(where, " AND ")} ORDER BY f."createdAt" DESC, f.id DESC LIMIT ${take}`,
    );
    return rows.map((r) => r.id);
  }
}
