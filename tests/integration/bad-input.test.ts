// Nothing a client does stops the server: every bad input gets an error ack (where one is
// possible) and a log line, and the connection and the server keep answering.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { ErrorBody } from "../../server/protocol/index.ts";
import {
  type ClientSocket,
  closeSockets,
  collect,
  connectAs,
  createUser,
  ok,
  request,
  startServer,
  type TestServer,
  type TestUser,
  uniqueName,
  waitFor,
} from "../helpers/server.ts";

let server: TestServer;
let alice: TestUser;
let a: ClientSocket;
let roomId: string;

beforeAll(async () => {
  server = await startServer();
  alice = await createUser(server);
});
beforeEach(async () => {
  a = await connectAs(server, alice);
  roomId = (await ok(a, "room:create", { name: uniqueName("bad") })).room.id;
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

/** The same socket still works, and so does a brand-new one. */
async function expectStillServing(socket: ClientSocket): Promise<void> {
  expect(socket.connected).toBe(true);
  await ok(socket, "message:send", { roomId, body: "still here", clientMsgId: `alive-${Math.random().toString(36).slice(2)}` });
  const fresh = await connectAs(server, alice);
  await ok(fresh, "room:list", {});
}

/** The socket without the typed contract, to send what a well-behaved client would not. */
const untyped = (socket: ClientSocket) => socket as unknown as { emit(event: string, ...args: unknown[]): void };

const emitRaw = (socket: ClientSocket, event: string, ...args: unknown[]) =>
  (
    socket as unknown as {
      timeout(ms: number): { emitWithAck(e: string, ...a: unknown[]): Promise<{ ok: boolean; error: ErrorBody }> };
    }
  )
    .timeout(5000)
    .emitWithAck(event, ...args);

describe("invalid payloads get invalid_input", () => {
  it.each([
    ["no payload", "message:send", undefined],
    ["a string payload", "message:send", "hello"],
    ["an array payload", "room:join", [1, 2]],
    ["a missing roomId", "message:send", { body: "x", clientMsgId: "a" }],
    ["a numeric body", "message:send", { roomId: "r", body: 5, clientMsgId: "a" }],
    ["an empty body after trimming", "message:send", { roomId: "r", body: "   \n ", clientMsgId: "a" }],
    ["a 4001-character body", "message:send", { roomId: "r", body: "x".repeat(4001), clientMsgId: "a" }],
    ["a bad clientMsgId", "message:send", { roomId: "r", body: "x", clientMsgId: "has spaces" }],
    ["a 65-character room name", "room:create", { name: "n".repeat(65) }],
    ["an empty room name", "room:create", { name: "  " }],
    ["a history limit over 100", "room:history", { roomId: "r", limit: 101 }],
    ["both beforeSeq and afterSeq", "room:history", { roomId: "r", beforeSeq: 5, afterSeq: 1, limit: 10 }],
    ["a seq past any message's", "room:history", { roomId: "r", beforeSeq: 2 ** 31 }],
    ["a rev past any change's", "room:sync", { roomId: "r", afterRev: 2 ** 31 }],
    ["extra keys in room:list", "room:list", { sneaky: true }],
  ])("%s", async (_what, event, payload) => {
    const reply = await emitRaw(a, event, payload);
    expect(reply).toEqual({ ok: false, error: { code: "invalid_input", message: expect.any(String) } });
    expect(server.logs.some((l) => l.msg === "request refused" && l.event === event && l.code === "invalid_input")).toBe(true);
    await expectStillServing(a);
  });

  it("a 4000-character body is accepted exactly as typed", async () => {
    const body = "ж".repeat(4000);
    const { message } = await ok(a, "message:send", { roomId, body, clientMsgId: "long" });
    expect(message.body).toBe(body);
  });
});

describe("other misbehaviour", () => {
  it("an unknown event gets an invalid_input ack", async () => {
    const reply = await emitRaw(a, "room:destroy", { roomId });
    expect(reply.ok).toBe(false);
    expect(reply.error.code).toBe("invalid_input");
    expect(reply.error.message).toContain("room:destroy");
    await expectStillServing(a);
  });

  it("an unknown event without an ack gets app:error", async () => {
    const errors = collect(a, "app:error");
    untyped(a).emit("nonsense");
    await waitFor(() => errors.length === 1, 5000, "app:error");
    expect(errors[0].error.code).toBe("invalid_input");
    await expectStillServing(a);
  });

  it("a request without an ack callback does nothing and gets app:error", async () => {
    const errors = collect(a, "app:error");
    untyped(a).emit("message:send", { roomId, body: "no ack", clientMsgId: "noack" });
    await waitFor(() => errors.length === 1, 5000, "app:error");
    expect(errors[0]).toMatchObject({ event: "message:send", error: { code: "invalid_input" } });
    expect(await server.komnata.database.db.message.count({ where: { roomId, clientMsgId: "noack" } })).toBe(0);
    expect(server.logs.some((l) => l.msg === "request without an ack callback ignored")).toBe(true);
    await expectStillServing(a);
  });

  it("an oversized frame closes only that connection; the server keeps serving", async () => {
    const victim = await connectAs(server, alice);
    const closed = new Promise<string>((resolve) => victim.once("disconnect", resolve));
    untyped(victim).emit("message:send", { roomId, body: "x".repeat(200_000), clientMsgId: "huge" });
    expect(await closed).toMatch(/transport (close|error)/);
    expect(await server.komnata.database.db.message.count({ where: { clientMsgId: "huge" } })).toBe(0);
    await expectStillServing(a);
  });

  it("a client that disconnects mid-send: the message is still stored and delivered", async () => {
    const bob = await createUser(server);
    const b = await connectAs(server, bob);
    await ok(b, "room:join", { roomId });
    const atBob = collect(b, "message:new");
    const leaver = await connectAs(server, alice);

    // Hold the write until the sender is gone, so the ack has nobody to go to.
    const { db } = server.komnata.database;
    const store = server.komnata.stores.rooms;
    const original = store.storeBatches.bind(store);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let writing = false;
    const spy = vi.spyOn(store, "storeBatches").mockImplementation(async (...args) => {
      writing = true;
      await released;
      return original(...args);
    });
    try {
      leaver.emit("message:send", { roomId, body: "sent then gone", clientMsgId: "gone" }, () => undefined);
      await waitFor(() => writing, 5000, "the write to start");
      const leaverId = leaver.id as string;
      leaver.disconnect();
      await waitFor(() => !server.komnata.io.of("/").sockets.has(leaverId), 5000, "the server to see the sender go");
      release();
      await waitFor(() => atBob.some((m) => m.clientMsgId === "gone"), 5000, "delivery");
    } finally {
      spy.mockRestore();
    }
    expect(await db.message.count({ where: { roomId, clientMsgId: "gone" } })).toBe(1);
    await expectStillServing(a);
  });

  it("an error thrown inside a handler becomes an internal ack without a stack", async () => {
    const spy = vi.spyOn(server.komnata.services.rooms, "list").mockRejectedValueOnce(new Error("disk on fire at /secret/path"));
    const reply = await request(a, "room:list", {});
    spy.mockRestore();
    expect(reply).toEqual({ ok: false, error: { code: "internal", message: expect.any(String) } });
    expect(JSON.stringify(reply)).not.toContain("secret/path");
    expect(server.logs.some((l) => l.msg === "request failed" && l.level === 50)).toBe(true);
    await expectStillServing(a);
  });

  it("a room that does not exist is not_found (joining it: forbidden, as a private room)", async () => {
    const reply = await request(a, "room:get", { roomId: "no-such-room" });
    expect(!reply.ok && reply.error.code).toBe("not_found");
    const join = await request(a, "room:join", { roomId: "no-such-room" });
    expect(!join.ok && join.error.code).toBe("forbidden");
    await expectStillServing(a);
  });

  it("a flooding client gets rate_limited, and every accepted message is stored", async () => {
    const flood = 300;
    const replies = await Promise.all(
      Array.from({ length: flood }, (_, i) =>
        request(a, "message:send", { roomId, body: `flood ${i}`, clientMsgId: `flood-${i}` }),
      ),
    );
    const accepted = replies.filter((r) => r.ok).length;
    const limited = replies.filter((r) => !r.ok && r.error.code === "rate_limited").length;
    expect(limited).toBeGreaterThan(0);
    expect(accepted + limited).toBe(flood);
    expect(await server.komnata.database.db.message.count({ where: { roomId, clientMsgId: { startsWith: "flood-" } } })).toBe(
      accepted,
    );
    await waitFor(() => server.komnata.services.posting.queued === 0, 5000, "queue drained");
    await expectStillServing(a);
  });

  it("too many wrong passwords for one username get 429 with Retry-After, even with the right password", async () => {
    const limited = await startServer({ LOGIN_MAX_FAILURES: "3" });
    try {
      const bob = await createUser(limited);
      const attempt = (password: string) =>
        fetch(`${limited.url}/api/token`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: bob.username, password }),
        });
      for (let i = 0; i < 3; i++) expect((await attempt("wrong password")).status).toBe(401);
      const blocked = await attempt(bob.password);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await blocked.json()).error).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/Too many/) });
      // an unknown username is limited the same way, so 429 does not reveal which names exist
      const ghost = uniqueName("ghost");
      for (let i = 0; i < 3; i++) {
        await fetch(`${limited.url}/api/token`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: ghost, password: "wrong password" }),
        });
      }
      const ghostBlocked = await fetch(`${limited.url}/api/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: ghost, password: "wrong password" }),
      });
      expect(ghostBlocked.status).toBe(429);
    } finally {
      await limited.close();
    }
  });
});

describe("what a refusal says", () => {
  it("is the rule's own sentence for people, and names the field only for what a client got wrong", async () => {
    const said = async (reply: Promise<{ ok: boolean; error?: ErrorBody }>) => (await reply).error?.message;
    expect(await said(request(a, "room:create", { name: "   " }))).toBe("Room name must be 1-64 characters");
    expect(await said(request(a, "message:send", { roomId, body: " ", clientMsgId: "e" }))).toBe("Message must not be empty");
    expect(await said(request(a, "message:send", { roomId: 7, body: "x", clientMsgId: "e" } as never))).toMatch(/^roomId: /);
    expect(await said(request(a, "message:send", { roomId, body: "x", clientMsgId: "" }))).toMatch(/^clientMsgId: /);
    const registered = await fetch(`${server.url}/api/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "ab", password: "long enough password" }),
    });
    expect(((await registered.json()) as { error: ErrorBody }).error.message).toBe("Username must be 3-32 characters");
  });
});
