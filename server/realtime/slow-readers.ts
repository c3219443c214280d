// A client that stops reading its socket (a frozen tab, a hostile script) makes the server queue
// everything sent to it: in engine.io's write buffer while the websocket is busy, and in the
// websocket's own buffer once the kernel's is full. Unbounded, one such client can take the
// server's memory. Every second, a connection holding more than the cap is closed: the client
// reconnects and catches up by seq (docs/protocol.md, "Slow clients").
import type { Logger } from "../log.ts";
import type { KomnataServer } from "./context.ts";

/** What one connection may have waiting to be sent, in frames and in bytes. */
export const SEND_BUFFER_CAP = { packets: 1000, bytes: 2 * 1024 * 1024 };

type Conn = {
  writeBuffer?: unknown[];
  transport?: { socket?: { bufferedAmount?: number; terminate?(): void } };
  close(discard: boolean): void;
};

/** Starts the check; returns what stops it. */
export function closeSlowReaders(io: KomnataServer, log: Logger, cap = SEND_BUFFER_CAP, everyMs = 1000): () => void {
  const timer = setInterval(() => {
    for (const socket of io.of("/").sockets.values()) {
      const conn = socket.conn as unknown as Conn;
      const packets = conn.writeBuffer?.length ?? 0;
      const bytes = conn.transport?.socket?.bufferedAmount ?? 0;
      if (packets <= cap.packets && bytes <= cap.bytes) continue;
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
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
