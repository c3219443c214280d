"use client";

import { useEffect, useRef } from "react";
import { Button } from "./button";

/**
 * A modal dialog over the page (the browser's own <dialog>: the rest of the page is inert and
 * focus stays inside). Open while mounted; Escape or a click on the backdrop calls `onClose`, and
 * focus goes back where it was. Escape is taken here, so nothing behind it (a room's "Escape
 * marks read") sees it.
 */
export function Dialog({
  label,
  onClose,
  full = false,
  heading,
  onKey,
  className = "",
  children,
}: {
  label: string;
  onClose(): void;
  /** the whole screen, dark (a picture viewer), rather than a card in the middle */
  full?: boolean;
  /** a title bar: the dialog's name as its heading, and a Close button */
  heading?: { close: string };
  /** the dialog's own keys (Escape is taken before) */
  onKey?: (e: React.KeyboardEvent) => void;
  className?: string;
  children: React.ReactNode;
}) {
  const box = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = box.current;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog?.showModal();
    return () => {
      dialog?.close();
      before?.focus();
    };
  }, []);
  return (
    <dialog
      ref={box}
      aria-label={label}
      onKeyDown={(e) => {
        if (e.key !== "Escape") return onKey?.(e);
        e.preventDefault();
        e.stopPropagation();
        onClose();
      }}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        // a click on the backdrop lands on the dialog itself, outside its box
        if (e.target !== box.current) return;
        const r = box.current.getBoundingClientRect();
        if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) onClose();
      }}
      className={`${
        full
          ? "m-0 h-dvh max-h-none w-screen max-w-none bg-slate-950 p-0 text-white backdrop:bg-slate-950/90"
          : "m-auto rounded-2xl border border-slate-200 bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      } ${className}`}
    >
      {heading && (
        <div className="flex items-center justify-between border-b border-slate-200 px-5 py-3 dark:border-slate-700">
          <h2 className="font-semibold">{label}</h2>
          <Button variant="ghost" size="xs" onClick={onClose}>
            {heading.close}
          </Button>
        </div>
      )}
      {children}
    </dialog>
  );
}
