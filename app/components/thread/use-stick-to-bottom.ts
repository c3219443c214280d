"use client";

import { useLayoutEffect, useRef } from "react";

/**
 * Keeps a scrolling list where the reader is: at the bottom while they are there (new messages
 * scroll into view), in place when older ones are put above (`keepPlace` just before), and asks
 * for older ones (`onNearTop`) as the reader nears the top. `shown` is what is displayed: the
 * position is kept after each change of it.
 */
export function useStickToBottom(shown: unknown, onNearTop: () => void) {
  const scroller = useRef<HTMLElement>(null);
  const atBottom = useRef(true);
  const restoreFrom = useRef<number | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after each change of what is shown, which it does not read
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (restoreFrom.current !== null) {
      el.scrollTop = el.scrollHeight - restoreFrom.current;
      restoreFrom.current = null;
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [shown]);

  return {
    scroller,
    onScroll() {
      const el = scroller.current;
      if (!el) return;
      atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
      if (el.scrollTop < 120) onNearTop();
    },
    /** whether the reader is at the newest message */
    atBottom(): boolean {
      return atBottom.current;
    },
    /** the reader's own action (a send, an upload) brings them to the newest message */
    stickToBottom() {
      atBottom.current = true;
    },
    /**
     * Shows `element` at the top of the view (where reading resumes), unless it is already in
     * view with the newest message: then the view stays at the bottom.
     */
    showFrom(element: Element) {
      const el = scroller.current;
      if (!el) return;
      const top = element.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop;
      if (el.scrollHeight - top <= el.clientHeight) return;
      atBottom.current = false;
      el.scrollTop = Math.max(0, top - 8);
    },
    /** Shows `element` in the middle of the view (a message jumped to); the view no longer follows the newest. */
    reveal(element: Element) {
      atBottom.current = false;
      element.scrollIntoView({ block: "center" });
    },
    /** call just before older messages are put above, so the view stays on what is being read */
    keepPlace() {
      const el = scroller.current;
      restoreFrom.current = el ? el.scrollHeight - el.scrollTop : null;
    },
    /** true when the list does not fill its box (so it cannot be scrolled to load more) */
    underfilled(): boolean {
      const el = scroller.current;
      return el !== null && el.scrollHeight <= el.clientHeight;
    },
  };
}
