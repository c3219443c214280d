// Mentions over the wire (issue 13): who a message mentions is found when it is stored (members
// only, any case, not in code), carried by the message, re-found on an edit, and counted for each
// member among what they have not read: by name, @here if they were online, @room always.
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

it("finds members mentioned by name, @here and @room, and counts them per member until read", async () => {
  const [alice, bob, carol, dave] = await Promise.all([
    createUser(server),
    createUser(server),
    createUser(server),
    createUser(server),
  ]);
  const a = await connectAs(server, alice);
  const b = await connectAs(server, bob);
  const { room } = await ok(a, "room:create", { name: uniqueName("mentions") });
  const roomId = room.id;
  await ok(b, "room:join", { roomId });
  const c = await connectAs(server, carol);
  await ok(c, "room:join", { roomId });
  // carol goes offline (alice hears of it): @here will not reach her
  const gone = collect(a, "presence:changed");
  c.disconnect();
  await waitFor(() => gone.some((e) => e.userId === carol.id && !e.online), 5000, "carol offline");
  const live = collect(b, "message:new");

  // bob by name in another case; dave is no member; carol only inside code
  const first = await ok(a, "message:send", {
    roomId,
    body: `hi @${bob.username.toUpperCase()} and @${dave.username}, see \`@${carol.username}\``,
    clientMsgId: "m1",
  });
  expect(first.message.mentions).toEqual({ users: [bob.id], names: [bob.username.toLowerCase()], room: false, here: false });
  await waitFor(() => live.length === 1);
  expect(live[0].mentions.users).toEqual([bob.id]);
  // @here reaches who is online now (bob), not carol; @room reaches everyone
  await ok(a, "message:send", { roomId, body: "@here standup in 5", clientMsgId: "m2" });
  await ok(a, "message:send", { roomId, body: "lunch, @room?", clientMsgId: "m3" });
  await ok(a, "message:send", { roomId, body: "no one called here", clientMsgId: "m4" });
  // my own mention of myself is never unread for me
  await ok(a, "message:send", { roomId, body: `note to self @${alice.username}`, clientMsgId: "m5" });

  const mine = async (socket: typeof a) => (await ok(socket, "room:mine", {})).rooms.find((r) => r.id === roomId);
  expect(await mine(b)).toMatchObject({ unread: 5, mentions: 3 });
  expect(await mine(a)).toMatchObject({ unread: 0, mentions: 0 });
  const c2 = await connectAs(server, carol);
  expect(await mine(c2)).toMatchObject({ unread: 5, mentions: 1 });
  expect((await ok(c2, "room:list", {})).rooms.find((r) => r.id === roomId)).toMatchObject({ mentions: 1 });
  expect((await ok(c2, "user:unread", {})).rooms).toContainEqual({
    roomId,
    lastSeq: 5,
    unread: 5,
    mentions: 1,
    notify: "mentions",
  });

  // reading moves the count with the mark, both ways
  expect(await ok(b, "room:read", { roomId, seq: 2 })).toMatchObject({ lastReadSeq: 2, unread: 3, mentions: 1 });
  expect(await ok(b, "room:unread", { roomId, seq: 1 })).toMatchObject({ lastReadSeq: 0, unread: 5, mentions: 3 });
  expect(await ok(b, "room:read", { roomId, seq: 5 })).toMatchObject({ lastReadSeq: 5, unread: 0, mentions: 0 });

  // an edit mentions whom its new text mentions; a deleted message no one
  const edited = await ok(a, "message:edit", { roomId, messageId: first.message.id, body: `now @${carol.username}` });
  expect(edited.message.mentions.users).toEqual([carol.id]);
  expect(await mine(c2)).toMatchObject({ mentions: 2 });
  const deleted = await ok(a, "message:delete", { roomId, messageId: first.message.id });
  expect(deleted.message.mentions).toEqual({ users: [], names: [], room: false, here: false });
  expect(await mine(c2)).toMatchObject({ mentions: 1 });
  // and history carries them
  const history = await ok(b, "room:history", { roomId, limit: 10 });
  expect(history.messages.map((m) => [m.body, m.mentions.room, m.mentions.here])).toContainEqual(["lunch, @room?", true, false]);
});

