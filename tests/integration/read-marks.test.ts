// Unread counts in rooms (issue 11): each member's read mark, moved forward as they read (and
// past what they write), back for "mark as unread", told to all their connections; room:list
// counts what lies after it, for each member their own.
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
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

it("counts each member's unread messages, their own excluded, and moves the mark on reading and back on 'mark as unread'", async () => {
  const [alice, bob, carol] = await Promise.all([createUser(server), createUser(server), createUser(server)]);
  const a = await connectAs(server, alice);
  const b = await connectAs(server, bob);
  const { room } = await ok(a, "room:create", { name: uniqueName("unread") });
  expect(room).toMatchObject({ unread: 0, lastReadSeq: 0 });
  for (let i = 1; i <= 3; i++) await ok(a, "message:send", { roomId: room.id, body: `before ${i}`, clientMsgId: `b${i}` });

  // a newcomer starts with the room read
  const joined = await ok(b, "room:join", { roomId: room.id });
  expect(joined.room).toMatchObject({ lastReadSeq: 3, unread: 0 });
  for (let i = 1; i <= 4; i++) await ok(a, "message:send", { roomId: room.id, body: `after ${i}`, clientMsgId: `a${i}` });

  const listed = async (socket: typeof a) => (await ok(socket, "room:list", {})).rooms.find((r) => r.id === room.id);
  expect(await listed(b)).toMatchObject({ unread: 4, lastReadSeq: 3 });
  // what you write is read for you, and so is what came before it
  expect(await listed(a)).toMatchObject({ unread: 0, lastReadSeq: 7 });
  // not a member: no count at all
  const c = await connectAs(server, carol);
  const forCarol = await listed(c);
  expect(forCarol).not.toHaveProperty("unread");
  expect(forCarol).not.toHaveProperty("lastReadSeq");
  expect(await request(c, "room:read", { roomId: room.id, seq: 7 })).toMatchObject({ ok: false, error: { code: "forbidden" } });

  // reading on one connection is heard on every other of Bob's
  const bobElsewhere = await connectAs(server, bob);
  const heard = collect(bobElsewhere, "room:read");
  expect(await ok(b, "room:read", { roomId: room.id, seq: 5 })).toMatchObject({ lastReadSeq: 5, unread: 2 });
  await waitFor(() => heard.length === 1, 5000, "room:read");
  expect(heard[0]).toEqual({ roomId: room.id, lastReadSeq: 5, unread: 2, mentions: 0 });
  // forward only, and never past the last message
  expect(await ok(b, "room:read", { roomId: room.id, seq: 2 })).toMatchObject({ lastReadSeq: 5, unread: 2 });
  expect(await ok(b, "room:read", { roomId: room.id, seq: 999 })).toMatchObject({ lastReadSeq: 7, unread: 0 });
  // mark as unread from message 6: the mark goes back to just before it
  expect(await ok(b, "room:unread", { roomId: room.id, seq: 6 })).toMatchObject({ lastReadSeq: 5, unread: 2 });
  expect(await listed(b)).toMatchObject({ unread: 2, lastReadSeq: 5 });
  expect((await ok(b, "room:get", { roomId: room.id })).room).toMatchObject({ unread: 2, lastReadSeq: 5 });
  // Alice's count is her own
  expect(await listed(a)).toMatchObject({ unread: 0 });
});

it("does the same in a private conversation: dm:read forward, dm:unread back, every tab of the reader told", async () => {
  const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
  const a = await connectAs(server, alice);
  const b = await connectAs(server, bob);
  const otherTab = await connectAs(server, bob);
  const told = collect(otherTab, "dm:read");
  let conversationId = "";
  for (let i = 1; i <= 5; i++) {
    const target = conversationId ? { conversationId } : { toUsername: bob.username };
    conversationId = (await ok(a, "dm:send", { ...target, body: `m${i}`, clientMsgId: `m${i}` })).message.conversationId;
  }
  const unreadFor = async (socket: typeof a) =>
    (await ok(socket, "dm:list", {})).conversations.find((c) => c.id === conversationId)?.unread;
  expect(await unreadFor(b)).toBe(5);
  expect(await ok(b, "dm:read", { conversationId, seq: 4 })).toMatchObject({ lastReadSeq: 4, unread: 1 });
  expect(await ok(b, "dm:unread", { conversationId, seq: 2 })).toMatchObject({ lastReadSeq: 1, unread: 4 });
  // "mark as unread" never moves the mark forward, reading never back
  expect(await ok(b, "dm:unread", { conversationId, seq: 5 })).toMatchObject({ lastReadSeq: 1, unread: 4 });
  expect(await ok(b, "dm:read", { conversationId, seq: 0 })).toMatchObject({ lastReadSeq: 1, unread: 4 });
  expect(await unreadFor(b)).toBe(4);
  expect(await unreadFor(a)).toBe(0);
  await waitFor(() => told.length === 4, 5000, "dm:read on the other tab");
  expect(told.map((e) => [e.conversationId, e.lastReadSeq])).toEqual([
    [conversationId, 4],
    [conversationId, 1],
    [conversationId, 1],
    [conversationId, 1],
  ]);
  const stranger = await connectAs(server, await createUser(server));
  expect(await request(stranger, "dm:unread", { conversationId, seq: 1 })).toMatchObject({
    ok: false,
    error: { code: "forbidden" },
  });
});

it("user:unread lists each room and conversation with unread messages, for the asker only", async () => {
  const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
  const a = await connectAs(server, alice);
  const b = await connectAs(server, bob);
  const { room } = await ok(a, "room:create", { name: uniqueName("count") });
  const quiet = await ok(a, "room:create", { name: uniqueName("quiet") });
  await ok(b, "room:join", { roomId: room.id });
  await ok(b, "room:join", { roomId: quiet.room.id });
  for (let i = 1; i <= 3; i++) await ok(a, "message:send", { roomId: room.id, body: `r${i}`, clientMsgId: `r${i}` });
  const { message } = await ok(a, "dm:send", { toUsername: bob.username, body: "psst", clientMsgId: "p" });
  // with each one's last seq: a client tells a message it counted already from a new one
  expect(await ok(b, "user:unread", {})).toEqual({
    ok: true,
    rooms: [{ roomId: room.id, lastSeq: 3, unread: 3, mentions: 0, notify: "mentions" }],
    conversations: [{ conversationId: message.conversationId, lastSeq: 1, unread: 1 }],
  });
  const summaries = [(await ok(b, "room:mine", {})).rooms, (await ok(b, "room:list", {})).rooms];
  for (const rooms of summaries) {
    expect(rooms.find((r) => r.id === room.id)).toMatchObject({ lastSeq: 3, unread: 3 });
    expect(rooms.find((r) => r.id === quiet.room.id)).toMatchObject({ lastSeq: 0, unread: 0 });
  }
  expect(await ok(a, "user:unread", {})).toMatchObject({ rooms: [], conversations: [] });
  await ok(b, "room:read", { roomId: room.id, seq: 3 });
  expect((await ok(b, "user:unread", {})).rooms).toEqual([]);
});
