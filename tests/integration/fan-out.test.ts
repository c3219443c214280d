// Many clients in many rooms: every message reaches every member of its room and nobody else.
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import type { WireMessage } from "../../server/protocol/index.ts";
import {
  closeSockets,
  connectAs,
  createUser,
  ok,
  settle,
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

it("10 rooms x 8 members, everyone sends: each socket gets exactly its room's messages", async () => {
  const ROOMS = 10;
  const MEMBERS = 8;
  const PER_MEMBER = 3;
  const users = await Promise.all(Array.from({ length: ROOMS * MEMBERS }, () => createUser(server)));
  const sockets = await Promise.all(users.map((u) => connectAs(server, u)));
  const received = sockets.map(() => [] as WireMessage[]);
  for (const [i, s] of sockets.entries()) s.on("message:new", (m) => received[i].push(m));

  const roomIds: string[] = [];
  for (let r = 0; r < ROOMS; r++) {
    const owner = sockets[r * MEMBERS];
    roomIds.push((await ok(owner, "room:create", { name: uniqueName(`fan${r}-`) })).room.id);
    await Promise.all(sockets.slice(r * MEMBERS + 1, (r + 1) * MEMBERS).map((s) => ok(s, "room:join", { roomId: roomIds[r] })));
  }

  await Promise.all(
    sockets.flatMap((s, i) =>
      Array.from({ length: PER_MEMBER }, (_, k) =>
        ok(s, "message:send", { roomId: roomIds[Math.floor(i / MEMBERS)], body: `from ${i} #${k}`, clientMsgId: `s${i}-${k}` }),
      ),
    ),
  );

  const perRoom = MEMBERS * PER_MEMBER;
  await waitFor(() => received.every((list) => list.length >= perRoom), 10_000, "every delivery");
  // every broadcast left before the round trip's answer: nothing more can be on its way
  await settle(...sockets);
  received.forEach((list, i) => {
    const roomId = roomIds[Math.floor(i / MEMBERS)];
    expect(list).toHaveLength(perRoom);
    expect(list.every((m) => m.roomId === roomId)).toBe(true);
    expect(list.map((m) => m.seq)).toEqual(Array.from({ length: perRoom }, (_, k) => k + 1));
  });
});
