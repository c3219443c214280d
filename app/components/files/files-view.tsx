"use client";

import Link from "next/link";
import { useState } from "react";
import { request } from "@/server/protocol/request";
import { AppHeader, ThreadTitle } from "../app-header";
import { SearchField } from "../search-field";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { useSocket } from "../use-socket";
import { FileRow, sharedIn } from "./file-row";
import { type FilesPlace, useSharedFiles } from "./use-shared-files";

/**
 * Shared files, newest first, searchable by name, with download links: a room's or a
 * conversation's (for its members), or everything the user can read.
 */
export function FilesView({ place, user }: { place: FilesPlace; user: { id: string; username: string } }) {
  const { socket, connection } = useSocket();
  const [query, setQuery] = useState("");
  const [busy, setBusy] = useState(false);
  const { data, error, refresh, search, more } = useSharedFiles(socket, place, query);
  const roomId = place !== "all" && "roomId" in place ? place.roomId : null;
  const partner = place !== "all" && "username" in place ? place.username : null;
  const everything = place === "all";
  const room = data?.room ?? null;
  const files = data?.files ?? null;
  const problem = error ?? data?.problem ?? null;

  async function withBusy(work: () => Promise<unknown>) {
    setBusy(true);
    try {
      await work();
    } finally {
      setBusy(false);
    }
  }

  const join = () =>
    withBusy(async () => {
      if (!socket || roomId === null) return;
      await request(socket, "room:join", { roomId });
      refresh();
    });

  const back =
    roomId !== null
      ? { href: `/rooms/${encodeURIComponent(roomId)}`, label: room ? `#${room.name}` : "the room" }
      : partner !== null
        ? { href: `/messages/${encodeURIComponent(partner)}`, label: `@${partner}` }
        : { href: "/", label: "the lobby" };
  const title = everything
    ? "All files"
    : roomId !== null
      ? room
        ? `Files in #${room.name}`
        : "Files"
      : `Files with @${partner}`;
  const notFound = problem?.code === "not_found" || problem?.code === "invalid_input";

  return (
    <div className="flex min-h-full flex-col">
      <AppHeader username={user.username} connection={connection}>
        <ThreadTitle
          title={title}
          subtitle={
            everything
              ? "Everything shared in your rooms and conversations"
              : roomId !== null
                ? room?.topic
                : "Private conversation"
          }
        />
      </AppHeader>
      <main className="mx-auto w-full max-w-4xl flex-1 px-4 py-6 sm:px-6">
        <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
          <div>
            <h2 className="text-xl font-semibold tracking-tight">{everything ? "Shared with you" : "Shared files"}</h2>
            {!notFound && (
              <Link href={back.href} className="text-sm text-brand-600 hover:underline dark:text-brand-100">
                ← Back to {back.label}
              </Link>
            )}
          </div>
          {problem === null && (
            <SearchField
              id="file-search"
              label="Search files"
              placeholder="Search files by name"
              value={query}
              onChange={setQuery}
            />
          )}
        </div>

        {problem?.code === "forbidden" && (
          <div className="rounded-2xl border border-slate-200 bg-white p-6 text-center dark:border-slate-800 dark:bg-slate-900">
            <p>Only members see what is shared in {room ? `#${room.name}` : "this room"}.</p>
            <Button onClick={join} disabled={busy} className="mt-3">
              Join {room ? `#${room.name}` : "the room"}
            </Button>
          </div>
        )}
        {problem && problem.code !== "forbidden" && (
          <Alert>
            {notFound && roomId !== null ? "This room does not exist." : problem.message}{" "}
            <Link href="/" className="font-medium underline">
              Back to the lobby
            </Link>
          </Alert>
        )}
        {files === null && !problem && <p className="text-sm text-slate-500">Loading files…</p>}
        {files !== null && files.length === 0 && !problem && (
          <div className="rounded-2xl border border-dashed border-slate-300 p-8 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
            {search !== "" ? (
              `No file matches “${search}”.`
            ) : everything ? (
              "Nothing shared yet. Attach a file in a room or a conversation, or drop one onto it."
            ) : (
              <>
                Nothing shared here yet. Attach a file in{" "}
                <Link href={back.href} className="text-brand-600 hover:underline dark:text-brand-100">
                  {roomId !== null ? "the room" : "the conversation"}
                </Link>{" "}
                or drop one onto it.
              </>
            )}
          </div>
        )}

        {files && files.length > 0 && (
          <ul
            aria-label="Files"
            className="divide-y divide-slate-200 overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900"
          >
            {files.map((f) => (
              <FileRow
                key={f.id}
                file={f}
                where={everything ? sharedIn(f) : null}
                onRemove={
                  socket && f.uploader.id === user.id ? () => request(socket, "file:remove", { fileId: f.id }) : undefined
                }
              />
            ))}
          </ul>
        )}
        {data?.hasMore && (
          <div className="mt-4 text-center">
            <Button variant="secondary" onClick={() => withBusy(more)} disabled={busy}>
              {busy ? "Loading…" : "Show older files"}
            </Button>
          </div>
        )}
      </main>
    </div>
  );
}
