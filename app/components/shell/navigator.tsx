"use client";

// Moving around by keyboard, on every signed-in page: Ctrl+K / Cmd+K (or `/` outside a text field)
// opens the quick switcher, which also searches messages,
// Alt+Up/Down goes to the room or conversation above or below in the sidebar, Alt+Shift+Up/Down
// to the next one with unread messages, `?` (outside a text field) or Ctrl+/ lists the shortcuts. It also renders the sidebar,
// which shares its live list of places.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { ChatSocket } from "../use-socket";
import { QuickSwitcher } from "./quick-switcher";
import { ShortcutHelp } from "./shortcut-help";
import { Sidebar } from "./sidebar";
import { useNotifications } from "./use-notifications";
import { type Here, nextPlace, usePlaces } from "./use-places";

/** The window event that opens the quick switcher (the header's button sends it). */
export const OPEN_SWITCHER = "komnata:open-switcher";

/** Whether typing there means text: `?` is a character in a field, not a shortcut. */
function typingIn(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable ||
      target instanceof HTMLTextAreaElement ||
      target instanceof HTMLSelectElement ||
      (target instanceof HTMLInputElement && !["checkbox", "radio", "button", "submit"].includes(target.type)))
  );
}

export function Navigator({
  socket,
  me,
  here,
  home = false,
}: {
  socket: ChatSocket | null;
  me: { id: string; username: string };
  here: Here;
  /** the lobby: the sidebar is the phone's home screen there */
  home?: boolean;
}) {
  const router = useRouter();
  const places = usePlaces(socket, me, here);
  const [open, setOpen] = useState<"switcher" | "help" | null>(null);
  const all = [...(places.rooms ?? []), ...(places.conversations ?? [])];
  useNotifications(socket, me, places.rooms);
  // the service worker shows notifications (and makes the app installable); it caches nothing
  useEffect(() => {
    navigator.serviceWorker?.register("/sw.js").catch(() => undefined);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const plain = !e.ctrlKey && !e.metaKey && !e.altKey;
      if (
        ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "k") ||
        (e.key === "/" && plain && !typingIn(e.target))
      ) {
        e.preventDefault();
        setOpen("switcher");
      } else if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
        if (open !== null) return;
        e.preventDefault();
        const to = nextPlace(all, e.key === "ArrowDown" ? 1 : -1, e.shiftKey);
        if (to) router.push(to.href);
      } else if (
        open === null &&
        ((e.key === "/" && (e.ctrlKey || e.metaKey)) ||
          (e.key === "?" && !e.ctrlKey && !e.metaKey && !e.altKey && !typingIn(e.target)))
      ) {
        e.preventDefault();
        setOpen("help");
      }
    };
    const openSwitcher = () => setOpen("switcher");
    window.addEventListener("keydown", onKey);
    window.addEventListener(OPEN_SWITCHER, openSwitcher);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener(OPEN_SWITCHER, openSwitcher);
    };
  });

  return (
    <>
      <Sidebar places={places} home={home} />
      {open === "switcher" && <QuickSwitcher socket={socket} me={me} places={all} onClose={() => setOpen(null)} />}
      {open === "help" && <ShortcutHelp onClose={() => setOpen(null)} />}
    </>
  );
}
