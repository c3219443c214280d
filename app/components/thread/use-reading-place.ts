"use client";

import { useCallback, useEffect, useRef } from "react";
import { readStored, writeStored } from "@/app/lib/stored";

/** How often the place is written down while scrolling. */
const EVERY_MS = 300;

/**
 * Where the reader is in a thread, for this tab: the first message at the top of the view while
 * they read older messages, nothing while they are at the newest. A reload comes back there.
 */
export function useReadingPlace(storageKey: string) {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  /** the scroller the reader last moved, to write its place down when the page goes away */
  const moved = useRef<{ scroller: HTMLElement; atBottom: () => boolean } | null>(null);

  const note = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (!moved.current) return;
    const { scroller, atBottom } = moved.current;
    if (atBottom()) return writeStored(storageKey, null, "session");
    const top = scroller.getBoundingClientRect().top;
    const first = [...scroller.querySelectorAll<HTMLElement>("li[data-seq]")].find(
      (el) => el.getBoundingClientRect().bottom > top + 1,
    );
    writeStored(storageKey, first ? Number(first.dataset.seq) : null, "session");
  }, [storageKey]);

  useEffect(() => {
    // a reload (or a closed tab) right after scrolling, or on a page too busy for the timer to
    // have run yet, still comes back to where the reader was
    window.addEventListener("pagehide", note);
    return () => {
      window.removeEventListener("pagehide", note);
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      // another thread (or none): nothing moved in it yet
      moved.current = null;
    };
  }, [note]);

  /** Notes the place, at most every EVERY_MS, once scrolling has moved it. */
  const remember = useCallback(
    (scroller: HTMLElement | null, atBottom: () => boolean) => {
      if (!scroller) return;
      moved.current = { scroller, atBottom };
      if (!timer.current) timer.current = setTimeout(note, EVERY_MS);
    },
    [note],
  );

  /** The seq to come back to, if the reader was reading older messages. */
  const saved = useCallback(() => readStored<number | null>(storageKey, null, "session"), [storageKey]);

  return { remember, saved };
}
