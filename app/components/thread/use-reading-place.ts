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
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  /** Notes the place, at most every EVERY_MS, once scrolling has moved it. */
  const remember = useCallback(
    (scroller: HTMLElement | null, atBottom: () => boolean) => {
      if (timer.current || !scroller) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        if (atBottom()) return writeStored(storageKey, null, "session");
        const top = scroller.getBoundingClientRect().top;
        const first = [...scroller.querySelectorAll<HTMLElement>("li[data-seq]")].find(
          (el) => el.getBoundingClientRect().bottom > top + 1,
        );
        writeStored(storageKey, first ? Number(first.dataset.seq) : null, "session");
      }, EVERY_MS);
    },
    [storageKey],
  );

  /** The seq to come back to, if the reader was reading older messages. */
  const saved = useCallback(() => readStored<number | null>(storageKey, null, "session"), [storageKey]);

  return { remember, saved };
}
