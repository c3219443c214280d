// Attacks found by an independent run against `npm start` (issue 9), each kept as a test so it
// cannot come back: oversized bodies, forged forwarding headers, open redirects, served types,
// file modes on disk, and what errors and logs give away.

import { statSync } from "node:fs";
import { request as httpRequest } from "node:http";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { safeCallback } from "../../app/lib/safe-callback.ts";
import { safeFileName, servedType } from "../../server/files/names.ts";
import { clientAddress } from "../../server/http/client-address.ts";
import { sendRequest } from "../../server/protocol/index.ts";
import { nameKeyOf } from "../../server/services/name-keys.ts";
import {
  closeSockets,
  connectAs,
  createUser,
  ok,
  openSocket,
  postJson,
  startServer,
  type TestServer,
} from "../helpers/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

/** A raw HTTP request: status, body, whether the server closed the connection after answering. */
function raw(
  pathname: string,
  { method = "POST", headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: Buffer | Buffer[] },
): Promise<{ status: number; body: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.url}${pathname}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          closed: res.headers.connection === "close",
        }),
      );
    });
    req.on("error", reject);
    for (const part of Array.isArray(body) ? body : body ? [body] : []) req.write(part);
    req.end();
  });
}

const connections = () =>
  new Promise<number>((resolve, reject) =>
    server.komnata.http.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );

describe("a JSON body over 16 KiB", () => {
  const big = Buffer.from(JSON.stringify({ username: "x".repeat(20_000), password: "password123" }));

  it("is refused with 413 on its Content-Length, before it is read, and the connection is closed", async () => {
    for (const endpoint of ["/api/register", "/api/token"]) {
      const res = await raw(endpoint, {
        headers: { "content-type": "application/json", "content-length": String(big.length) },
        body: big,
      });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: "too_large" } });
      expect(res.closed).toBe(true);
    }
  });

  it("is refused with 413 when it is sent chunked, without a length", async () => {
    const res = await raw("/api/register", {
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
      body: [big.subarray(0, 8000), big.subarray(8000, 16000), big.subarray(16000)],
    });
    expect(res.status).toBe(413);
  });

  it("leaves no connection behind, however many arrive at once, and the server keeps answering", async () => {
    const before = await connections();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        raw(i % 2 ? "/api/register" : "/api/token", {
          headers: { "content-type": "application/json", ...(i % 3 ? {} : { "transfer-encoding": "chunked" }) },
          body: big,
        }),
      ),
    );
    expect(results.every((r) => r.status === 413)).toBe(true);
    const start = Date.now();
    while ((await connections()) > before && Date.now() - start < 10_000) await new Promise((r) => setTimeout(r, 20));
    expect(await connections()).toBeLessThanOrEqual(before);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it("is configured with header, request and keep-alive timeouts, so silent clients do not hold sockets", () => {
    const { http } = server.komnata;
    expect(http.headersTimeout).toBeGreaterThan(0);
    expect(http.headersTimeout).toBeLessThanOrEqual(30_000);
    expect(http.requestTimeout).toBeGreaterThan(0);
    expect(http.keepAliveTimeout).toBeGreaterThan(0);
  });
});

describe("wrong passwords", () => {
  /** POST /api/token from a chosen loopback address (all of 127/8 reaches the server). */
  const tokenFrom = (from: string, username: string, password: string) =>
    new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ username, password });
      const req = httpRequest(
        `${server.url}/api/token`,
        {
          method: "POST",
          localAddress: from,
          agent: false,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      req.end(body);
    });

  it("from one address lock that address out of the account, never the account's owner elsewhere", async () => {
    const victim = await createUser(server);
    const guesses: number[] = [];
    for (let i = 0; i < 8; i++) guesses.push(await tokenFrom("127.0.0.2", victim.username, `guess-${i}-wrong`));
    expect(guesses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(guesses.slice(5)).toEqual([429, 429, 429]);
    // the guesser cannot get in even with the right password…
    expect(await tokenFrom("127.0.0.2", victim.username, victim.password)).toBe(429);
    // …and the owner, from their own address, still can (a little slower while the guessing goes on)
    const started = Date.now();
    expect(await tokenFrom("127.0.0.3", victim.username, victim.password)).toBe(200);
    expect(Date.now() - started).toBeLessThan(6000);
  });
});

describe("the sign-in callback", () => {
  it("stays on this site whatever the browser would make of it", () => {
    for (const evil of [
      "//evil.host",
      "/\\evil.host",
      "/%09/evil.host",
      "/\t/evil.host",
      "/\n/evil.host",
      "https://evil.host/",
      "javascript:alert(1)",
      "\\\\evil.host",
      "/rooms\r\nSet-Cookie: x=1",
    ]) {
      const kept = safeCallback(evil);
      expect(new URL(kept, "https://chat.example").origin, evil).toBe("https://chat.example");
    }
    expect(safeCallback("/\t/evil.host")).toBe("/");
    expect(safeCallback("/rooms/abc?x=1#m5")).toBe("/rooms/abc?x=1#m5");
    expect(safeCallback(["/files", "//evil"])).toBe("/files");
    expect(safeCallback(undefined)).toBe("/");
  });
});

