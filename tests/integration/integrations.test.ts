// Bots, API tokens, the HTTP messages API and incoming webhooks (issue 18), over the wire.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ApiTokenInfo, BotInfo, NewApiToken, WireMessage } from "../../server/protocol/index.ts";
import {
  closeSockets,
  collect,
  connectAs,
  createUser,
  handshake,
  ok,
  openSocket,
  postJson,
  request,
  roomWith,
  settle,
  startServer,
  type TestServer,
  type TestUser,
  uniqueName,
  waitFor,
} from "../helpers/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

/** An HTTP request with a bearer token and an optional JSON body: its status and parsed answer. */
async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: answers of every shape, checked field by field
  return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
}

async function makeBot(owner: TestUser): Promise<BotInfo> {
  const made = await call("POST", "/api/bots", owner.token, { username: uniqueName("bot"), displayName: "Deploy bot" });
  expect(made.status).toBe(201);
  return made.body.bot;
}

async function tokenFor(owner: TestUser, fields: { botId?: string; roomIds?: string[] } = {}): Promise<NewApiToken> {
  const made = await call("POST", "/api/tokens", owner.token, { name: "ci", ...fields });
  expect(made.status).toBe(201);
  return made.body;
}

/** Posts to an incoming webhook's URL as a tool would: its status and plain-text answer. */
async function hook(url: string, body: string, type = "application/json") {
  const res = await fetch(url, { method: "POST", headers: { "content-type": type }, body });
  return { status: res.status, text: await res.text(), type: res.headers.get("content-type") };
}

