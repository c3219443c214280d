"use client";

// What reaches me while Komnata is open (issue 13): a message that calls for me (by the room's
// setting: every message, mentions of me, or nothing; every private message) is a browser
// notification while the tab is hidden, one per room or conversation, replaced rather than
// stacked, and a short sound while it is in view if I asked for one. Nothing during my quiet
// hours. Clicking a notification opens that message (public/sw.js).
import { useTranslations } from "next-intl";
import { mentionsUser } from "@/server/protocol/mentions";
import { isQuiet } from "@/server/protocol/quiet";
import { request } from "@/server/protocol/request";
import { excerptOf } from "@/server/protocol/text";
import { useLiveQuery, useSocketEvent } from "../use-live";
import type { ChatSocket } from "../use-socket";
import type { Place } from "./use-places";

/** My notification settings, kept current (this and every other connection of mine may change them). */
export function useUserSettings(socket: ChatSocket | null) {
  return useLiveQuery(socket, async (s) => (await request(s, "user:settings", {})).settings, {
    keep: "user:settings",
    apply: { "user:settings": (_, e) => e.settings },
  });
}

/** A short, soft two-note chime, made on the spot (no sound file to fetch). */
function chime(): void {
  try {
    const audio = new AudioContext();
    const gain = audio.createGain();
    gain.connect(audio.destination);
    gain.gain.setValueAtTime(0.0001, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.15, audio.currentTime + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.35);
    for (const [at, frequency] of [
      [0, 880],
      [0.12, 1320],
    ]) {
      const tone = audio.createOscillator();
      tone.frequency.value = frequency;
      tone.connect(gain);
      tone.start(audio.currentTime + at);
      tone.stop(audio.currentTime + at + 0.25);
    }
    setTimeout(() => void audio.close(), 600);
  } catch {
    // no audio here: nothing to play
  }
}

async function notify(title: string, body: string, tag: string, url: string): Promise<void> {
  if (!("Notification" in window) || Notification.permission !== "granted" || !navigator.serviceWorker) return;
  const registration = await navigator.serviceWorker.ready;
  await registration.showNotification(title, {
    body,
    tag,
    // @ts-expect-error renotify is in every browser that shows notifications, not yet in the DOM types
    renotify: true,
    icon: "/icons/icon-192.png",
    data: { url },
  });
}

export function useNotifications(socket: ChatSocket | null, me: { id: string; username: string }, rooms: Place[] | null) {
  const t = useTranslations("notifications");
  const { data: settings } = useUserSettings(socket);
  const reach = (title: string, body: string, tag: string, url: string) => {
    if (!settings || isQuiet(settings)) return;
    if (document.visibilityState === "visible") {
      if (settings.sound) chime();
    } else if (settings.desktop) void notify(title, body, tag, url).catch(() => undefined);
  };
  useSocketEvent(socket, "message:new", (m) => {
    if (m.author.id === me.id) return;
    const room = rooms?.find((r) => r.key === m.roomId);
    const level = room?.notify ?? "mentions";
    if (level === "nothing" || (level === "mentions" && !mentionsUser(m.mentions, me.id))) return;
    const text = excerptOf(m.body) || m.file?.name || "";
    reach(
      room ? `# ${room.name}` : t("aRoom"),
      `${m.author.username}: ${text}`,
      `room:${m.roomId}`,
      `/rooms/${encodeURIComponent(m.roomId)}?m=${m.seq}`,
    );
  });
  useSocketEvent(socket, "dm:new", (m) => {
    if (m.author.id === me.id) return;
    reach(
      `@${m.author.username}`,
      excerptOf(m.body) || m.file?.name || "",
      `dm:${m.conversationId}`,
      `/messages/${encodeURIComponent(m.author.username)}?m=${m.seq}`,
    );
  });
}
