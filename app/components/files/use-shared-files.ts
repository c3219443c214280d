"use client";

import type { RequestError, RoomSummary, SharedFile } from "@/server/protocol";
import { request } from "@/server/protocol/request";
import { useLiveQuery } from "../use-live";
import { useSettled } from "../use-settled";
import type { ChatSocket } from "../use-socket";

const PAGE = 50;

/** Whose files: a room's, those of the private conversation with `username`, or all you can read. */
export type FilesPlace = { roomId: string } | { username: string } | "all";

type Scope = { roomId: string } | { conversationId: string } | Record<never, never>;

export interface SharedFiles {
  /** the room, for a room's files (null until known, or if there is none) */
  room: RoomSummary | null;
  /** null: there is nothing to list (a conversation not started yet) */
  scope: Scope | null;
  files: SharedFile[];
  hasMore: boolean;
  /** why the files could not be listed (forbidden: not a member) */
  problem: RequestError | null;
}

async function load(socket: ChatSocket, place: FilesPlace, query: string): Promise<SharedFiles> {
  let room: RoomSummary | null = null;
  let scope: Scope | null = {};
  if (place !== "all" && "roomId" in place) {
    room = await request(socket, "room:get", { roomId: place.roomId }).then(
      (reply) => reply.room,
      () => null,
    );
    scope = { roomId: place.roomId };
  } else if (place !== "all") {
    const { conversations } = await request(socket, "dm:list", {});
    const wanted = place.username.toLowerCase();
    const conversation = conversations.find((c) => c.with.username.toLowerCase() === wanted);
    scope = conversation ? { conversationId: conversation.id } : null;
  }
  if (!scope) return { room, scope, files: [], hasMore: false, problem: null };
  try {
    const page = await request(socket, "file:list", { ...scope, query: query || undefined, limit: PAGE });
    return { room, scope, ...page, problem: null };
  } catch (error) {
    return { room, scope, files: [], hasMore: false, problem: error as RequestError };
  }
}

/**
 * Shared files, newest first, searchable by name (a moment after the last key), kept current as
 * files are shared, and paged with `more()`.
 */
export function useSharedFiles(socket: ChatSocket | null, place: FilesPlace, query: string) {
  const search = useSettled(query.trim(), query ? 250 : 0);
  const roomId = place !== "all" && "roomId" in place ? place.roomId : null;
  const partner = place !== "all" && "username" in place ? place.username : null;
  const live = useLiveQuery(socket, (s) => load(s, place, search), {
    key: [roomId, partner, search],
    refreshOn: {
      "message:new": (m) => m.file !== undefined && (place === "all" || m.roomId === roomId),
      "dm:new": (m) => m.file !== undefined && (place === "all" || partner !== null),
    },
    // a burst of shared files asks once
    debounceMs: 300,
    // a removed file leaves the list at once, wherever it was shared (pages loaded with `more` stay)
    apply: { "file:removed": (d, { fileId }) => d && { ...d, files: d.files.filter((f) => f.id !== fileId) } },
  });

  async function more(): Promise<void> {
    const current = live.data;
    if (!socket || !current?.scope || current.files.length === 0) return;
    const page = await request(socket, "file:list", {
      ...current.scope,
      query: search || undefined,
      before: current.files[current.files.length - 1].id,
      limit: PAGE,
    });
    live.setData(
      (d) =>
        d && {
          ...d,
          files: [...d.files, ...page.files.filter((f) => !d.files.some((x) => x.id === f.id))],
          hasMore: page.hasMore,
        },
    );
  }

  return { ...live, search, more };
}
