// One account cannot make the server do more than its share (issue 9): sends and other requests
// are limited per user, however many connections it opens; connections per user are capped; room
// creation is limited. Past each limit: rate_limited with retryAfter, and nothing is stored.
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import {
  closeSockets,
  connectAs,
  createUser,
  ok,
  openSocket,
  request,
  startServer,
  type TestServer,
  uniqueName,
} from "../helpers/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({
    SEND_RATE_PER_USER: "5",
    REQUEST_RATE_PER_USER: "10",
    ROOMS_PER_HOUR: "3",
    SOCKETS_PER_USER: "3",
    UPLOAD_QUOTA_MB: "0.1",
    UPLOADS_PER_MINUTE: "3",
  });
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

it("limits sends per user across all of their connections, and stores exactly what it accepted", async () => {
  const user = await createUser(server);
  const [a, b] = [await connectAs(server, user), await connectAs(server, user)];
  const { room } = await ok(a, "room:create", { name: uniqueName("flood") });
  await ok(b, "room:join", { roomId: room.id });
  // 20 a window from each of two connections: the user's 20 in 4 s are shared between them
  const replies = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      request(i % 2 ? a : b, "message:send", { roomId: room.id, body: `m${i}`, clientMsgId: `q${i}` }),
    ),
  );
  const accepted = replies.filter((r) => r.ok).length;
  expect(accepted).toBe(20);
  const refused = replies.find((r) => !r.ok);
  expect(refused && !refused.ok && refused.error).toMatchObject({ code: "rate_limited", retryAfter: expect.any(Number) });
  const page = await ok(a, "room:history", { roomId: room.id, limit: 100 });
  expect(page.messages).toHaveLength(20);
});

it("limits other requests per user, not per connection", async () => {
  const user = await createUser(server);
  const sockets = [await connectAs(server, user), await connectAs(server, user), await connectAs(server, user)];
  // 10 a second: bursts of 50
  const replies = await Promise.all(Array.from({ length: 60 }, (_, i) => request(sockets[i % 3], "room:list", {})));
  expect(replies.filter((r) => r.ok).length).toBe(50);
  expect(replies.filter((r) => !r.ok && r.error.code === "rate_limited").length).toBe(10);
});

it("caps the connections of one account", async () => {
  const user = await createUser(server);
  for (let i = 0; i < 3; i++) await connectAs(server, user);
  const fourth = openSocket(server, { token: user.token });
  const error = await new Promise<Error & { data?: { code: string; retryAfter?: number } }>((resolve) =>
    fourth.once("connect_error", resolve),
  );
  expect(error.data).toMatchObject({ code: "rate_limited" });
  // another account is not affected
  await connectAs(server, await createUser(server));
});

it("limits how many rooms one user creates in an hour", async () => {
  const user = await createUser(server);
  const socket = await connectAs(server, user);
  for (let i = 0; i < 3; i++) await ok(socket, "room:create", { name: uniqueName("quota") });
  const fourth = await request(socket, "room:create", { name: uniqueName("quota") });
  expect(fourth.ok ? "created" : fourth.error.code).toBe("rate_limited");
  expect(fourth.ok ? "" : fourth.error.message).toContain("3 rooms an hour");
});

const share = (token: string, roomId: string, name: string, bytes: number, chunked = false) =>
  fetch(`${server.url}/api/files?${new URLSearchParams({ roomId, name, clientMsgId: name.replace(/\W/g, "-") })}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: chunked
      ? new ReadableStream({
          start(c) {
            c.enqueue(new Uint8Array(bytes));
            c.close();
          },
        })
      : new Uint8Array(bytes),
    ...(chunked ? { duplex: "half" } : {}),
  } as RequestInit);

it("keeps one account's shared files within its quota, declared or streamed, and stores nothing past it", async () => {
  const user = await createUser(server);
  const socket = await connectAs(server, user);
  const { room } = await ok(socket, "room:create", { name: uniqueName("quota-files") });
  expect((await share(user.token, room.id, "first.bin", 60_000)).status).toBe(201);
  const declared = await share(user.token, room.id, "second.bin", 60_000);
  expect(declared.status).toBe(413);
  expect(((await declared.json()) as { error: { message: string } }).error.message).toContain("quota");
  // a body without a length is counted when it has arrived
  expect((await share(user.token, room.id, "third.bin", 60_000, true)).status).toBe(413);
  const { files } = await ok(socket, "file:list", { roomId: room.id });
  expect(files.map((f) => f.name)).toEqual(["first.bin"]);
});

it("gives a removed file's bytes back to its uploader's quota", async () => {
  const user = await createUser(server);
  const socket = await connectAs(server, user);
  const { room } = await ok(socket, "room:create", { name: uniqueName("quota-remove") });
  expect((await share(user.token, room.id, "first.bin", 60_000)).status).toBe(201);
  expect((await share(user.token, room.id, "second.bin", 60_000)).status).toBe(413);
  const { files } = await ok(socket, "file:list", { roomId: room.id });
  await ok(socket, "file:remove", { fileId: files[0].id });
  expect((await share(user.token, room.id, "second.bin", 60_000)).status).toBe(201);
});

it("limits how many files one account shares in a minute", async () => {
  const user = await createUser(server);
  const socket = await connectAs(server, user);
  const { room } = await ok(socket, "room:create", { name: uniqueName("quota-rate") });
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await share(user.token, room.id, `small${i}.txt`, 10)).status);
  expect(statuses).toEqual([201, 201, 201, 429]);
});
