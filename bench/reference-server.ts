// The reference: the least a Node broadcast server can do. Raw `ws`, no compression, no auth,
// no persistence; a room's broadcast is serialized once and written to every socket in it.
// Every Komnata figure in the benchmark is a ratio to this one, measured in the same run.
//
//   connect  ws://host:port/?room=NAME
//   send     {"body": "..."}      (any text frame)
//   receive  {"room": "NAME", "body": "..."}   to every socket in the room, the sender's included
//
// With REFERENCE_DROP_EVERY=N it drops every Nth broadcast: only the harness self-test uses it,
// to prove that the load generator notices loss.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

export interface ReferenceServer {
  port: number;
  close(): Promise<void>;
}

export async function startReferenceServer(port = 0, dropEvery = 0): Promise<ReferenceServer> {
  const http = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false, maxPayload: 64 * 1024 });
  const rooms = new Map<string, Set<WebSocket>>();
  let broadcasts = 0;

  wss.on("connection", (socket, req) => {
    const room = new URL(req.url ?? "/", "http://x").searchParams.get("room") ?? "lobby";
    const members = rooms.get(room) ?? new Set<WebSocket>();
    rooms.set(room, members);
    members.add(socket);
    socket.on("message", (data) => {
      broadcasts += 1;
      if (dropEvery > 0 && broadcasts % dropEvery === 0) return;
      let body: unknown;
      try {
        body = (JSON.parse(String(data)) as { body?: unknown }).body;
      } catch {
        return;
      }
      const frame = JSON.stringify({ room, body });
      for (const member of members) member.send(frame);
    });
    socket.on("close", () => members.delete(socket));
    socket.on("error", () => socket.terminate());
  });

  await new Promise<void>((resolve) => http.listen(port, "127.0.0.1", resolve));
  return {
    port: (http.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => http.close(() => resolve()));
      }),
  };
}
