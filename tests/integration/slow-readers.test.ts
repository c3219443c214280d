// A client that never reads what it is sent must not grow the server's memory (issue 9): past
// the per-connection cap its connection is closed, and everyone else is unaffected.
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import WebSocket from "ws";
import { SEND_BUFFER_CAP } from "../../server/realtime/slow-readers.ts";
import { closeSockets, connectAs, createUser, ok, startServer, type TestServer, uniqueName, waitFor } from "../helpers/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

/** A Socket.IO client on a raw websocket that completes the handshake, then stops reading its socket. */
async function frozenClient(token: string): Promise<{ ws: WebSocket; id: string }> {
  const ws = new WebSocket(`${server.url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`, {
    perMessageDeflate: false,
  });
  const id = await new Promise<string>((resolve, reject) => {
    ws.on("error", reject);
    ws.on("message", (data) => {
      const text = String(data);
      if (text[0] === "0") ws.send(`40${JSON.stringify({ token })}`);
      else if (text.startsWith("40")) resolve((JSON.parse(text.slice(2)) as { sid: string }).sid);
    });
  });
  // from now on nothing is read: the kernel's buffers fill, then the server's
  (ws as unknown as { _socket: { pause(): void } })._socket.pause();
  return { ws, id };
}

it("closes a connection that stops reading once it holds more than its cap, and keeps serving the others", async () => {
  const [frozen, active] = await Promise.all([createUser(server), createUser(server)]);
  const a = await connectAs(server, active);
  const { room } = await ok(a, "room:create", { name: uniqueName("slow") });
  const { ws, id } = await frozenClient(frozen.token);
  const sockets = server.komnata.io.of("/").sockets;
  expect(sockets.has(id)).toBe(true);
  const victim = sockets.get(id);
  victim?.join(`room:${room.id}`);

  // far more than the cap, quickly: 64 KiB a frame
  const frame = { roomId: room.id, userId: "x".repeat(64 * 1024), memberCount: 1 };
  const frames = Math.ceil((SEND_BUFFER_CAP.bytes * 8) / (64 * 1024));
  for (let i = 0; i < frames; i++) victim?.emit("room:member-left", frame);

  await waitFor(() => !sockets.has(id), 10_000, "the frozen connection to be closed");
  expect(server.logs.some((l) => l.msg === "closing a connection that stopped reading")).toBe(true);
  // the others never noticed
  await ok(a, "message:send", { roomId: room.id, body: "still here", clientMsgId: "after-slow" });
  ws.terminate();
});
