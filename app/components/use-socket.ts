"use client";

import { useEffect, useState } from "react";
import { io } from "socket.io-client";
import type { ProtocolSocket } from "@/server/protocol";
import { oneByOne } from "@/server/protocol/delivery";

export type ChatSocket = ProtocolSocket;
export type ConnectionState = "connecting" | "connected" | "disconnected";

let shared: ChatSocket | null = null;

/** One socket per tab, shared by the pages it visits; the session cookie authenticates it. */
function sharedSocket(): ChatSocket {
  if (shared) return shared;
  const socket: ChatSocket = io({ transports: ["websocket"], withCredentials: true, reconnectionDelayMax: 5000 });
  // the page's parts listen to message:new alone: batches and my own sends reach them one by one
  oneByOne(socket);
  // A lost network can leave a websocket looking open until the heartbeat times out. When the
  // browser knows it is offline, drop the transport now: the page says so at once, and the
  // manager's reconnection (with backoff) takes over until the network is back.
  window.addEventListener("offline", () => socket.io.engine?.close());
  // The server closed the connection: this session was signed out (elsewhere, or everywhere), or
  // the server is restarting. Ask again: a refusal below says which.
  socket.on("disconnect", (reason) => {
    if (reason === "io server disconnect") socket.connect();
  });
  socket.on("connect_error", (error: Error & { data?: { code?: string } }) => {
    if (error.data?.code === "unauthorized") {
      // the session is over: sign in again, and come back here
      const back = `${window.location.pathname}${window.location.search}`;
      window.location.assign(`/login?callbackUrl=${encodeURIComponent(back)}`);
    } else if (error.data?.code) {
      // refused for another reason (the server could not check the session): try again shortly
      setTimeout(() => socket.connect(), 3000);
    }
  });
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

/**
 * Runs `work` with the tab's socket closed, then opens it again: for a change that signs this
 * session out and in again (a new password), so the socket does not reconnect in between with
 * the old session and send the page to sign-in.
 */
export async function withSocketClosed<T>(work: () => Promise<T>): Promise<T> {
  shared?.disconnect();
  try {
    return await work();
  } finally {
    shared?.connect();
  }
}
