"use client";

import { useEffect, useState } from "react";

/** `value`, once it has stopped changing for `ms` (at once when `ms` is 0): search as you type without a request per key. */
export function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return ms === 0 ? value : settled;
}