describe("bots and API tokens", () => {
  it("a bot cannot sign in with a password; with its token it joins the conversation over HTTP, marked as a bot", async () => {
    const owner = await createUser(server);
    const member = await createUser(server);
    const { roomId, sockets } = await roomWith(server, owner, member);
    const bot = await makeBot(owner);
    expect(bot).toMatchObject({ bot: true, displayName: "Deploy bot", rooms: [] });

    // no password works, not even a guess at an empty one
    const signIn = await postJson(`${server.url}/api/token`, { username: bot.username, password: "anything at all" });
    expect(signIn.status).toBe(401);
    expect(signIn.body.error.message).toMatch(/bot/i);

    const joined = collect(sockets[1], "room:member-joined");
    expect((await call("PUT", `/api/bots/${bot.id}/rooms/${roomId}`, owner.token)).status).toBe(204);
    await waitFor(() => joined.length === 1, 5000, "the member to hear of the bot");
    expect(joined[0].member).toMatchObject({ id: bot.id, bot: true });
    expect(joined[0].memberCount).toBe(3);

    const { secret, token } = await tokenFor(owner, { botId: bot.id });
    expect(secret).toMatch(/^kmn_/);
    expect(token).toMatchObject({ name: "ci", user: { id: bot.id }, roomIds: null, lastUsedAt: null });

    const heard = collect(sockets[1], "message:new");
    const sent = await call("POST", `/api/rooms/${roomId}/messages`, secret, { body: "Build 42 passed", clientMsgId: "b42" });
    expect(sent.status).toBe(201);
    expect(sent.body.message).toMatchObject({ body: "Build 42 passed", author: { id: bot.id }, seq: 1 });
    await waitFor(() => heard.length === 1, 5000, "the member to get the bot's message");
    expect(heard[0].id).toBe(sent.body.message.id);
    // a retry with the same clientMsgId stores nothing twice
    const again = await call("POST", `/api/rooms/${roomId}/messages`, secret, { body: "Build 42 passed", clientMsgId: "b42" });
    expect(again.status).toBe(200);
    expect(again.body.message.id).toBe(sent.body.message.id);

    const { profiles } = await ok(sockets[1], "user:profiles", { ids: [bot.id, owner.id] });
    expect(profiles.find((p) => p.id === bot.id)?.bot).toBe(true);
    expect(profiles.find((p) => p.id === owner.id)?.bot).toBeUndefined();

    const listed = await call("GET", "/api/tokens", owner.token);
    const mine = (listed.body.tokens as ApiTokenInfo[]).find((t) => t.id === token.id);
    expect(mine?.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const bots = await call("GET", "/api/bots", owner.token);
    expect((bots.body.bots as BotInfo[]).find((b) => b.id === bot.id)?.rooms.map((r) => r.id)).toEqual([roomId]);
    // someone else's bot is not yours to give tokens to
    const stranger = await createUser(server);
    expect((await call("POST", "/api/tokens", stranger.token, { name: "x", botId: bot.id })).status).toBe(404);
  });

  it("the HTTP API and the socket give the same answers", async () => {
    const user = await createUser(server);
    const { roomId, sockets } = await roomWith(server, user);
    const { secret } = await tokenFor(user);
    await ok(sockets[0], "message:send", { roomId, body: "over the socket", clientMsgId: "s1" });
    await call("POST", `/api/rooms/${roomId}/messages`, secret, { body: "over **HTTP**", clientMsgId: "h1" });
    const reply = await call("POST", `/api/rooms/${roomId}/messages`, secret, {
      body: "a reply",
      clientMsgId: "h2",
      replyTo: (await ok(sockets[0], "room:history", { roomId })).messages[0].id,
    });
    expect(reply.body.message.replyTo).toMatchObject({ seq: 1 });

    const overSocket = await request(sockets[0], "room:history", { roomId, afterSeq: 0, limit: 2 });
    const overHttp = await call("GET", `/api/rooms/${roomId}/messages?afterSeq=0&limit=2`, secret);
    expect(overHttp.status).toBe(200);
    expect({ ok: true, ...overHttp.body }).toEqual(overSocket);
    expect(overHttp.body.hasMore).toBe(true);

    // the same refusals, word for word
    for (const bad of [
      { body: "", clientMsgId: "e1" },
      { body: "x".repeat(5000), clientMsgId: "e2" },
      { body: "x", clientMsgId: "no spaces" },
    ]) {
      const viaSocket = await request(sockets[0], "message:send", { roomId, ...bad });
      const viaHttp = await call("POST", `/api/rooms/${roomId}/messages`, secret, bad);
      expect(viaHttp.status).toBe(400);
      expect(viaSocket.ok ? null : viaSocket.error).toEqual(viaHttp.body.error);
    }
    const strange = await createUser(server);
    const theirs = await tokenFor(strange);
    const notMember = await call("POST", `/api/rooms/${roomId}/messages`, theirs.secret, { body: "hi", clientMsgId: "n1" });
    const strangerSocket = await connectAs(server, strange);
    const viaSocket = await request(strangerSocket, "message:send", { roomId, body: "hi", clientMsgId: "n1" });
    expect(notMember.status).toBe(403);
    expect(viaSocket.ok ? null : viaSocket.error).toEqual(notMember.body.error);
  });

  it("private messages over HTTP reach the other person's connections", async () => {
    const alice = await createUser(server);
    const bob = await createUser(server);
    const bobSocket = await connectAs(server, bob);
    const aliceSocket = await connectAs(server, alice);
    const heard = collect(bobSocket, "dm:new");
    const first = await ok(aliceSocket, "dm:send", { toUsername: bob.username, body: "hello", clientMsgId: "d1" });
    const { conversationId } = first.message;
    const { secret } = await tokenFor(alice);
    const sent = await call("POST", `/api/conversations/${conversationId}/messages`, secret, {
      body: "from a script",
      clientMsgId: "d2",
    });
    expect(sent.status).toBe(201);
    await waitFor(() => heard.length === 2, 5000, "bob to get the messages");
    expect(heard.map((m) => m.body)).toEqual(["hello", "from a script"]);
    const page = await call("GET", `/api/conversations/${conversationId}/messages`, secret);
    expect(page.body.messages.map((m: WireMessage) => m.body)).toEqual(["hello", "from a script"]);
    const carol = await createUser(server);
    const hers = await tokenFor(carol);
    expect((await call("GET", `/api/conversations/${conversationId}/messages`, hers.secret)).status).toBe(403);
  });

  it("a revoked token is refused at once: its socket closes, HTTP answers 401", async () => {
    const user = await createUser(server);
    const { roomId } = await roomWith(server, user);
    const { secret, token } = await tokenFor(user);
    const socket = openSocket(server, { token: secret });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    await ok(socket, "message:send", { roomId, body: "still here", clientMsgId: "r1" });
    const closed: string[] = [];
    socket.on("disconnect", (reason) => closed.push(reason));

    expect((await call("DELETE", `/api/tokens/${token.id}`, user.token)).status).toBe(204);
    await waitFor(() => closed.length === 1, 5000, "the token's socket to close");
    expect(closed).toEqual(["io server disconnect"]);
    const after = await call("POST", `/api/rooms/${roomId}/messages`, secret, { body: "gone", clientMsgId: "r2" });
    expect(after.status).toBe(401);
    expect(await handshake(server, secret)).toBe("unauthorized");
    expect((await call("GET", "/api/tokens", user.token)).body.tokens.map((t: ApiTokenInfo) => t.id)).not.toContain(token.id);
    // POST /api/logout with a token revokes that token
    const other = await tokenFor(user);
    expect((await call("POST", "/api/logout", other.secret)).status).toBe(204);
    expect((await call("GET", `/api/rooms/${roomId}/messages`, other.secret)).status).toBe(401);
  });

  it("a token limited to one room cannot post or read elsewhere, over HTTP or a socket", async () => {
    const user = await createUser(server);
    const { roomId: allowed } = await roomWith(server, user);
    const { roomId: other, sockets } = await roomWith(server, user);
    const { secret } = await tokenFor(user, { roomIds: [allowed] });

    expect((await call("POST", `/api/rooms/${allowed}/messages`, secret, { body: "ok", clientMsgId: "l1" })).status).toBe(201);
    const elsewhere = await call("POST", `/api/rooms/${other}/messages`, secret, { body: "no", clientMsgId: "l2" });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error.message).toMatch(/limited/);
    expect((await call("GET", `/api/rooms/${other}/messages`, secret)).status).toBe(403);
    // nothing that is not about its room: not even listing tokens or uploading an avatar
    expect((await call("GET", "/api/tokens", secret)).status).toBe(403);

    const limited = openSocket(server, { token: secret });
    await new Promise<void>((resolve, reject) => {
      limited.once("connect", () => resolve());
      limited.once("connect_error", reject);
    });
    const heard = collect(limited, "message:new");
    await ok(limited, "message:send", { roomId: allowed, body: "over the socket", clientMsgId: "l3" });
    for (const [event, payload] of [
      ["message:send", { roomId: other, body: "no", clientMsgId: "l4" }],
      ["room:history", { roomId: other }],
      ["dm:list", {}],
      ["room:create", { name: uniqueName("room") }],
    ] as const) {
      const reply = await request(limited, event as "message:send", payload as never);
      expect(reply.ok ? "ok" : reply.error.code, event).toBe("forbidden");
    }
    // what happens in the other room does not reach it
    await ok(sockets[0], "message:send", { roomId: other, body: "not for the bot", clientMsgId: "l5" });
    await settle(sockets[0]);
    await ok(limited, "room:history", { roomId: allowed });
    expect(heard.map((m) => m.roomId)).not.toContain(other);
    // a token cannot be limited to a private room its maker cannot see
    const outsider = await createUser(server);
    const outsiderSocket = await connectAs(server, outsider);
    const { room: secretRoom } = await ok(outsiderSocket, "room:create", { name: uniqueName("room"), visibility: "private" });
    expect((await call("POST", "/api/tokens", user.token, { name: "x", roomIds: [secretRoom.id] })).status).toBe(404);
  });

  it("an API token cannot make tokens or bots, and deleting a bot revokes its tokens", async () => {
    const owner = await createUser(server);
    const { secret } = await tokenFor(owner);
    expect((await call("POST", "/api/tokens", secret, { name: "minted" })).status).toBe(403);
    expect((await call("POST", "/api/bots", secret, { username: uniqueName("bot") })).status).toBe(403);

    const bot = await makeBot(owner);
    const botToken = await tokenFor(owner, { botId: bot.id });
    expect(await handshake(server, botToken.secret)).toBe("connected");
    expect((await call("DELETE", `/api/bots/${bot.id}`, owner.token)).status).toBe(204);
    expect(await handshake(server, botToken.secret)).toBe("unauthorized");
    expect((await call("GET", "/api/bots", owner.token)).body.bots).toEqual([]);
    // a taken name stays taken, by people and bots alike
    expect((await call("POST", "/api/bots", owner.token, { username: owner.username })).status).toBe(409);
  });
});