describe("TRUST_PROXY", () => {
  const req = (xff: string | undefined) =>
    ({ headers: xff === undefined ? {} : { "x-forwarded-for": xff }, socket: { remoteAddress: "10.0.0.9" } }) as never;

  it("takes the entry its own proxies wrote, from the right, never the client's", () => {
    // the client sent "1.2.3.4"; our one proxy appended what it saw
    expect(clientAddress(req("1.2.3.4, 203.0.113.7"), 1)).toBe("203.0.113.7");
    expect(clientAddress(req("1.2.3.4, 203.0.113.7, 10.0.0.2"), 2)).toBe("203.0.113.7");
    expect(clientAddress(req("203.0.113.7"), 0)).toBe("10.0.0.9");
    expect(clientAddress(req(undefined), 1)).toBe("10.0.0.9");
    // fewer entries than hops: the request did not come through them all
    expect(clientAddress(req("203.0.113.7"), 2)).toBe("10.0.0.9");
  });

  it("counts wrong passwords per real address, however the client fills the header", async () => {
    const proxied = await startServer({ TRUST_PROXY: "true", LOGIN_MAX_FAILURES: "1" });
    try {
      const user = await createUser(proxied);
      const guess = (spoofed: string) =>
        fetch(`${proxied.url}/api/token`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": `${spoofed}, 198.51.100.1` },
          body: JSON.stringify({ username: `other${Math.random()}`, password: "wrong-password" }),
        });
      // ten times the per-name limit per address, from what claims to be ten different clients
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await guess(`192.0.2.${i}`)).status);
      expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
      expect(statuses[10]).toBe(429);
      expect(user.username).toBeTruthy();
    } finally {
      await proxied.close();
    }
  });
});

describe("downloads", () => {
  it("serve only a short list of inert types as themselves, everything else as octet-stream", () => {
    for (const active of [
      "text/html",
      "image/svg+xml",
      "text/ecmascript",
      "application/ecmascript",
      "text/javascript",
      "application/xml",
      "text/xsl",
      "application/x-anything",
    ]) {
      expect(servedType(active), active).toBe("application/octet-stream");
    }
    for (const inert of ["image/png", "application/pdf", "text/plain", "video/mp4"]) expect(servedType(inert)).toBe(inert);
  });
});

describe("every answer", () => {
  it("carries nosniff, a referrer policy, no framing and a permissions policy, the API's and Socket.IO's too", async () => {
    for (const pathname of ["/api/health", "/api/files/nope", "/nothing-here"]) {
      const res = await fetch(`${server.url}${pathname}`);
      expect(res.headers.get("x-content-type-options"), pathname).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), pathname).toBe("same-origin");
      expect(res.headers.get("x-frame-options"), pathname).toBe("DENY");
      expect(res.headers.get("permissions-policy"), pathname).toContain("camera=()");
    }
    const polling = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    expect(polling.status).toBe(200);
    expect(polling.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await polling.text()).startsWith("0{")).toBe(true);
  });

  it("to an address that cannot be decoded is 400, not a server error", async () => {
    for (const pathname of ["/messages/%E0%A4%A", "/rooms/%E0%A4%A/files", "/api/files/%E0%A4%A"]) {
      expect((await fetch(`${server.url}${pathname}`)).status, pathname).toBe(400);
    }
  });
});

