// Deleting a room (issues 12 and 15): its owner may delete it (the members are told it went), a
// server admin may, and anyone may once it is empty (rooms nobody is in do not stay in the lobby
// forever); everything in it goes (messages, files and their bytes), and everyone connected is told.
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import type { WireMessage } from "../../server/protocol/index.ts";
import {
  closeSockets,
  collect,
  connectAs,
  createUser,
  ok,
  request,
  startServer,
  type TestServer,
  uniqueName,
  waitFor,
} from "../helpers/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

it("lets its owner delete a room, and anyone once it is empty; everything in it goes", async () => {
  // the first account is the server's admin: someone else's, here
  await createUser(server);
  const [alice, bob, carol] = await Promise.all([createUser(server), createUser(server), createUser(server)]);
  const a = await connectAs(server, alice);
  const b = await connectAs(server, bob);
  const c = await connectAs(server, carol);
  const { room } = await ok(a, "room:create", { name: uniqueName("doomed") });
  expect(room.createdBy).toBe(alice.id);
  await ok(b, "room:join", { roomId: room.id });
  await ok(a, "message:send", { roomId: room.id, body: "soon gone", clientMsgId: "g" });
  const up = await fetch(`${server.url}/api/files?${new URLSearchParams({ roomId: room.id, name: "a.txt", clientMsgId: "f" })}`, {
    method: "POST",
    headers: { authorization: `Bearer ${alice.token}` },
    body: "bytes",
  });
  const fileId = ((await up.json()) as { message: WireMessage }).message.file?.id as string;
  const bytes = path.join(server.database.dir, "uploads", fileId.slice(0, 2), fileId);
  expect(existsSync(bytes)).toBe(true);

  // never by a member who is not its owner, nor by someone outside it
  for (const socket of [b, c]) {
    expect(await request(socket, "room:delete", { roomId: room.id })).toMatchObject({ ok: false, error: { code: "forbidden" } });
  }
  const told = collect(c, "room:deleted");
  const removed = collect(b, "room:removed");
  await ok(a, "room:delete", { roomId: room.id });
  await waitFor(() => told.length === 1 && removed.length === 1, 5000, "room:deleted and room:removed");
  expect(told[0]).toEqual({ roomId: room.id });
  expect(removed[0]).toEqual({ roomId: room.id, reason: "deleted" });
  expect((await ok(c, "room:list", {})).rooms.map((r) => r.id)).not.toContain(room.id);
  expect(await request(a, "room:join", { roomId: room.id })).toMatchObject({ ok: false, error: { code: "forbidden" } });
  expect(await request(a, "message:send", { roomId: room.id, body: "x", clientMsgId: "late" })).toMatchObject({
    ok: false,
  });
  const { db } = server.komnata.database;
  expect(await db.message.count({ where: { roomId: room.id } })).toBe(0);
  expect(await db.file.count({ where: { id: fileId } })).toBe(0);
  expect(existsSync(bytes)).toBe(false);
  expect((await fetch(`${server.url}/api/files/${fileId}`, { headers: { authorization: `Bearer ${alice.token}` } })).status).toBe(
    404,
  );

  // a room everyone has left: anyone may clear it away
  const { room: empty } = await ok(b, "room:create", { name: uniqueName("empty") });
  await ok(b, "room:leave", { roomId: empty.id });
  await ok(c, "room:delete", { roomId: empty.id });
  expect(await request(c, "room:delete", { roomId: empty.id })).toMatchObject({ ok: false, error: { code: "not_found" } });
});
