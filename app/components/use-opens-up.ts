"use client";

import { type RefObject, useLayoutEffect, useState } from "react";

/** Where a popover that opens down starts, below the top of what it is placed in (`top-8`). */
const BELOW_PX = 32;

/**
 * Whether a popover placed below its button would run past the bottom of the area that scrolls
 * it (`data-scroll-area`, else the window): then it opens upward instead. A fixed one (a sheet
 * on a phone) stays where it is. Measured again whenever `shown` changes (opened, grown).
 */
export function useOpensUp(popover: RefObject<HTMLElement | null>, shown: unknown): boolean {
  const [up, setUp] = useState(false);
  useLayoutEffect(() => {
    const el = popover.current;
    if (!shown || !el) {
      setUp(false);
      return;
    }
    if (getComputedStyle(el).position === "fixed") return;
    const area = el.parentElement?.closest("[data-scroll-area]");
    const bottom = area ? area.getBoundingClientRect().bottom : window.innerHeight;
    // where it would end if it opened down, whichever way it opens now
    const top = el.offsetParent?.getBoundingClientRect().top ?? 0;
    setUp(top + BELOW_PX + el.offsetHeight > bottom - 8);
  }, [popover, shown]);
  return up;
}
