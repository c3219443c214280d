"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useProblemText } from "@/app/lib/problems";
import { request } from "@/server/protocol/request";
import { AppHeader, ThreadTitle } from "../app-header";
import { SearchField } from "../search-field";
import { Navigator } from "../shell/navigator";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { useSocket } from "../use-socket";
import { FileRow, sharedIn } from "./file-row";
import { PictureViewer } from "./picture-viewer";
import { type FilesPlace, useSharedFiles } from "./use-shared-files";

/**
 * Shared files, newest first, searchable by name, with download links: a room's or a
 * conversation's (for its members), or everything the user can read.
 */
export function FilesView({ place, user }: { place: FilesPlace; user: { id: string; username: string } }) {
  const t = useTranslations("filesView");
  const say = useProblemText();
  const { socket, connection } = useSocket();
  const [query, setQuery] = useState("");
  const [busy, setBusy] = useState(false);
  /** the picture open in the viewer, by file id */
  const [viewing, setViewing] = useState<string | null>(null);
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
      ? { href: `/rooms/${encodeURIComponent(roomId)}`, label: room ? t("backToRoom", { room: room.name }) : t("backToTheRoom") }
      : partner !== null
        ? { href: `/messages/${encodeURIComponent(partner)}`, label: t("backToPerson", { username: partner }) }
        : { href: "/", label: t("backToLobby") };
  const title = everything
    ? t("allFiles")
    : roomId !== null
      ? room
        ? t("filesIn", { room: room.name })
        : t("files")
      : t("filesWith", { username: partner ?? "" });
  const notFound = problem?.code === "not_found" || problem?.code === "invalid_input";

  return (
    <div className="flex min-h-full flex-col lg:h-full">
      <AppHeader username={user.username} connection={connection} inThread>
        <ThreadTitle
          title={title}
          subtitle={everything ? t("everythingSubtitle") : roomId !== null ? room?.topic : t("privateConversation")}
        />
      </AppHeader>
      <div className="flex flex-1 flex-col lg:min-h-0 lg:flex-row">
        <Navigator socket={socket} me={user} here={null} />
        <div className="min-w-0 flex-1 lg:overflow-y-auto">
          <main className="mx-auto w-full max-w-4xl px-4 py-6 sm:px-6">
            <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
              <div>
                <h2 className="text-xl font-semibold tracking-tight">{everything ? t("sharedWithYou") : t("sharedFiles")}</h2>
                {!notFound && (
                  <Link href={back.href} className="text-sm text-brand-600 hover:underline dark:text-brand-100">
                    ← {back.label}
                  </Link>
                )}
              </div>
              {problem === null && (
                <SearchField
                  id="file-search"
                  label={t("searchLabel")}
                  placeholder={t("searchPlaceholder")}
                  value={query}
                  onChange={setQuery}
                />
              )}
            </div>

            {problem?.code === "forbidden" && (
              <div className="rounded-2xl border border-slate-200 bg-white p-6 text-center dark:border-slate-800 dark:bg-slate-900">
                <p>{room ? t("membersOnly", { room: room.name }) : t("membersOnlyHere")}</p>
                <Button onClick={join} disabled={busy} className="mt-3">
                  {room ? t("join", { room: room.name }) : t("joinHere")}
                </Button>
              </div>
            )}
            {problem && problem.code !== "forbidden" && (
              <Alert>
                {say(notFound ? { code: "not_found" } : problem, roomId !== null ? "room" : "conversation")}{" "}
                <Link href="/" className="font-medium underline">
                  {t("backToLobby")}
                </Link>
              </Alert>
            )}
            {files === null && !problem && <p className="text-sm text-slate-500">{t("loading")}</p>}
            {files !== null && files.length === 0 && !problem && (
              <div className="rounded-2xl border border-dashed border-slate-300 p-8 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
                {search !== ""
                  ? t("noMatch", { search })
                  : everything
                    ? t("emptyAll")
                    : t.rich(roomId !== null ? "emptyRoom" : "emptyConversation", {
                        link: (chunks) => (
                          <Link href={back.href} className="text-brand-600 underline hover:no-underline dark:text-brand-100">
                            {chunks}
                          </Link>
                        ),
                      })}
              </div>
            )}

            {files && files.length > 0 && (
              <ul
                aria-label={t("files")}
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
                    onView={() => setViewing(f.id)}
                  />
                ))}
              </ul>
            )}
            {data?.hasMore && (
              <div className="mt-4 text-center">
                <Button variant="secondary" onClick={() => withBusy(more)} disabled={busy}>
                  {busy ? t("loadingMore") : t("showOlder")}
                </Button>
              </div>
            )}
          </main>
        </div>
      </div>
      {viewing && files && (
        // newest first here: the viewer goes oldest to newest, like a thread
        <PictureViewer pictures={files.filter((f) => f.thumbnail).reverse()} start={viewing} onClose={() => setViewing(null)} />
      )}
    </div>
  );
}
