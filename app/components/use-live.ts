"use client";

// Live data through one pair of hooks: a component says which events it cares about, and these
// subscribe, refetch after a reconnect, and unsubscribe on unmount. No component wires
// `socket.on`/`off` by hand.
import { type DependencyList, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { Payload, ServerEvent } from "@/server/protocol";
import { RequestError } from "@/server/protocol/request";
import type { ChatSocket } from "./use-socket";

/** The latest value of `value`, for callbacks that outlive a render (written after render, never during). */
export function useLatest<T>(value: T) {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  }, [value]);
  return ref;
}

/** Calls `handler` for every `event` on `socket` while mounted; always the latest handler, without resubscribing. */
export function useSocketEvent<E extends ServerEvent>(
  socket: ChatSocket | null,
  event: E,
  handler: (payload: Payload<E>) => void,
): void {
  const latest = useLatest(handler);
  useEffect(() => {
    if (!socket) return;
    const listener = (payload: Payload<E>) => latest.current(payload);
    // socket.io-client cannot type a listener for a generic event name
    socket.on(event, listener as never);
    return () => {
      socket.off(event, listener as never);
    };
  }, [socket, event, latest]);
}

/** Calls `handler` now if the socket is connected, and after every (re)connection. */
export function useOnConnect(socket: ChatSocket | null, handler: () => void): void {
  const latest = useLatest(handler);
  useEffect(() => {
    if (!socket) return;
    const listener = () => latest.current();
    socket.on("connect", listener);
    if (socket.connected) listener();
    return () => {
      socket.off("connect", listener);
    };
  }, [socket, latest]);
}

/** Which events make a live query ask again: all of them, or those a filter accepts. */
export type RefreshOn = { [E in ServerEvent]?: true | ((payload: Payload<E>) => boolean) };

export interface LiveQuery<T> {
  /** null until the first answer */
  data: T | null;
  /** the last failure, cleared by the next success */
  error: RequestError | null;
  /** asks again now */
  refresh(): void;
  /** changes the data locally (an event that carries the change itself) */
  setData: React.Dispatch<React.SetStateAction<T | null>>;
}

/**
 * Data loaded over the socket and kept current: loaded on connect and after every reconnect,
 * again when `key` changes, and again (at most once per `debounceMs`) when an event in
 * `refreshOn` arrives. An answer to an older request never overwrites a newer one.
 */
export function useLiveQuery<T>(
  socket: ChatSocket | null,
  load: (socket: ChatSocket) => Promise<T>,
  { refreshOn = {}, key = [], debounceMs = 0 }: { refreshOn?: RefreshOn; key?: DependencyList; debounceMs?: number } = {},
): LiveQuery<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<RequestError | null>(null);
  const latestLoad = useLatest(load);
  const latestRefreshOn = useLatest(refreshOn);
  const asked = useRef(0);

  const refresh = useCallback(() => {
    if (!socket) return;
    const ticket = ++asked.current;
    latestLoad.current(socket).then(
      (value) => {
        if (ticket !== asked.current) return;
        setData(value);
        setError(null);
      },
      (failure: unknown) => {
        if (ticket !== asked.current) return;
        setError(failure instanceof RequestError ? failure : new RequestError("internal", String(failure)));
      },
    );
  }, [socket, latestLoad]);

  // `key` is the caller's list of what the query depends on
  useEffect(() => {
    if (!socket) return;
    socket.on("connect", refresh);
    if (socket.connected) refresh();
    return () => {
      socket.off("connect", refresh);
    };
  }, [socket, refresh, ...key]);

  const events = Object.keys(refreshOn).sort().join(" ");
  useEffect(() => {
    if (!socket || events === "") return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const soon = () => {
      if (debounceMs === 0) return refresh();
      timer ??= setTimeout(() => {
        timer = null;
        refresh();
      }, debounceMs);
    };
    const listeners = events.split(" ").map((event) => {
      const listener = (payload: unknown) => {
        const accept = latestRefreshOn.current[event as ServerEvent] as true | ((p: unknown) => boolean) | undefined;
        if (accept === true || accept?.(payload)) soon();
      };
      socket.on(event as ServerEvent, listener as never);
      return [event, listener] as const;
    });
    return () => {
      if (timer) clearTimeout(timer);
      for (const [event, listener] of listeners) socket.off(event as ServerEvent, listener as never);
    };
  }, [socket, events, debounceMs, refresh, latestRefreshOn]);

  return { data, error, refresh, setData };
}
