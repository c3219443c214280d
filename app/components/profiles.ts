"use client";

// Who people are (display name, status, picture), for every part of the page that shows someone:
// asked of the server in batches for the ids shown, kept for the tab, and changed live when
// someone changes theirs (user:updated). Messages carry only ids and usernames; this fills in
// the rest once per person.
import { useEffect, useSyncExternalStore } from "react";
import type { Profile } from "@/server/protocol";
import { request } from "@/server/protocol/request";
import { type ChatSocket, useSocket } from "./use-socket";

const known = new Map<string, Profile | null>();
const listeners = new Set<() => void>();
const wanted = new Set<string>();
let asking: ReturnType<typeof setTimeout> | null = null;
let attached: ChatSocket | null = null;

function changed(): void {
  for (const listener of listeners) listener();
}

/** Keeps profiles the page already has (a room's members), so nobody asks for them again. */
export function rememberProfiles(profiles: Profile[]): void {
  let news = false;
  for (const p of profiles) {
    const before = known.get(p.id);
    if (before && before.displayName === p.displayName && before.avatarUrl === p.avatarUrl && before.status === p.status)
      continue;
    known.set(p.id, p);
    news = true;
  }
  if (news) changed();
}

function ask(socket: ChatSocket): void {
  if (asking) return;
  asking = setTimeout(() => {
    asking = null;
    const ids = [...wanted].slice(0, 200);
    for (const id of ids) wanted.delete(id);
    if (ids.length === 0) return;
    request(socket, "user:profiles", { ids })
      .then(({ profiles }) => {
        // someone who is not there (any more) is remembered as nobody, not asked for again
        for (const id of ids) if (!known.has(id)) known.set(id, null);
        rememberProfiles(profiles);
        changed();
      })
      .catch(() => {
        for (const id of ids) wanted.add(id);
      });
    if (wanted.size > 0) ask(socket);
  }, 30);
}

function attach(socket: ChatSocket): void {
  if (attached === socket) return;
  attached = socket;
  socket.on("user:updated", (profile) => rememberProfiles([profile]));
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** The profile of user `id` (undefined until known; null when there is no such user). */
export function useProfile(id: string | null): Profile | null | undefined {
  const { socket } = useSocket();
  const profile = useSyncExternalStore(
    subscribe,
    () => (id === null ? null : known.get(id)),
    () => undefined,
  );
  useEffect(() => {
    if (!socket || id === null) return;
    attach(socket);
    if (known.has(id)) return;
    wanted.add(id);
    ask(socket);
  }, [socket, id]);
  return profile;
}

/** What a person is called on screen: their display name, else their username. */
export const shownName = (user: { username: string }, profile: Profile | null | undefined) =>
  profile?.displayName || user.username;
