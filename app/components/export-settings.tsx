"use client";

// My data (settings page): export everything of mine as a zip, and the exports I asked for (a
// room's, from its settings, too), each downloadable once ready. `export:done` says when.
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useState } from "react";
import { apiRequest } from "@/app/lib/api";
import { useFormat } from "@/app/lib/format";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import type { ExportInfo } from "@/server/protocol";
import { Alert } from "./ui/alert";
import { Button, buttonClass } from "./ui/button";
import { useLatest, useSocketEvent } from "./use-live";
import type { ChatSocket } from "./use-socket";

/** Asks for an export (`path`: /api/me/export or /api/rooms/{id}/export); its first state, or the problem. */
export async function askExport(path: string): Promise<ExportInfo> {
  return (await apiRequest<{ export: ExportInfo }>(path, { method: "POST" })).export;
}

/** My exports as the server has them now (GET /api/exports); null when it cannot be asked. */
async function listExports(): Promise<ExportInfo[] | null> {
  return apiRequest<{ exports: ExportInfo[] }>("/api/exports").then(
    (reply) => reply.exports,
    () => null,
  );
}

/**
 * While an export is being made, asks again every few seconds: `export:done` is the quick way to
 * hear of it, but a connection that was down when it came heard nothing.
 */
function useWhilePending(pending: boolean, check: () => void): void {
  const latest = useLatest(check);
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => latest.current(), 3000);
    return () => clearInterval(timer);
  }, [pending, latest]);
}

/** One export: what it is, its state, and its download once ready. */
export function ExportLine({ item }: { item: ExportInfo }) {
  const t = useTranslations("exports");
  const format = useFormat();
  return (
    <span className="flex min-w-0 flex-1 flex-wrap items-center gap-x-2">
      <span className="font-medium">{item.room ? t("ofRoom", { room: item.room.name }) : t("ofMine")}</span>
      <span className="text-xs text-slate-600 dark:text-slate-400">{format.relative(item.createdAt)}</span>
      {item.status === "pending" && <span className="text-xs text-slate-600 dark:text-slate-400">{t("pending")}</span>}
      {item.status === "failed" && <span className="text-xs text-red-700 dark:text-red-300">{t("failed")}</span>}
      {item.status === "ready" && (
        <a href={`/api/exports/${item.id}/download`} download className={buttonClass("secondary", "xs", "ml-auto")}>
          {t("download", { size: format.size(item.size ?? 0) })}
        </a>
      )}
    </span>
  );
}

export function ExportSettings({ socket }: { socket: ChatSocket | null }) {
  const t = useTranslations("exports");
  const say = useProblemText();
  const [exports, setExports] = useState<ExportInfo[] | null>(null);
  const [error, setError] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const listed = await listExports();
    if (listed) setExports(listed);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  useWhilePending(exports?.some((e) => e.status === "pending") ?? false, () => void load());
  // `export:done` may come before the answer that asked for it (a small export is quick)
  useSocketEvent(socket, "export:done", ({ export: done }) =>
    setExports((list) =>
      list?.some((e) => e.id === done.id) ? list.map((e) => (e.id === done.id ? done : e)) : [done, ...(list ?? [])],
    ),
  );

  async function exportMine() {
    setBusy(true);
    setError(null);
    try {
      const asked = await askExport("/api/me/export");
      // already there when export:done came first: that one is newer
      setExports((list) => (list?.some((e) => e.id === asked.id) ? list : [asked, ...(list ?? [])]));
    } catch (problem) {
      setError(problemOf(problem));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section
      aria-labelledby="exports-title"
      className="space-y-3 rounded-2xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 id="exports-title" className="font-semibold">
        {t("title")}
      </h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">{t("hint")}</p>
      {error && <Alert>{say(error, "exports")}</Alert>}
      <Button variant="secondary" disabled={busy} onClick={() => void exportMine()}>
        {t("exportMine")}
      </Button>
      {exports && exports.length > 0 && (
        <ul aria-label={t("list")} className="space-y-1 text-sm">
          {exports.map((item) => (
            <li key={item.id} className="flex items-center" data-testid="export-row">
              <ExportLine item={item} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A room's "Export history" (its settings, for its owner): asks, then offers the download once made. */
export function RoomExport({ socket, roomId }: { socket: ChatSocket; roomId: string }) {
  const t = useTranslations("exports");
  const say = useProblemText();
  const [asked, setAsked] = useState<ExportInfo | null>(null);
  // what export:done said, by id: it may come before the answer that asked (a small room is quick)
  const [finished, setFinished] = useState<Record<string, ExportInfo>>({});
  const [error, setError] = useState<Problem | null>(null);
  useSocketEvent(socket, "export:done", ({ export: done }) => setFinished((seen) => ({ ...seen, [done.id]: done })));
  const shown = asked && (finished[asked.id] ?? asked);
  useWhilePending(shown?.status === "pending", () => {
    void listExports().then((listed) => {
      const now = listed?.find((e) => e.id === shown?.id);
      if (now && now.status !== "pending") setFinished((seen) => ({ ...seen, [now.id]: now }));
    });
  });

  async function ask() {
    setError(null);
    try {
      setAsked(await askExport(`/api/rooms/${encodeURIComponent(roomId)}/export`));
    } catch (problem) {
      setError(problemOf(problem));
    }
  }

  return (
    <section className="space-y-2" aria-labelledby="room-export-heading">
      <h3 id="room-export-heading" className="font-medium">
        {t("exportRoom")}
      </h3>
      <p className="text-slate-600 dark:text-slate-400">{t("exportRoomHint")}</p>
      {error && <Alert>{say(error, "exports")}</Alert>}
      {shown ? (
        <p role="status" className="flex items-center gap-2" data-testid="room-export">
          {shown.status === "pending" ? t("roomAsked") : <ExportLine item={shown} />}
        </p>
      ) : (
        <Button variant="secondary" size="sm" onClick={() => void ask()}>
          {t("exportRoom")}
        </Button>
      )}
    </section>
  );
}
