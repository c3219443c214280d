// "Someone is typing" over the wire (issue 11): a signal without an answer, passed on to the
// others in the room or conversation only, at most every 2 s per connection; nonsense is dropped.
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { closeSockets, collect, connectAs, createUser, ok, startServer, type TestServer, uniqueName } from "../helpers/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

const settle = () => new Promise((r) => setTimeout(r, 300));

it("goes to the room's other members only, at most every 2 s per connection", async () => {
  const [alice, bob, carol] = await Promise.all([createUser(server), createUser(server), createUser(server)]);
  const a = await connectAs(server, alice);
  const aliceElsewhere = await connectAs(server, alice);
  const b = await connectAs(server, bob);
  const c = await connectAs(server, carol);
  const { room } = await ok(a, "room:create", { name: uniqueName("typing") });
  await ok(b, "room:join", { roomId: room.id });
  const [atBob, atCarol, atAliceElsewhere] = [collect(b, "typing"), collect(c, "typing"), collect(aliceElsewhere, "typing")];

  a.emit("typing", { roomId: room.id });
  a.emit("typing", { roomId: room.id }); // too soon: dropped
  await settle();
  expect(atBob).toEqual([{ roomId: room.id, user: { id: alice.id, username: alice.username } }]);
  expect(atCarol).toEqual([]);
  expect(atAliceElsewhere).toEqual([]);

  // from outside the room, or nonsense: nothing, and no error either
  const errors = collect(c, "app:error");
  c.emit("typing", { roomId: room.id });
  c.emit("typing", { roomId: 42 } as never);
  c.emit("typing", null as never);
  await settle();
  expect(atBob).toHaveLength(1);
  expect(errors).toEqual([]);
  // and the connection still works
  expect((await ok(c, "room:list", {})).rooms.length).toBeGreaterThan(0);
});

it("goes to the other participant of a private conversation", async () => {
  const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
  const a = await connectAs(server, alice);
  const { message } = await ok(a, "dm:send", { toUsername: bob.username, body: "hi", clientMsgId: "t1" });
  const b = await connectAs(server, bob);
  const atBob = collect(b, "dm:typing");
  a.emit("dm:typing", { conversationId: message.conversationId });
  await settle();
  expect(atBob).toEqual([{ conversationId: message.conversationId, user: { id: alice.id, username: alice.username } }]);
});