describe("incoming webhooks", () => {
  async function webhookIn() {
    const owner = await createUser(server);
    const member = await createUser(server);
    const { roomId, sockets } = await roomWith(server, owner, member);
    const { webhook } = await ok(sockets[0], "webhook:create", { roomId, name: "CI" });
    return { owner, member, roomId, sockets, webhook };
  }

  it('curl -d \'{"text":"Deploy *finished*"}\' puts a message in the room, as the webhook\'s bot', async () => {
    const { roomId, sockets, webhook } = await webhookIn();
    expect(webhook.url).toMatch(/\/hooks\/[A-Za-z0-9_-]{32}$/);
    const url = `${server.url}${new URL(webhook.url).pathname}`;
    const heard = collect(sockets[1], "message:new");
    const res = await hook(url, JSON.stringify({ text: "Deploy *finished*" }));
    expect(res).toMatchObject({ status: 200, text: "ok" });
    await waitFor(() => heard.length === 1, 5000, "the members to get the webhook's message");
    expect(heard[0]).toMatchObject({ roomId, body: "Deploy **finished**", author: { id: webhook.bot.id } });
    expect(heard[0].via).toBeUndefined();
    const { profiles } = await ok(sockets[1], "user:profiles", { ids: [webhook.bot.id] });
    expect(profiles[0]).toMatchObject({ bot: true, displayName: "CI" });

    // Slack's overrides, and a form with a payload field, as Slack accepts
    const form = new URLSearchParams({
      payload: JSON.stringify({
        text: "Disk <https://grafana.example/d/1|almost full>",
        username: "Grafana",
        icon_url: "https://grafana.example/icon.png",
      }),
    });
    expect((await hook(url, form.toString(), "application/x-www-form-urlencoded")).status).toBe(200);
    await waitFor(() => heard.length === 2, 5000, "the second message");
    expect(heard[1]).toMatchObject({
      body: "Disk [almost full](https://grafana.example/d/1)",
      via: { name: "Grafana", iconUrl: "https://grafana.example/icon.png" },
    });
    // after a reload, the same
    const { messages } = await ok(sockets[0], "room:history", { roomId });
    expect(messages.map((m) => m.via ?? null)).toEqual([null, { name: "Grafana", iconUrl: "https://grafana.example/icon.png" }]);
  });

  it("answers like Slack when something is wrong, and a deleted webhook is gone", async () => {
    const { roomId, sockets, webhook } = await webhookIn();
    const url = `${server.url}${new URL(webhook.url).pathname}`;
    expect(await hook(url, "{not json")).toMatchObject({ status: 400, text: "invalid_payload" });
    expect(await hook(url, JSON.stringify({ text: "  " }))).toMatchObject({ status: 400, text: "no_text" });
    expect(await hook(url, JSON.stringify({ text: "x".repeat(70 * 1024) }))).toMatchObject({
      status: 413,
      text: "payload_too_large",
    });
    expect(await hook(`${server.url}/hooks/${"A".repeat(32)}`, JSON.stringify({ text: "hi" }))).toMatchObject({
      status: 404,
      text: "no_service",
    });
    // a member who is not an admin may neither see nor make webhooks
    const notAdmin = await request(sockets[1], "webhook:create", { roomId, name: "mine" });
    expect(notAdmin.ok ? "ok" : notAdmin.error.code).toBe("forbidden");
    expect((await request(sockets[1], "webhook:list", { roomId })).ok).toBe(false);
    const { webhooks } = await ok(sockets[0], "webhook:list", { roomId });
    expect(webhooks).toEqual([expect.objectContaining({ id: webhook.id, name: "CI", kind: "incoming" })]);
    expect(JSON.stringify(webhooks)).not.toContain(new URL(webhook.url).pathname);

    await ok(sockets[0], "room:update", { roomId, archived: true });
    expect(await hook(url, JSON.stringify({ text: "late" }))).toMatchObject({ status: 410, text: "channel_is_archived" });
    await ok(sockets[0], "room:update", { roomId, archived: false });
    await ok(sockets[0], "webhook:delete", { roomId, webhookId: webhook.id });
    expect(await hook(url, JSON.stringify({ text: "after" }))).toMatchObject({ status: 404, text: "no_service" });
    expect((await ok(sockets[0], "webhook:list", { roomId })).webhooks).toEqual([]);
    // nothing of all that was posted
    expect((await ok(sockets[0], "room:history", { roomId })).messages).toEqual([]);
  });

  it("an outgoing webhook to a private or loopback address is refused (WEBHOOK_ALLOW_PRIVATE is not set)", async () => {
    const { roomId, sockets } = await webhookIn();
    for (const url of [
      "http://127.0.0.1:9/hook",
      "http://localhost:8080/x",
      "http://[::1]/x",
      "http://169.254.169.254/latest",
      "http://10.1.2.3/",
    ]) {
      const reply = await request(sockets[0], "webhook:create", { roomId, name: "x", kind: "outgoing", url });
      expect(reply.ok ? "ok" : reply.error, url).toMatchObject({
        code: "invalid_input",
        message: expect.stringMatching(/private or local/),
      });
    }
    const ftp = await request(sockets[0], "webhook:create", { roomId, name: "x", kind: "outgoing", url: "ftp://example.com/" });
    expect(ftp.ok ? "ok" : ftp.error.code).toBe("invalid_input");
    // nothing was made
    expect((await ok(sockets[0], "webhook:list", { roomId })).webhooks).toHaveLength(1);
  });

  it("is rate limited per webhook, with Retry-After", async () => {
    const { webhook } = await webhookIn();
    const url = `${server.url}${new URL(webhook.url).pathname}`;
    const answers = [];
    for (let i = 0; i < 61; i++) answers.push((await hook(url, JSON.stringify({ text: `alert ${i}` }))).status);
    expect(answers.slice(0, 60).every((s) => s === 200)).toBe(true);
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"text":"one more"}',
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
