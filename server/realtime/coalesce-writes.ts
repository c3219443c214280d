// engine.io writes each queued packet of a connection as its own WebSocket frame, and `ws` hands
// each frame to the kernel in its own writev: under load a member of a busy room gets several
// messages per event-loop turn, and as many system calls. Corking the TCP socket around one
// flush of the queue hands them to the kernel together. Frames and their order are unchanged.
// What this relies on, and the test that notices when an upgrade moves it: docs/decisions/008.
import { transports } from "engine.io";

type RawSocket = { cork(): void; uncork(): void };
type WebSocketTransport = { socket?: { _socket?: RawSocket }; send(packets: unknown[]): void };

let installed = false;

export function coalesceWebSocketWrites(): void {
  if (installed) return;
  installed = true;
  const proto = (transports as unknown as { websocket: { prototype: WebSocketTransport } }).websocket.prototype;
  const send = proto.send;
  // named, so tests/integration/socket-internals.test.ts can tell the patch is in place
  proto.send = function coalescedSend(this: WebSocketTransport, packets: unknown[]) {
    const raw = packets.length > 1 ? this.socket?._socket : undefined;
    if (!raw) return send.call(this, packets);
    raw.cork();
    try {
      send.call(this, packets);
    } finally {
      raw.uncork();
    }
  };
}
