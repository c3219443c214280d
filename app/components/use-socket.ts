"use client";

import { useEffect, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { Ack, ClientEvent, ClientToServerEvents, Input, Replies, ServerToClientEvents } from "@/server/realtime/events";

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionState = "connecting" | "connected" | "disconnected";

let shared: ChatSocket | null = null;

/** One socket per tab, shared by the pages it visits; the session cookie authenticates it. */
function sharedSocket(): ChatSocket {
  shared ??= io({ transports: ["websocket"], withCredentials: true, reconnectionDelayMax: 5000 });
  return shared;
}

export function useSocket(): { socket: ChatSocket; connection: ConnectionState } {
  const [socket] = useState(sharedSocket);
  const [connection, setConnection] = useState<ConnectionState>(socket.connected ? "connected" : "connecting");
  useEffect(() => {
    const up = () => setConnection("connected");
    const down = () => setConnection("disconnected");
    socket.on("connect", up);
    socket.on("disconnect", down);
    socket.on("connect_error", down);
    if (socket.connected) up();
    return () => {
      socket.off("connect", up);
      socket.off("disconnect", down);
      socket.off("connect_error", down);
    };
  }, [socket]);
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
export async function call<E extends ClientEvent>(socket: ChatSocket, event: E, payload: Input<E>, timeoutMs = 10_000): Promise<Replies[E]> {
  let reply: Ack<Replies[E]>;
  try {
    reply = await (socket.timeout(timeoutMs) as unknown as { emitWithAck(e: E, p: Input<E>): Promise<Ack<Replies[E]>> }).emitWithAck(event, payload);
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
