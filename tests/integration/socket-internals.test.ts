// Canaries for the engine.io and Socket.IO internals Komnata reaches into (docs/decisions/008).
// Each fails when an upgrade moves what the server patches or trims, so the change is noticed
// here instead of as a silent loss of the memory or system-call savings.
import { transports } from "engine.io";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { roomChannel } from "../../server/realtime/context.ts";
import { closeSockets, connectAs, createUser, ok, startServer, type TestServer, uniqueName, waitFor } from "../helpers/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

type RawSocket = { cork(): void; uncork(): void };
type Connection = {
  transport: { name: string; socket?: { _socket?: RawSocket } };
  request: unknown;
};

/** The server side of the only connection `userId` has. */
async function serverSideOf(userId: string) {
  const [remote] = await server.komnata.io.in(`user:${userId}`).fetchSockets();
  const socket = server.komnata.io.of("/").sockets.get(remote.id);
  if (!socket) throw new Error("the socket is not on this node");
  return socket;
}

describe("engine.io internals (coalesce-writes.ts)", () => {
  it("still sends a flush as one array through the websocket transport's send, over a raw socket that corks", async () => {
    const user = await createUser(server);
    const client = await connectAs(server, user);
    const { room } = await ok(client, "room:create", { name: uniqueName("canary") });
    const conn = (await serverSideOf(user.id)).conn as unknown as Connection;
    expect(conn.transport.name).toBe("websocket");
    const raw = conn.transport.socket?._socket;
    expect(typeof raw?.cork).toBe("function");
    expect(typeof raw?.uncork).toBe("function");

    // the patch is installed on the prototype the transport uses
    const proto = (transports as unknown as { websocket: { prototype: { send: { name: string } } } }).websocket.prototype;
    expect(Object.getPrototypeOf(conn.transport)).toBe(proto);
    expect(proto.send.name).toBe("coalescedSend");

    // ten emits in one turn: engine.io writes the first at once and the other nine as one flush,
    // which the patch corks, so the kernel gets them in one system call. Each time the socket
    // is uncorked to depth 0, whatever was written goes out.
    let flushes = 0;
    const socket = raw as RawSocket & { writableCorked: number };
    const uncork = socket.uncork;
    socket.uncork = function (this: typeof socket) {
      uncork.call(this);
      if (this.writableCorked === 0) flushes += 1;
    };
    const seen: string[] = [];
    client.on("room:member-left", (e) => seen.push(e.userId));
    const ids = Array.from({ length: 10 }, (_, i) => `u${i}`);
    for (const userId of ids)
      server.komnata.io.to(roomChannel(room.id)).emit("room:member-left", { roomId: room.id, userId, memberCount: 1 });
    await waitFor(() => seen.length === 10, 5000, "the ten events");
    socket.uncork = uncork;
    expect(seen).toEqual(ids);
    // without the patch: one flush per frame
    expect(flushes).toBeLessThanOrEqual(3);
  });
});

describe("Socket.IO internals (io.ts)", () => {
  it("still lets a connection drop its handshake request and headers once it is set up", async () => {
    const user = await createUser(server);
    await connectAs(server, user);
    const socket = await serverSideOf(user.id);
    expect((socket.conn as unknown as Connection).request).toBeNull();
    expect(socket.handshake.headers).toEqual({});
    // what the trimmed connection still needs is there
    expect(socket.data.user.id).toBe(user.id);
  });

  it("still reads one shared, frozen list of catch-all listeners, and keeps one error listener per connection", async () => {
    const [ann, bob] = [await createUser(server), await createUser(server)];
    const [annClient] = [await connectAs(server, ann), await connectAs(server, bob)];
    const [a, b] = [await serverSideOf(ann.id), await serverSideOf(bob.id)];
    type WithAny = { _anyListeners?: unknown[] };
    const shared = (a as unknown as WithAny)._anyListeners;
    expect(Object.isFrozen(shared)).toBe(true);
    expect(shared).toHaveLength(1);
    expect((b as unknown as WithAny)._anyListeners).toBe(shared);
    // Socket.IO reads it (a request is answered through it) and still has no listener of its own
    expect(a.listenersAny()).toBe(shared);
    await ok(annClient, "room:create", { name: uniqueName("any") });
    // ours replaced Socket.IO's no-op: an error on the connection is logged, not thrown
    expect(a.listeners("error")).toHaveLength(1);
    const local = a as unknown as { emitReserved(event: string, ...args: unknown[]): void };
    expect(() => local.emitReserved("error", new Error("canary"))).not.toThrow();
  });
});