it("counts every unread private message as a mention", async () => {
  const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
  const a = await connectAs(server, alice);
  const sent = await ok(a, "dm:send", { toUsername: bob.username, body: "are you there?", clientMsgId: "d1" });
  await ok(a, "dm:send", { conversationId: sent.message.conversationId, body: "ping", clientMsgId: "d2" });
  const b = await connectAs(server, bob);
  expect(await ok(b, "dm:read", { conversationId: sent.message.conversationId, seq: 1 })).toMatchObject({
    lastReadSeq: 1,
    unread: 1,
    mentions: 1,
  });
});

it("keeps each member's notification setting of a room, tells their other connections, and refuses others", async () => {
  const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
  const a = await connectAs(server, alice);
  const aOther = await connectAs(server, alice);
  const b = await connectAs(server, bob);
  const { room } = await ok(a, "room:create", { name: uniqueName("quiet") });
  expect(room.notify).toBe("mentions");
  expect(await ok(a, "room:settings", { roomId: room.id })).toMatchObject({ settings: { notify: "mentions" } });

  const told = collect(aOther, "room:settings");
  expect(await ok(a, "room:settings", { roomId: room.id, notify: "nothing" })).toMatchObject({ settings: { notify: "nothing" } });
  await waitFor(() => told.length === 1);
  expect(told[0]).toEqual({ roomId: room.id, settings: { notify: "nothing" } });
  expect((await ok(aOther, "room:mine", {})).rooms.find((r) => r.id === room.id)?.notify).toBe("nothing");
  // a muted room is listed for the tab's title even with nothing unread (so new messages there are left out)
  expect((await ok(a, "user:unread", {})).rooms).toContainEqual({
    roomId: room.id,
    lastSeq: 0,
    unread: 0,
    mentions: 0,
    notify: "nothing",
  });

  // bob's own setting is his: joining starts at the default
  const joined = await ok(b, "room:join", { roomId: room.id });
  expect(joined.room.notify).toBe("mentions");
  await ok(b, "message:send", { roomId: room.id, body: "hello", clientMsgId: "q1" });
  expect((await ok(a, "user:unread", {})).rooms).toContainEqual({
    roomId: room.id,
    lastSeq: 1,
    unread: 1,
    mentions: 0,
    notify: "nothing",
  });

  const wrong = await request(a, "room:settings", { roomId: room.id, notify: "loud" as "all" });
  expect(!wrong.ok && wrong.error.code).toBe("invalid_input");
  const [carol] = await Promise.all([createUser(server)]);
  const outsider = await request(await connectAs(server, carol), "room:settings", { roomId: room.id, notify: "all" });
  expect(!outsider.ok && outsider.error.code).toBe("forbidden");
});

it("keeps each person's notification settings, told to their other connections, and refuses bad ones", async () => {
  const alice = await createUser(server);
  const a = await connectAs(server, alice);
  const other = await connectAs(server, alice);
  expect(await ok(a, "user:settings", {})).toMatchObject({
    settings: { desktop: false, push: false, sound: false, quietHours: null, timeZone: "UTC" },
  });
  const told = collect(other, "user:settings");
  const changed = await ok(a, "user:settings", {
    desktop: true,
    quietHours: { from: "22:00", to: "07:30" },
    timeZone: "Europe/Moscow",
  });
  expect(changed.settings).toEqual({
    desktop: true,
    push: false,
    sound: false,
    quietHours: { from: "22:00", to: "07:30" },
    timeZone: "Europe/Moscow",
  });
  await waitFor(() => told.length === 1);
  expect(told[0].settings).toEqual(changed.settings);
  // a change keeps the rest
  expect((await ok(other, "user:settings", { sound: true })).settings).toMatchObject({
    desktop: true,
    sound: true,
    timeZone: "Europe/Moscow",
  });
  expect((await ok(await connectAs(server, alice), "user:settings", { quietHours: null })).settings.quietHours).toBeNull();

  for (const bad of [{ quietHours: { from: "25:00", to: "07:00" } }, { timeZone: "Mars/Olympus" }, { loud: true }]) {
    const refused = await request(a, "user:settings", bad as unknown as { sound: boolean });
    expect(!refused.ok && refused.error.code).toBe("invalid_input");
  }
  const time = await request(a, "user:settings", { quietHours: { from: "9:00", to: "17:00" } });
  expect(!time.ok && time.error.message).toBe("A time is HH:MM, from 00:00 to 23:59");
});
