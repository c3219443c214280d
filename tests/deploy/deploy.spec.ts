// `npm run test:deploy`: Komnata as docs/deploy.md installs it, two nodes on PostgreSQL + Redis
// behind deploy/nginx/komnata.conf (tests/deploy/stack.ts), used the way people use it: a browser
// and the terminal client through the proxy, a bot on socket.io-client's defaults, large uploads,
// forged client addresses, and a node killed under them.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { io } from "socket.io-client";
import { type ProtocolSocket, request } from "../../server/protocol/index.ts";
import { createRoom, history, PASSWORD, roomLink, send, signUp, uniqueName } from "../e2e/helpers.ts";
import { MAX_UPLOAD_MB, type Stack, startStack } from "./stack.ts";

const root = path.resolve(import.meta.dirname, "..", "..");
test.describe.configure({ mode: "serial" });

let stack: Stack;
const clients: ChildProcessWithoutNullStreams[] = [];
const sockets: ProtocolSocket[] = [];

test.beforeAll(async () => {
  test.setTimeout(300_000);
  stack = await startStack();
});
test.afterAll(async () => {
  for (const c of clients) c.kill("SIGKILL");
  for (const s of sockets) s.disconnect();
  await stack?.stop();
});

async function register(username: string): Promise<string> {
  const headers = { "content-type": "application/json" };
  const body = JSON.stringify({ username, password: PASSWORD });
  const made = await fetch(`${stack.url}/api/register`, { method: "POST", headers, body });
  expect(made.status).toBe(201);
  const signedIn = await fetch(`${stack.url}/api/token`, { method: "POST", headers, body });
  return ((await signedIn.json()) as { token: string }).token;
}

/** Users connected to each node, as each node's own health check tells. */
async function perNode(): Promise<number[]> {
  return Promise.all(
    stack.nodes.map(async (n) => {
      if (n.child.exitCode !== null || n.child.signalCode !== null) return 0;
      return ((await (await fetch(`${n.url}/api/health`)).json()) as { onThisNode: number }).onThisNode;
    }),
  );
}

/** The terminal client as a person starts it, pointed at the proxy. */
function terminal(username: string) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(root, "scripts", "komnata-client.ts"), "--url", stack.url, "--user", username],
    { cwd: root, env: { ...process.env, LANG: "C.UTF-8", LC_ALL: "", KOMNATA_PASSWORD: PASSWORD } },
  );
  clients.push(child);
  const lines: string[] = [];
  let partial = "";
  child.stdout.on("data", (chunk: Buffer) => {
    const parts = (partial + chunk.toString("utf8")).split("\n");
    partial = parts.pop() ?? "";
    lines.push(...parts);
  });
  return {
    lines,
    send: (line: string) => child.stdin.write(`${line}\n`),
    saw: (pattern: RegExp) => expect.poll(() => lines.some((l) => pattern.test(l)), { timeout: 30_000 }).toBe(true),
  };
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

let roomName: string;
let roomId: string;
let term: ReturnType<typeof terminal>;
let bobName: string;

test("a browser and the terminal client talk through the proxy, each on its own node", async ({ browser }) => {
  const { page } = await signUp(browser, "ann", { baseURL: stack.url });
  roomName = uniqueName("deploy");
  roomId = await createRoom(page, roomName);

  bobName = uniqueName("bob");
  await register(bobName);
  term = terminal(bobName);
  await term.saw(/^\* Connected to /);
  term.send(`/enter ${roomName}`);
  await term.saw(new RegExp(`^\\* You are in #${roomName}`));

  // a new websocket goes to the least busy node: the browser's and the terminal's are on different ones
  await expect.poll(perNode).toEqual([1, 1]);

  await send(page, "hello from the browser");
  await term.saw(/\] ann\S*: hello from the browser$/);
  term.send("hello from the terminal");
  await expect(history(page).getByText("hello from the terminal")).toBeVisible();
  await page.close();
});

test("a bot on socket.io-client's defaults starts with long-polling, upgrades, and talks", async () => {
  const name = uniqueName("bot");
  const token = await register(name);
  // no `transports`: HTTP long-polling first, then the upgrade, all through the sticky upstream
  const bot: ProtocolSocket = io(stack.url, { auth: { token }, reconnection: false, forceNew: true });
  sockets.push(bot);
  const first = bot.io.engine.transport.name;
  const upgraded = new Promise<string>((resolve) => bot.io.engine.once("upgrade", (t: { name: string }) => resolve(t.name)));
  await new Promise<void>((resolve, reject) => {
    bot.once("connect", () => resolve());
    bot.once("connect_error", reject);
  });
  expect(first).toBe("polling");
  expect(await upgraded).toBe("websocket");
  await request(bot, "room:join", { roomId });
  const sent = await request(bot, "message:send", { roomId, body: "bot checking in", clientMsgId: "bot-1" });
  expect(sent.message.seq).toBeGreaterThan(0);
  await term.saw(/\] bot\S*: bot checking in$/);
});

