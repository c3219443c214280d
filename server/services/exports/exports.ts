// Exports: a room's whole history (for its owner or a server admin), or everything of one person
// (their profile, their messages, their private conversations, their files), as a zip made in the
// background (archive.ts) and kept in the file storage for EXPORT_KEPT_DAYS. Asking answers at
// once; the zip is downloadable when `export:done` says so (or the list shows it ready).
import { randomUUID } from "node:crypto";
import type { Db } from "../../db.ts";
import type { FileStorage, StoredBlob } from "../../files/storage.ts";
import type { Logger } from "../../log.ts";
import { EXPORT_KEPT_DAYS, type ExportInfo, MAX_PAGE, type PublicUser } from "../../protocol/index.ts";
import { AppError } from "../errors.ts";
import type { DirectMessageStore, MessageStore } from "../message-store/types.ts";
import type { Notifier } from "../notifier.ts";
import { type ArchiveFile, type Thread, writeArchive } from "./archive.ts";

/** No export is refused for its size; this only satisfies the storage's guard against endless streams. */
const MAX_EXPORT_BYTES = 1024 ** 4;
const exportKey = (id: string) => `export-${id}`;

type ExportRow = {
  id: string;
  kind: string;
  roomId: string | null;
  status: string;
  size: bigint | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

type Edits = Map<string, { body: string; replacedAt: string }[]>;

export class ExportService {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly storage: FileStorage,
    private readonly stores: { rooms: MessageStore; conversations: DirectMessageStore },
    private readonly isAdmin: (userId: string) => Promise<boolean>,
    private readonly notifier: Pick<Notifier, "toUser">,
    private readonly log: Logger,
  ) {}

  private async info(row: ExportRow): Promise<ExportInfo> {
    return (await this.infos([row]))[0];
  }

  /** The exports as their askers see them, their rooms' names read in one query. */
  private async infos(rows: ExportRow[]): Promise<ExportInfo[]> {
    const ids = [...new Set(rows.flatMap((r) => r.roomId ?? []))];
    const found =
      ids.length === 0 ? [] : await this.db.room.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
    const rooms = new Map(found.map((r) => [r.id, r]));
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind as ExportInfo["kind"],
      room: (row.roomId && rooms.get(row.roomId)) || null,
      status: row.status as ExportInfo["status"],
      size: row.size === null ? null : Number(row.size),
      error: row.error,
      createdAt: row.createdAt.toISOString(),
      finishedAt: row.finishedAt?.toISOString() ?? null,
    }));
  }

  /** Exports a room: its owner or a server admin; answered at once, made in the background. */
  async room(user: PublicUser, roomId: string): Promise<ExportInfo> {
    const room = await this.db.room.findUnique({
      where: { id: roomId },
      select: { visibility: true, memberships: { where: { userId: user.id }, select: { role: true } } },
    });
    const role = room?.memberships[0]?.role;
    const admin = await this.isAdmin(user.id);
    // a private room is not there for whoever is not in it (a server admin governs every room)
    if (!room || (room.visibility === "private" && role === undefined && !admin))
      throw new AppError("not_found", "No such room.");
    if (role !== "owner" && !admin) throw new AppError("forbidden", "Only the room's owner or a server admin can export it.");
    return this.start(user, "room", roomId);
  }

  /** Exports everything of `user`'s own. */
  personal(user: PublicUser): Promise<ExportInfo> {
    return this.start(user, "personal", null);
  }

  private async start(user: PublicUser, kind: "room" | "personal", roomId: string | null): Promise<ExportInfo> {
    const pending = await this.db.export.count({ where: { userId: user.id, status: "pending" } });
    if (pending > 0) throw new AppError("conflict", "An export of yours is still being made: wait until it is ready.");
    const row = await this.db.export.create({ data: { id: randomUUID(), userId: user.id, kind, roomId } });
    const job = this.run(row.id, user, kind, roomId).finally(() => this.running.delete(job));
    this.running.add(job);
    return this.info(row);
  }

  private async run(id: string, user: PublicUser, kind: "room" | "personal", roomId: string | null): Promise<void> {
    let row: ExportRow;
    try {
      const archive = kind === "room" ? await this.roomArchive(roomId as string) : await this.personalArchive(user);
      const staged = await this.storage.stage(writeArchive(archive), MAX_EXPORT_BYTES);
      await staged.commit(exportKey(id));
      row = await this.db.export.update({
        where: { id },
        data: { status: "ready", size: BigInt(staged.size), finishedAt: new Date() },
      });
      this.log.info({ exportId: id, kind, bytes: staged.size }, "export ready");
    } catch (error) {
      this.log.error({ err: error, exportId: id }, "an export failed");
      row = await this.db.export.update({
        where: { id },
        data: {
          status: "failed",
          error: "The export could not be made. Try again; if it fails again, tell your administrator.",
          finishedAt: new Date(),
        },
      });
    }
    this.notifier.toUser(user.id, "export:done", { export: await this.info(row) });
  }

  /** Pages of a room's or a conversation's messages, oldest first. */
  private async *pages<W>(
    store: { page: MessageStore["page"] | DirectMessageStore["page"] },
    scopeId: string,
  ): AsyncGenerator<W[]> {
    let afterSeq = 0;
    for (;;) {
      const page = await store.page(scopeId, { afterSeq }, MAX_PAGE);
      if (page.messages.length > 0) yield page.messages as W[];
      if (!page.hasMore || page.messages.length === 0) return;
      afterSeq = page.messages[page.messages.length - 1].seq;
    }
  }

  private async edits(table: "room" | "conversation", ids: string[]): Promise<Edits> {
    if (ids.length === 0) return new Map();
    const rows =
      table === "room"
        ? await this.db.messageVersion.findMany({ where: { messageId: { in: ids } }, orderBy: { replacedAt: "asc" } })
        : await this.db.directMessageVersion.findMany({ where: { messageId: { in: ids } }, orderBy: { replacedAt: "asc" } });
    const edits: Edits = new Map();
    for (const r of rows) {
      edits.set(r.messageId, [...(edits.get(r.messageId) ?? []), { body: r.body, replacedAt: r.replacedAt.toISOString() }]);
    }
    return edits;
  }

  private file(row: { id: string; name: string }): ArchiveFile {
    return { id: row.id, name: row.name, open: async () => (await this.storage.open(row.id))?.read() ?? null };
  }

  private async roomArchive(roomId: string) {
    const room = await this.db.room.findUnique({
      where: { id: roomId },
      select: {
        id: true,
        name: true,
        topic: true,
        visibility: true,
        createdAt: true,
        archivedAt: true,
        memberships: { select: { role: true, user: { select: { id: true, username: true, displayName: true } } } },
      },
    });
    if (!room) throw new Error(`room ${roomId} is gone`);
    const files = await this.db.file.findMany({ where: { roomId, removedAt: null }, select: { id: true, name: true } });
    const thread: Thread = {
      path: "messages.json",
      title: `#${room.name}`,
      about: {
        room: {
          id: room.id,
          name: room.name,
          topic: room.topic,
          visibility: room.visibility,
          createdAt: room.createdAt,
          archivedAt: room.archivedAt,
        },
        members: room.memberships.map((m) => ({ ...m.user, role: m.role })),
      },
      pages: () => this.pages(this.stores.rooms, roomId),
      edits: (ids) => this.edits("room", ids),
    };
    return { title: `#${room.name}`, threads: [thread], files: files.map((f) => this.file(f)) };
  }

  private async personalArchive(user: PublicUser) {
    const me = await this.db.user.findUniqueOrThrow({
      where: { id: user.id },
      select: {
        id: true,
        username: true,
        displayName: true,
        status: true,
        createdAt: true,
        locale: true,
        settings: true,
        memberships: { select: { role: true, joinedAt: true, room: { select: { id: true, name: true } } } },
      },
    });
    const profile = {
      user: { ...me, settings: me.settings ? JSON.parse(me.settings) : null, memberships: undefined },
      rooms: me.memberships.map((m) => ({ ...m.room, role: m.role, joinedAt: m.joinedAt })),
    };
    // my messages in rooms, a room's worth of ids at a time
    const store = this.stores.rooms;
    const db = this.db;
    const mine: Thread = {
      path: "messages.json",
      title: "My messages in rooms",
      about: { user: { id: me.id, username: me.username } },
      pages: async function* () {
        let cursor: { id: string } | undefined;
        for (;;) {
          const ids = await db.message.findMany({
            where: { authorId: user.id },
            orderBy: { id: "asc" },
            take: MAX_PAGE,
            ...(cursor ? { skip: 1, cursor } : {}),
            select: { id: true },
          });
          if (ids.length === 0) return;
          const page = await store.byIds(ids.map((r) => r.id));
          yield page.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
          cursor = ids[ids.length - 1];
        }
      },
      edits: (ids) => this.edits("room", ids),
    };
    const conversations = await this.db.conversationMember.findMany({
      where: { userId: user.id },
      select: {
        conversation: {
          select: {
            id: true,
            members: { where: { userId: { not: user.id } }, select: { user: { select: { id: true, username: true } } } },
          },
        },
      },
    });
    const threads = [
      mine,
      ...conversations.map(({ conversation }): Thread => {
        const other = conversation.members[0]?.user ?? { id: "", username: "(nobody)" };
        return {
          path: `conversations/${other.username}-${conversation.id.slice(0, 8)}.json`,
          title: `With ${other.username}`,
          about: { conversation: { id: conversation.id, with: other } },
          pages: () => this.pages(this.stores.conversations, conversation.id),
          edits: (ids) => this.edits("conversation", ids),
        };
      }),
    ];
    const files = await this.db.file.findMany({
      where: { uploaderId: user.id, removedAt: null },
      select: { id: true, name: true },
    });
    return { title: `${me.username}'s data`, threads, files: files.map((f) => this.file(f)), extra: { "profile.json": profile } };
  }

  /** The exports `user` asked for, newest first. */
  async list(user: PublicUser): Promise<ExportInfo[]> {
    const rows = await this.db.export.findMany({ where: { userId: user.id }, orderBy: { createdAt: "desc" }, take: 20 });
    return this.infos(rows);
  }

  /** A ready export of `user`'s, to download. */
  async open(user: PublicUser, id: string): Promise<{ info: ExportInfo; blob: StoredBlob }> {
    const row = await this.db.export.findFirst({ where: { id, userId: user.id } });
    if (!row) throw new AppError("not_found", "No such export of yours.");
    if (row.status !== "ready")
      throw new AppError("conflict", row.status === "pending" ? "This export is not ready yet." : "This export failed.");
    const blob = await this.storage.open(exportKey(id));
    if (!blob) throw new AppError("not_found", "This export is no longer kept.");
    return { info: await this.info(row), blob };
  }

  /** Forgets exports older than EXPORT_KEPT_DAYS (their zips too); fails those a stopped server left unfinished. */
  async sweep(): Promise<void> {
    const old = await this.db.export.findMany({
      where: { createdAt: { lt: new Date(Date.now() - EXPORT_KEPT_DAYS * 86_400_000) } },
      select: { id: true },
    });
    for (const { id } of old) await this.storage.remove(exportKey(id)).catch(() => undefined);
    await this.db.export.deleteMany({ where: { id: { in: old.map((r) => r.id) } } });
    // a day is far longer than any export takes: one still pending was being made by a process that stopped
    await this.db.export.updateMany({
      where: { status: "pending", createdAt: { lt: new Date(Date.now() - 86_400_000) } },
      data: { status: "failed", error: "The server stopped while making it. Ask again.", finishedAt: new Date() },
    });
  }

  /** Waits for the exports under way (a server stopping, the tests). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
