"use client";

import { useTranslations } from "next-intl";
import { type ReactNode, useRef, useState } from "react";

const hasFiles = (e: React.DragEvent) => e.dataTransfer.types.includes("Files");

/**
 * A region that takes files dropped onto it, with an overlay saying where they will go while
 * they are dragged over it (or that they cannot go yet).
 */
export function DropZone({
  enabled,
  label,
  waitLabel,
  onFiles,
  children,
}: {
  enabled: boolean;
  /** what dropping does, e.g. "Drop files to share them in #general" */
  label: string;
  /** shown instead while it is not enabled */
  waitLabel: string;
  onFiles(files: File[]): void;
  children: ReactNode;
}) {
  const t = useTranslations("thread");
  const [dragging, setDragging] = useState(false);
  // dragenter/dragleave fire for every child crossed: count them to know when the drag left for real
  const depth = useRef(0);

  return (
    <section
      aria-label={t("conversation")}
      className="relative flex min-h-0 flex-1 flex-col"
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current += 1;
        setDragging(true);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = enabled ? "copy" : "none";
      }}
      onDragLeave={(e) => {
        if (!hasFiles(e)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragging(false);
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current = 0;
        setDragging(false);
        if (enabled) onFiles(Array.from(e.dataTransfer.files));
      }}
    >
      {dragging && (
        <div
          aria-hidden="true"
          className="pointer-events-none absolute inset-2 z-10 grid place-items-center rounded-2xl border-2 border-dashed border-brand-500 bg-brand-50/90 text-lg font-medium text-brand-700 dark:bg-slate-900/90 dark:text-brand-100"
        >
          {enabled ? label : waitLabel}
        </div>
      )}
      {children}
    </section>
  );
}