test("a 30 MB upload streams through; a larger one is refused by the proxy and by the app", async () => {
  const token = await register(uniqueName("up"));
  const auth = { authorization: `Bearer ${token}` };
  const target = `roomId=${roomId}&clientMsgId=`;
  const joined = io(stack.url, { transports: ["websocket"], auth: { token }, reconnection: false, forceNew: true });
  sockets.push(joined);
  await request(joined as ProtocolSocket, "room:join", { roomId });

  const big = new Uint8Array(30 * 1024 * 1024).map((_, i) => (i * 7919) & 0xff);
  const up = await fetch(`${stack.url}/api/files?${target}u1&name=big.bin`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/octet-stream" },
    body: big,
  });
  expect(up.status).toBe(201);
  const { message } = (await up.json()) as { message: { file: { id: string; size: number } } };
  expect(message.file.size).toBe(big.length);
  const down = await fetch(`${stack.url}/api/files/${message.file.id}`, { headers: auth });
  expect(down.status).toBe(200);
  expect(sha256(new Uint8Array(await down.arrayBuffer()))).toBe(sha256(big));

  const tooBig = new Uint8Array((MAX_UPLOAD_MB + 8) * 1024 * 1024);
  const atProxy = await fetch(`${stack.url}/api/files?${target}u2&name=huge.bin`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/octet-stream" },
    body: tooBig,
  });
  expect(atProxy.status).toBe(413);
  expect(await atProxy.text()).toContain("nginx");
  // the app refuses it too, had the proxy let it through
  const atNode = await fetch(`${stack.nodes[0].url}/api/files?${target}u3&name=huge.bin`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/octet-stream" },
    body: tooBig,
  });
  expect(atNode.status).toBe(413);
  expect(((await atNode.json()) as { error: { code: string } }).error.code).toBe("too_large");
});

test("the rate limits see the client's real address, whatever X-Forwarded-For it forges", async () => {
  const victim = uniqueName("carl");
  await register(victim);
  const statuses: number[] = [];
  // five failures per name and address are allowed (LOGIN_MAX_FAILURES); each try claims another address
  for (let i = 1; i <= 7; i++) {
    const res = await fetch(`${stack.url}/api/token`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": `203.0.113.${i}` },
      body: JSON.stringify({ username: victim, password: "not the password" }),
    });
    statuses.push(res.status);
  }
  expect(statuses.slice(0, 5).every((s) => s === 401 || s === 403)).toBe(true);
  expect(statuses.slice(5)).toEqual([429, 429]);
});

test("a node killed: every client ends up on the other, with nothing missing", async ({ browser }) => {
  const { page } = await signUp(browser, "dora", { baseURL: stack.url });
  await roomLink(page, roomName).click();
  await expect(page.getByRole("heading", { name: `# ${roomName}` })).toBeVisible();
  await send(page, "before the crash");
  await term.saw(/: before the crash$/);

  const [a] = stack.nodes;
  await stack.kill(a);
  // while the clients find their way to the other node, messages keep coming
  term.send("while a node was down");
  await expect(history(page).getByText("while a node was down")).toBeVisible({ timeout: 30_000 });
  await send(page, "after the crash");
  await term.saw(/: after the crash$/);
  // everyone is on the surviving node now
  await expect.poll(perNode, { timeout: 30_000 }).toEqual([0, expect.any(Number)]);
  // the browser and the terminal client at least (the test's own sockets do not reconnect)
  const [, onB] = await perNode();
  expect(onB).toBeGreaterThanOrEqual(2);
  // and the room's history has every message once, in order
  const reader = io(stack.url, {
    transports: ["websocket"],
    auth: { token: await register(uniqueName("reader")) },
    reconnection: false,
    forceNew: true,
  }) as ProtocolSocket;
  sockets.push(reader);
  await request(reader, "room:join", { roomId });
  const page1 = await request(reader, "room:history", { roomId, limit: 100 });
  const bodies = page1.messages.map((m) => m.body);
  for (const body of [
    "hello from the browser",
    "hello from the terminal",
    "bot checking in",
    "before the crash",
    "while a node was down",
    "after the crash",
  ]) {
    expect(bodies.filter((b) => b === body)).toHaveLength(1);
  }
  expect(page1.messages.map((m) => m.seq)).toEqual(page1.messages.map((_, i) => i + 1));
  await page.context().close();
});
