"use client";

import { useEffect, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { Ack, ClientEvent, ClientToServerEvents, Input, Replies, ServerToClientEvents } from "@/server/protocol";

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionState = "connecting" | "connected" | "disconnected";

let shared: ChatSocket | null = null;

/** One socket per tab, shared by the pages it visits; the session cookie authenticates it. */
function sharedSocket(): ChatSocket {
  if (shared) return shared;
  const socket: ChatSocket = io({ transports: ["websocket"], withCredentials: true, reconnectionDelayMax: 5000 });
  // A lost network can leave a websocket looking open until the heartbeat times out. When the
  // browser knows it is offline, drop the transport now: the page says so at once, and the
  // manager's reconnection (with backoff) takes over until the network is back.
  window.addEventListener("offline", () => socket.io.engine?.close());
  shared = socket;
  return socket;
}

/** The tab's socket (null during the server render and the first paint) and its state. */
export function useSocket(): { socket: ChatSocket | null; connection: ConnectionState } {
  const [socket, setSocket] = useState<ChatSocket | null>(null);
  const [connection, setConnection] = useState<ConnectionState>("connecting");
  useEffect(() => {
    const s = sharedSocket();
    const up = () => setConnection("connected");
    const down = () => setConnection("disconnected");
    s.on("connect", up);
    s.on("disconnect", down);
    s.on("connect_error", down);
    if (s.connected) up();
    setSocket(s);
    return () => {
      s.off("connect", up);
      s.off("disconnect", down);
      s.off("connect_error", down);
    };
  }, []);
  return { socket, connection };
}

export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Sends a request and resolves with its successful reply; rejects with a RequestError. */
export async function call<E extends ClientEvent>(
  socket: ChatSocket,
  event: E,
  payload: Input<E>,
  timeoutMs = 10_000,
): Promise<Replies[E]> {
  let reply: Ack<Replies[E]>;
  try {
    reply = await (
      socket.timeout(timeoutMs) as unknown as { emitWithAck(e: E, p: Input<E>): Promise<Ack<Replies[E]>> }
    ).emitWithAck(event, payload);
  } catch {
    throw new RequestError("timeout", "No answer from the server. Check your connection.");
  }
  if (!reply.ok) throw new RequestError(reply.error.code, reply.error.message);
  return reply;
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function formatRelative(iso: string | null): string {
  if (!iso) return "No messages yet";
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return new Date(iso).toLocaleDateString([], { month: "short", day: "numeric" });
}
