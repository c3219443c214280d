"use client";

// Keys as this computer's keyboard names them: ⌘ ⌥ ⇧ on a Mac, Ctrl Alt Shift elsewhere.
import { useEffect, useState } from "react";

/** Whether this is a Mac (or an iPad or iPhone with a keyboard); false until the page runs. */
export function useIsMac(): boolean {
  const [mac, setMac] = useState(false);
  useEffect(() => setMac(/Mac|iPhone|iPad/.test(navigator.userAgent)), []);
  return mac;
}

/** A key's label: "mod" is Cmd on a Mac and Ctrl elsewhere; other keys are named as given. */
export function keyLabel(key: string, mac: boolean): string {
  if (key === "mod") return mac ? "⌘" : "Ctrl";
  if (key === "alt") return mac ? "⌥" : "Alt";
  if (key === "shift") return mac ? "⇧" : "Shift";
  return key;
}
