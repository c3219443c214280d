// A client that stops reading its socket (a frozen tab, a hostile script) makes the server queue
// everything sent to it: in engine.io's write buffer while the websocket is busy, and in the
// websocket's own buffer once the kernel's is full. Unbounded, one such client can take the
// server's memory. Every second, a connection that held more than the cap at two checks in a row
// is closed: the client reconnects and catches up by seq (docs/protocol.md, "Slow clients"). A
// burst (a room's backlog when Redis comes back) can pass the cap for a moment; a client that
// reads drains it before the next check.
import type { Logger } from "../log.ts";
import type { KomnataServer } from "./context.ts";

/** What one connection may have waiting to be sent, in frames and in bytes. */
export const SEND_BUFFER_CAP = { packets: 5000, bytes: 4 * 1024 * 1024 };

type Conn = {
  writeBuffer?: unknown[];
  transport?: { socket?: { bufferedAmount?: number; terminate?(): void } };
  close(discard: boolean): void;
};

/** Starts the check; returns what stops it. */
export function closeSlowReaders(io: KomnataServer, log: Logger, cap = SEND_BUFFER_CAP, everyMs = 1000): () => void {
  /** connections over the cap at the last check */
  let over = new Set<string>();
  const timer = setInterval(() => {
    const now = new Set<string>();
    for (const socket of io.of("/").sockets.values()) {
      const conn = socket.conn as unknown as Conn;
      const packets = conn.writeBuffer?.length ?? 0;
      const bytes = conn.transport?.socket?.bufferedAmount ?? 0;
      if (packets <= cap.packets && bytes <= cap.bytes) continue;
      now.add(socket.id);
      if (!over.has(socket.id)) continue;
      log.warn(
        { userId: socket.data.user?.id, socketId: socket.id, packets, bytes },
        "closing a connection that stopped reading",
      );
      // A websocket's close handshake would wait behind what the client is not reading (for up
      // to 30 s); terminating frees the buffers at once. Socket.IO sees a transport close.
      const ws = conn.transport?.socket;
      if (ws?.terminate) ws.terminate();
      else conn.close(true);
    }
    over = now;
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
