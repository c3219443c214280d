"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { fileUrl } from "@/app/lib/file-url";
import { useFormat } from "@/app/lib/format";
import type { SharedFile } from "@/server/protocol";
import { buttonClass } from "../ui/button";
import { FileIcon, FileTitle, OpenPdf } from "./file-card";
import { RemoveFile } from "./remove-file";

/** Where a file was shared, in a few words: "#general", "@bob". */
export function sharedIn(f: SharedFile): { label: string; href: string } | null {
  if (f.room) return { label: `#${f.room.name}`, href: `/rooms/${encodeURIComponent(f.room.id)}` };
  if (f.conversation) {
    const name = f.conversation.with.username;
    return { label: `@${name}`, href: `/messages/${encodeURIComponent(name)}` };
  }
  return null;
}

/**
 * One file of a Files view: what it is, who shared it (and where, when `where` is given), when,
 * its download, and for its uploader (`onRemove`) a way to remove it.
 */
export function FileRow({
  file: f,
  where,
  onRemove,
  onView,
}: {
  file: SharedFile;
  where: { label: string; href: string } | null;
  onRemove?: () => Promise<unknown>;
  /** opens the picture in the viewer */
  onView?: () => void;
}) {
  const t = useTranslations("files");
  const format = useFormat();
  const who = (chunks: React.ReactNode) => <span className="font-medium text-slate-700 dark:text-slate-200">{chunks}</span>;
  const shared = where
    ? t.rich("sharedByIn", {
        username: f.uploader.username,
        place: where.label,
        who,
        where: (chunks) => (
          <Link href={where.href} className="font-medium text-brand-600 hover:underline dark:text-brand-100">
            {chunks}
          </Link>
        ),
      })
    : t.rich("sharedBy", { username: f.uploader.username, who });
  return (
    <li className="flex items-center gap-3 px-4 py-3">
      {onView && f.thumbnail ? (
        <button
          type="button"
          onClick={onView}
          title={t("view", { name: f.name })}
          aria-label={t("view", { name: f.name })}
          className="shrink-0 cursor-zoom-in rounded-lg"
        >
          <FileIcon file={f} />
        </button>
      ) : (
        <FileIcon file={f} />
      )}
      <div className="min-w-0 flex-1">
        <FileTitle file={f} />
        <p className="truncate text-xs text-slate-500 sm:hidden dark:text-slate-400">
          {shared}, {format.time(f.createdAt)}
        </p>
      </div>
      <div className="hidden shrink-0 text-right text-xs text-slate-500 sm:block dark:text-slate-400">
        <p>{shared}</p>
        <time dateTime={f.createdAt}>{format.time(f.createdAt)}</time>
      </div>
      <OpenPdf file={f} />
      <a
        href={fileUrl(f.id)}
        download={f.name}
        aria-label={t("download", { name: f.name })}
        className={buttonClass("secondary", "sm", "shrink-0")}
      >
        {t("downloadButton")}
      </a>
      {onRemove && <RemoveFile name={f.name} onRemove={onRemove} />}
    </li>
  );
}