describe("names", () => {
  it("lose control and invisible format characters, and must show something", async () => {
    const user = await createUser(server);
    const socket = await connectAs(server, user);
    const create = (name: string, topic?: string) => sendRequest(socket, "room:create", { name, topic });
    const rlo = await create("invoice\u202Efdp.exe", "line one\nline two\u0000");
    expect(rlo.ok && rlo.room).toMatchObject({ name: "invoicefdp.exe", topic: "line oneline two" });
    const nul = await create(`plans\u0000\n\u200B${Date.now()}`);
    expect(nul.ok && nul.room.name).toMatch(/^plans\d+$/);
    for (const invisible of ["\u200B\u200B", "\u202E", "\u0000\n", "\u200D"]) {
      const refused = await create(invisible);
      expect(refused.ok ? "created" : refused.error.code, JSON.stringify(invisible)).toBe("invalid_input");
    }
    // a family emoji keeps its joiners
    const family = await create(`👨\u200D👩\u200D👧 ${Date.now()}`);
    expect(family.ok && family.room.name).toContain("👨\u200D👩\u200D👧");
  });

  it("cannot pass for another: look-alike usernames and room names are taken, names in any script are welcome", async () => {
    const tag = Date.now().toString(36).slice(-5);
    const register = (username: string) =>
      postJson(`${server.url}/api/register`, { username, password: "long enough password" }).then((r) => r.status);
    expect(await register(`alice${tag}`)).toBe(201);
    expect(await register(`\u0430lice${tag}`)).toBe(409); // Cyrillic а
    expect(await register(`ALICE${tag}`)).toBe(409);
    expect(await register(`\uff41lice${tag}`)).toBe(409); // fullwidth a
    // a Cyrillic name is a name like any other, and signs in however its case is typed
    expect(await register(`Алиса${tag}`)).toBe(201);
    const token = await postJson(`${server.url}/api/token`, { username: `АЛИСА${tag}`, password: "long enough password" });
    expect(token.status).toBe(200);
    expect(token.body.user.username).toBe(`Алиса${tag}`);

    const socket = await connectAs(server, await createUser(server));
    expect((await sendRequest(socket, "room:create", { name: `general${tag}` })).ok).toBe(true);
    for (const lookalike of [`g\u0435neral${tag}`, `GENERAL${tag}`, `ｇｅｎｅｒａｌ${tag}`]) {
      const reply = await sendRequest(socket, "room:create", { name: lookalike });
      expect(reply.ok ? "created" : reply.error.code, lookalike).toBe("conflict");
    }
  });

  it("made by an older version get their keys brought up to date at start, and still sign in", async () => {
    const tag = Date.now().toString(36).slice(-5);
    const user = await createUser(server, `bob0${tag}`);
    // what an older version stored: the name in lower case only
    await server.komnata.database.db.user.update({ where: { id: user.id }, data: { usernameKey: `bob0${tag}` } });
    const restarted = await startServer({}, server.database);
    try {
      const row = await restarted.komnata.database.db.user.findUniqueOrThrow({ where: { id: user.id } });
      expect(row.usernameKey).toBe(nameKeyOf(`bobo${tag}`));
      const token = await postJson(`${restarted.url}/api/token`, { username: `bob0${tag}`, password: user.password });
      expect(token.status).toBe(200);
      expect(
        await postJson(`${restarted.url}/api/register`, { username: `bobo${tag}`, password: "long enough password" }),
      ).toMatchObject({
        status: 409,
      });
    } finally {
      await restarted.close();
    }
  });

  it("of shared files lose right-to-left overrides too, and bodies keep only line breaks and tabs", async () => {
    expect(safeFileName("invoice\u202Efdp.exe")).toBe("invoicefdp.exe");
    expect(safeFileName("a\u200Bb\uFEFF.txt")).toBe("ab.txt");
    const user = await createUser(server);
    const socket = await connectAs(server, user);
    const { room } = await ok(socket, "room:create", { name: `bodies${Date.now()}` });
    const sent = await ok(socket, "message:send", { roomId: room.id, body: "a\tb\nc\u0000d\u001be[31m", clientMsgId: "body1" });
    expect(sent.message.body).toBe("a\tb\ncde[31m");
  });
});

describe("data on disk", () => {
  it("is the server's own: DATA_DIR and UPLOAD_DIR 0700, the database 0600", async () => {
    const mode = (p: string) => statSync(p).mode & 0o777;
    expect(mode(server.database.dir)).toBe(0o700);
    expect(mode(path.join(server.database.dir, "uploads"))).toBe(0o700);
    if (server.database.url.startsWith("file:")) expect(mode(server.database.url.slice("file:".length))).toBe(0o600);
  });
});

describe("what a client learns of a failure", () => {
  it("a handshake that fails inside gets `internal` and a sentence, never the database's error", async () => {
    const user = await createUser(server);
    const spy = vi
      .spyOn(server.komnata.services.sessions, "check")
      .mockRejectedValueOnce(new Error("Can't reach database server at 127.0.0.1:5432"));
    try {
      const socket = openSocket(server, { token: user.token });
      const error = await new Promise<Error & { data?: { code: string; message: string } }>((resolve) =>
        socket.once("connect_error", resolve),
      );
      expect(error.data?.code).toBe("internal");
      expect(JSON.stringify(error.data)).not.toContain("127.0.0.1");
      expect(error.message).not.toContain("database");
    } finally {
      spy.mockRestore();
    }
    await connectAs(server, user);
  });

  it("a refusal is logged with one msg and the reason as its own field", async () => {
    await fetch(`${server.url}/api/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "ab", password: "x" }),
    });
    const line = server.rawLogs.findLast((l) => l.includes('"http request refused"') && l.includes("Wrong username"));
    expect(line).toBeDefined();
    expect(line?.match(/"msg":/g)).toHaveLength(1);
    expect(JSON.parse(line as string)).toMatchObject({ code: "unauthorized", reason: "Wrong username or password." });
  });
});
