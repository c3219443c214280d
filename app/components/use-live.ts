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
 * What the live queries named with `keep` hold, per tab. Every page draws its own sidebar, so
 * each navigation unmounted the sidebar's lists and mounted them again, which asked the server
 * for each anew: four of the six requests of entering a room. A kept query starts from what
 * the last one of its name held, without asking, when nothing can have changed it since: one
 * of its name is mounted with its answer in, or the last one unmounted with its answer in and
 * not one of the events it follows (`apply` and `refreshOn`), nor a reconnection, has reached
 * the socket since. Between one page going and the next coming the socket goes on hearing
 * events (someone typing, a room's online count), and those change nothing kept. So a kept
 * query's data changes only through its `apply` and `refreshOn` and by the component's own
 * hand while mounted, never through a `useSocketEvent` of its own: an event it heard that way
 * while unmounted would not be counted. Two of one name mounted at once share the kept copy:
 * each event is applied to it once, and they ask once for them all: once per connection, and
 * once per event that calls for a new answer (an event is told apart by its payload, the one
 * object every listener of it receives).
 */
interface Kept extends Asking {
  data: unknown;
  /** mounted queries of this name */
  mounted: number;
  /** each mounted one's state: every change and every answer reaches all of them */
  listeners: Set<(data: unknown) => void>;
  /** what is held may be out of date: the last answer failed, or a refresh it called for was dropped */
  stale: boolean;
  /** the events it follows, as the last one mounted named them */
  follows: string[];
  /** of those (and connections), how many the socket had heard when the last one unmounted */
  seen: number;
  /** connections the socket had made when the latest request was made for one */
  connectedAt: number;
  /** the event the latest request was made for */
  cause: object | null;
  /** the event last applied to the copy */
  applied: object | null;
}
const keptQueries = new Map<string, Kept>();

/**
 * A query's requests (a kept one's: its name's). The server reads an answer, and sends it, while
 * it goes on storing and telling changes: an event in `apply` that comes while a request is on its
 * way may be in its answer or not, and the answer replaces whatever the event changed (on a first
 * load, nothing was there yet to change). So the events that crossed a request are applied again
 * to its answer, in the order they came: `apply` must leave data that has an event in it as it
 * is (a message at or below the list's `lastSeq`, a room already gone, a count set again).
 */
interface Asking {
  /** the latest request's number: an older one's answer is dropped */
  asked: number;
  /** requests not answered yet */
  loading: number;
  /** the events in `apply` heard since the latest was made, with what each does */
  crossed: [change: (data: unknown, payload: unknown) => unknown, payload: unknown][];
}

/** How many times each socket has connected (and disconnected), and heard each event. */
interface Heard {
  connections: number;
  events: Map<string, number>;
}
const heardBy = new WeakMap<ChatSocket, Heard>();
function heard(socket: ChatSocket): Heard {
  let counts = heardBy.get(socket);
  if (!counts) {
    const fresh: Heard = { connections: 0, events: new Map() };
    socket.onAny((event: string) => fresh.events.set(event, (fresh.events.get(event) ?? 0) + 1));
    const bump = () => {
      fresh.connections += 1;
    };
    socket.on("connect", bump);
    socket.on("disconnect", bump);
    heardBy.set(socket, fresh);
    counts = fresh;
  }
  return counts;
}

/** Connections and `events` heard so far: it grows whenever one of them comes. */
function heardOf(counts: Heard, events: string[]): number {
  return events.reduce((sum, event) => sum + (counts.events.get(event) ?? 0), counts.connections);
}

function keptQuery(name: string): Kept {
  let kept = keptQueries.get(name);
  if (!kept) {
    kept = {
      data: null,
      mounted: 0,
      listeners: new Set(),
      asked: 0,
      loading: 0,
      crossed: [],
      stale: false,
      follows: [],
      seen: -1,
      connectedAt: -1,
      cause: null,
      applied: null,
    };
    keptQueries.set(name, kept);
  }
  return kept;
}

/** Events that carry a change themselves, each with how it changes the data (null: not loaded yet). */
export type Apply<T> = { [E in ServerEvent]?: (data: T | null, payload: Payload<E>) => T | null };

/**
 * Data loaded over the socket and kept current: loaded on connect and after every reconnect,
 * again when `key` changes, again (at most once per `debounceMs`) when an event in `refreshOn`
 * arrives, and changed in place by each event in `apply`. An answer to an older request never
 * overwrites a newer one. With `keep` (a name; no `key`), what it holds outlives the component
 * for the next one of that name (see `Kept`): the sidebar's lists across navigations.
 */
export function useLiveQuery<T>(
  socket: ChatSocket | null,
  load: (socket: ChatSocket) => Promise<T>,
  {
    refreshOn = {},
    apply = {},
    key = [],
    debounceMs = 0,
    keep,
  }: { refreshOn?: RefreshOn; apply?: Apply<T>; key?: DependencyList; debounceMs?: number; keep?: string } = {},
): LiveQuery<T> {
  const kept = keep === undefined ? null : keptQuery(keep);
  // what the last one held is shown at once; the mount below decides whether to ask again
  const [data, setState] = useState<T | null>(() => (kept?.data as T | null) ?? null);
  const [error, setError] = useState<RequestError | null>(null);
  const latestLoad = useLatest(load);
  const latestRefreshOn = useLatest(refreshOn);
  const latestApply = useLatest(apply);
  const own = useRef<Asking>({ asked: 0, loading: 0, crossed: [] });
  const events = Object.keys(refreshOn).sort().join(" ");
  const changes = Object.keys(apply).sort().join(" ");

  // every change reaches the kept copy at once (React drops an update it has not rendered yet
  // when the page unmounts, and the copy must not miss it), and from it every mounted one
  const setData: React.Dispatch<React.SetStateAction<T | null>> = useCallback(
    (next) => {
      if (!kept) return setState(next);
      kept.data = typeof next === "function" ? (next as (was: T | null) => T | null)(kept.data as T | null) : next;
      for (const listener of kept.listeners) listener(kept.data);
      if (!kept.listeners.has(setState as (data: unknown) => void)) setState(kept.data as T | null);
    },
    [kept],
  );

  const refresh = useCallback(() => {
    if (!socket) return;
    // one count per name: the answer to the latest request of any of them is everyone's
    const asking = kept ?? own.current;
    const ticket = ++asking.asked;
    asking.crossed = [];
    asking.loading += 1;
    latestLoad.current(socket).then(
      (value) => {
        asking.loading -= 1;
        if (ticket !== asking.asked) return;
        if (kept) kept.stale = false;
        const crossed = asking.crossed;
        asking.crossed = [];
        setData(crossed.reduce((data, [change, payload]) => change(data, payload) as T | null, value as T | null));
        setError(null);
      },
      (failure: unknown) => {
        asking.loading -= 1;
        if (ticket !== asking.asked) return;
        asking.crossed = [];
        if (kept) kept.stale = true;
        setError(failure instanceof RequestError ? failure : new RequestError("internal", String(failure)));
      },
    );
  }, [socket, latestLoad, kept, setData]);

  // `key` is the caller's list of what the query depends on
  useEffect(() => {
    if (!socket) return;
    const counts = kept && heard(socket);
    const follows = [...new Set([...events.split(" "), ...changes.split(" ")])].filter(Boolean);
    // (a connection's count is moved before this runs: its listener is older)
    const onConnect = () => {
      if (kept && counts) {
        // one request per name and connection: the others of its name get its answer
        if (kept.connectedAt === counts.connections) return;
        kept.connectedAt = counts.connections;
      }
      refresh();
    };
    socket.on("connect", onConnect);
    if (socket.connected) {
      // another of its name is mounted: what it holds, or its answer on the way, is this one's too
      const shared = kept !== null && kept.mounted > 0 && (kept.data !== null || kept.loading > 0);
      const unchanged =
        kept !== null &&
        counts !== null &&
        kept.data !== null &&
        kept.loading === 0 &&
        kept.seen === heardOf(counts, kept.follows);
      if (kept !== null && !kept.stale && (shared || unchanged)) setState(kept.data as T | null);
      else refresh();
    }
    const listener = setState as (data: unknown) => void;
    if (kept) {
      kept.mounted += 1;
      kept.listeners.add(listener);
      kept.follows = follows;
    }
    return () => {
      socket.off("connect", onConnect);
      if (kept && counts) {
        kept.mounted -= 1;
        kept.listeners.delete(listener);
        if (kept.mounted === 0) {
          kept.seen = heardOf(counts, kept.follows);
          // an answer that comes after this is no one's (and not the kept copy's)
          kept.asked += 1;
        }
      } else own.current.asked += 1;
    };
  }, [socket, refresh, kept, events, changes, ...key]);

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
        if (accept !== true && !accept?.(payload)) return;
        if (kept && typeof payload === "object" && payload !== null) {
          // one request per name and event: the others of its name that heard it get its answer
          if (kept.cause === payload) return;
          kept.cause = payload;
        }
        soon();
      };
      socket.on(event as ServerEvent, listener as never);
      return [event, listener] as const;
    });
    return () => {
      if (timer) {
        clearTimeout(timer);
        // the event that called for it changed what is held, and no answer will say how
        if (kept) kept.stale = true;
      }
      for (const [event, listener] of listeners) socket.off(event as ServerEvent, listener as never);
    };
  }, [socket, events, debounceMs, refresh, latestRefreshOn, kept]);

  useEffect(() => {
    if (!socket || changes === "") return;
    const listeners = changes.split(" ").map((event) => {
      const listener = (payload: unknown) => {
        const change = latestApply.current[event as ServerEvent] as ((d: T | null, p: unknown) => T | null) | undefined;
        if (!change) return;
        if (kept && typeof payload === "object" && payload !== null) {
          // once per name: the others of its name that heard it share the copy it changed
          if (kept.applied === payload) return;
          kept.applied = payload;
        }
        const asking = kept ?? own.current;
        if (asking.loading > 0) asking.crossed.push([change as (d: unknown, p: unknown) => unknown, payload]);
        setData((was) => change(was, payload));
      };
      socket.on(event as ServerEvent, listener as never);
      return [event, listener] as const;
    });
    return () => {
      for (const [event, listener] of listeners) socket.off(event as ServerEvent, listener as never);
    };
  }, [socket, changes, setData, latestApply, kept]);

  return { data, error, refresh, setData };
}
