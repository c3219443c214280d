// Web Push over the wire (issue 13), to a local stand-in for a browser's push service: an HTTP
// server on 127.0.0.1 that records what it is sent. It checks the VAPID signature, the aes128gcm
// encoding and the TTL, and decrypts the payload with the subscription's keys, as a browser would.
import { createDecipheriv, createECDH, createHmac, createPublicKey, randomBytes, verify } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import {
  closeSockets,
  connectAs,
  createUser,
  ok,
  startServer,
  type TestServer,
  type TestUser,
  uniqueName,
  waitFor,
} from "../helpers/server.ts";

const DELAY_S = 1;
let server: TestServer;
let service: http.Server;
let serviceUrl: string;
const received: { path: string; headers: http.IncomingHttpHeaders; body: Buffer }[] = [];

beforeAll(async () => {
  server = await startServer({ PUSH_DELAY_SECONDS: String(DELAY_S), PUSH_INSECURE_ENDPOINTS: "1" });
  service = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) });
      // a browser that unsubscribed: the push service says so
      res.writeHead(req.url?.startsWith("/gone") ? 410 : 201).end();
    });
  });
  await new Promise<void>((resolve) => service.listen(0, "127.0.0.1", resolve));
  serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
});
afterEach(() => closeSockets());
afterAll(async () => {
  await server.close();
  await new Promise((resolve) => service.close(resolve));
});

const b64url = (b: Buffer) => b.toString("base64url");
const hmac = (key: Buffer, data: Buffer) => createHmac("sha256", key).update(data).digest();

/** A browser's subscription: its own P-256 key pair and auth secret, at `path` on the stand-in. */
function browserKeys(path: string) {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    subscription: { endpoint: `${serviceUrl}${path}`, keys: { p256dh: b64url(ecdh.getPublicKey()), auth: b64url(auth) } },
    /** What the browser does with a push (RFC 8291 and RFC 8188, one record). */
    decrypt(body: Buffer): unknown {
      const salt = body.subarray(0, 16);
      const idLength = body[20];
      const serverKey = body.subarray(21, 21 + idLength);
      const ciphertext = body.subarray(21 + idLength);
      const shared = ecdh.computeSecret(serverKey);
      const info = Buffer.concat([Buffer.from("WebPush: info\0"), ecdh.getPublicKey(), serverKey, Buffer.from([1])]);
      const ikm = hmac(hmac(auth, shared), info);
      const prk = hmac(salt, ikm);
      const cek = hmac(prk, Buffer.from("Content-Encoding: aes128gcm\0\x01")).subarray(0, 16);
      const nonce = hmac(prk, Buffer.from("Content-Encoding: nonce\0\x01")).subarray(0, 12);
      const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
      decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
      const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
      // the last record ends with a 2 and optional zeros
      const end = padded.lastIndexOf(2);
      return JSON.parse(padded.subarray(0, end).toString("utf8"));
    },
  };
}

async function subscribe(user: TestUser, subscription: unknown): Promise<number> {
  const res = await fetch(`${server.url}/api/push/subscriptions`, {
    method: "POST",
    headers: { authorization: `Bearer ${user.token}`, "content-type": "application/json" },
    body: JSON.stringify(subscription),
  });
  return res.status;
}

/** A member of a room with alice, push on, no tab open, subscribed at `path`. */
async function setUp(path: string) {
  const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
  const a = await connectAs(server, alice);
  const { room } = await ok(a, "room:create", { name: uniqueName("push") });
  const b = await connectAs(server, bob);
  await ok(b, "room:join", { roomId: room.id });
  await ok(b, "user:settings", { push: true });
  b.disconnect();
  const browser = browserKeys(path);
  expect(await subscribe(bob, browser.subscription)).toBe(204);
  return { alice, bob, a, roomId: room.id, browser };
}

const pushesTo = (path: string) => received.filter((r) => r.path === path);

it("pushes a mention to a browser with no tab open: signed with VAPID, encrypted for it, with a TTL", async () => {
  const { publicKey } = (await (await fetch(`${server.url}/api/push/key`)).json()) as { publicKey: string };
  const { alice, bob, a, roomId, browser } = await setUp("/bob-1");
  // bob's last connection may take a moment to count as gone
  await new Promise((resolve) => setTimeout(resolve, 200));
  await ok(a, "message:send", { roomId, body: "no one in particular", clientMsgId: "p0" });
  const sent = await ok(a, "message:send", { roomId, body: `@${bob.username} the **deploy** is green`, clientMsgId: "p1" });
  await waitFor(() => pushesTo("/bob-1").length === 1, 5000, "the push");
  const [push] = pushesTo("/bob-1");

  expect(push.headers["content-encoding"]).toBe("aes128gcm");
  expect(push.headers.ttl).toBe("86400");
  expect(push.headers.urgency).toBe("high");
  const vapid = /^vapid t=([^,]+), k=(.+)$/.exec(push.headers.authorization ?? "");
  expect(vapid?.[2]).toBe(publicKey);
  const [header, claims, signature] = (vapid?.[1] ?? "").split(".");
  expect(JSON.parse(Buffer.from(header, "base64url").toString())).toMatchObject({ alg: "ES256", typ: "JWT" });
  const jwt = JSON.parse(Buffer.from(claims, "base64url").toString()) as { aud: string; exp: number; sub: string };
  expect(jwt.aud).toBe(serviceUrl);
  expect(jwt.exp * 1000).toBeGreaterThan(Date.now());
  expect(jwt.exp * 1000).toBeLessThanOrEqual(Date.now() + 24 * 60 * 60 * 1000);
  expect(jwt.sub).toMatch(/^(mailto:|https:)/);
  const raw = Buffer.from(publicKey, "base64url");
  const key = createPublicKey({
    key: { kty: "EC", crv: "P-256", x: b64url(raw.subarray(1, 33)), y: b64url(raw.subarray(33, 65)) },
    format: "jwk",
  });
  expect(
    verify("sha256", Buffer.from(`${header}.${claims}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(signature, "base64url")),
  ).toBe(true);

  expect(browser.decrypt(push.body)).toEqual({
    title: expect.stringMatching(/^# push/),
    body: `${alice.username}: @${bob.username} the deploy is green`,
    url: `/rooms/${roomId}?m=${sent.message.seq}`,
    tag: `room:${roomId}`,
  });
  // the other message did not call for him: one push only
  await new Promise((resolve) => setTimeout(resolve, DELAY_S * 1000 + 300));
  expect(pushesTo("/bob-1")).toHaveLength(1);
});

it("sends nothing when it is read in time on another device, or push is off; a private message is pushed too", async () => {
  const { bob, a, roomId } = await setUp("/bob-2");
  await new Promise((resolve) => setTimeout(resolve, 200));
  const sent = await ok(a, "message:send", { roomId, body: `@${bob.username} quick one`, clientMsgId: "r1" });
  // bob reads it on his phone before the delay is over
  const phone = await connectAs(server, bob);
  await ok(phone, "room:read", { roomId, seq: sent.message.seq });
  phone.disconnect();
  await new Promise((resolve) => setTimeout(resolve, DELAY_S * 1000 + 500));
  expect(pushesTo("/bob-2")).toHaveLength(0);

  await new Promise((resolve) => setTimeout(resolve, 200));
  await ok(a, "dm:send", { toUsername: bob.username, body: "lunch?", clientMsgId: "d1" });
  await waitFor(() => pushesTo("/bob-2").length === 1, 5000, "the private push");

  const off = await connectAs(server, bob);
  await ok(off, "user:settings", { push: false });
  off.disconnect();
  await new Promise((resolve) => setTimeout(resolve, 200));
  await ok(a, "dm:send", { toUsername: bob.username, body: "hello?", clientMsgId: "d2" });
  await new Promise((resolve) => setTimeout(resolve, DELAY_S * 1000 + 500));
  expect(pushesTo("/bob-2")).toHaveLength(1);
});

it("pushes nothing from a room its member muted, every message from one set to all, nothing in quiet hours", async () => {
  const { bob, a, roomId } = await setUp("/bob-3");
  const b = await connectAs(server, bob);
  await ok(b, "room:settings", { roomId, notify: "nothing" });
  b.disconnect();
  await new Promise((resolve) => setTimeout(resolve, 200));
  await ok(a, "message:send", { roomId, body: `@${bob.username} muted, so no push`, clientMsgId: "m1" });
  await new Promise((resolve) => setTimeout(resolve, DELAY_S * 1000 + 500));
  expect(pushesTo("/bob-3")).toHaveLength(0);

  const again = await connectAs(server, bob);
  await ok(again, "room:settings", { roomId, notify: "all" });
  again.disconnect();
  await new Promise((resolve) => setTimeout(resolve, 200));
  await ok(a, "message:send", { roomId, body: "any message at all", clientMsgId: "m2" });
  await waitFor(() => pushesTo("/bob-3").length === 1, 5000, "the push of any message");

  // muted between the message and its push: what he set when it would go wins
  await ok(a, "message:send", { roomId, body: "and another", clientMsgId: "m2b" });
  const mute = await connectAs(server, bob);
  await ok(mute, "room:settings", { roomId, notify: "nothing" });
  mute.disconnect();
  await new Promise((resolve) => setTimeout(resolve, DELAY_S * 1000 + 500));
  expect(pushesTo("/bob-3")).toHaveLength(1);

  // his quiet hours, from an hour ago to an hour from now: nothing
  const hour = (shift: number) => `${String((new Date().getUTCHours() + shift + 24) % 24).padStart(2, "0")}:00`;
  const quiet = await connectAs(server, bob);
  await ok(quiet, "user:settings", { quietHours: { from: hour(-1), to: hour(1) }, timeZone: "UTC" });
  quiet.disconnect();
  await new Promise((resolve) => setTimeout(resolve, 200));
  await ok(a, "message:send", { roomId, body: "at night", clientMsgId: "m3" });
  await new Promise((resolve) => setTimeout(resolve, DELAY_S * 1000 + 500));
  expect(pushesTo("/bob-3")).toHaveLength(1);
});

it("forgets a subscription the push service says is gone (410), and refuses subscriptions that are not", async () => {
  const { bob, a, roomId } = await setUp("/gone-1");
  await new Promise((resolve) => setTimeout(resolve, 200));
  const db = server.komnata.database.db;
  expect(await db.pushSubscription.count({ where: { userId: bob.id } })).toBe(1);
  await ok(a, "message:send", { roomId, body: `@${bob.username} are you there?`, clientMsgId: "g1" });
  await waitFor(() => pushesTo("/gone-1").length === 1, 5000, "the push");
  for (let i = 0; i < 20 && (await db.pushSubscription.count({ where: { userId: bob.id } })) > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(await db.pushSubscription.count({ where: { userId: bob.id } })).toBe(0);

  const keys = browserKeys("/x").subscription.keys;
  for (const bad of [
    { endpoint: "ftp://example.com/x", keys },
    { endpoint: `${serviceUrl}/y`, keys: { p256dh: "!!", auth: "x" } },
    null,
  ]) {
    expect(await subscribe(bob, bad)).toBe(400);
  }
  const anonymous = await fetch(`${server.url}/api/push/subscriptions`, { method: "POST", body: "{}" });
  expect(anonymous.status).toBe(401);
  // a person's browsers: past 20, the oldest subscription goes
  for (let i = 0; i < 21; i++) {
    expect(await subscribe(bob, browserKeys(`/many-${i}`).subscription)).toBe(204);
    // (each a moment after the one before: "oldest" is by time)
    await new Promise((resolve) => setTimeout(resolve, 3));
  }
  const left = await db.pushSubscription.findMany({ where: { userId: bob.id }, select: { endpoint: true } });
  expect(left).toHaveLength(20);
  expect(left.map((l) => l.endpoint)).not.toContain(`${serviceUrl}/many-0`);
});
