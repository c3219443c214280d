// Child-process Komnata nodes and clients for the fault tests.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { io } from "socket.io-client";
import { afterEach } from "vitest";
import { type ProtocolSocket, request, sendRequest } from "../../server/protocol/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { takePort } from "../helpers/ports.ts";

export { takePort };

const root = path.resolve(import.meta.dirname, "..", "..");
const children: ChildProcess[] = [];
export const databases: TestDatabase[] = [];
const sockets: ProtocolSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  for (const c of children.splice(0)) c.kill("SIGKILL");
  for (const d of databases.splice(0)) await d.drop();
});

export interface Node {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  output: string[];
}

/** Starts a node (without pages) on `database` in its own process, and waits until it serves. */
export async function startNode(database: TestDatabase, port: number, env: Record<string, string> = {}): Promise<Node> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "tests/faults/node-process.ts")], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: database.dir,
      DATABASE_URL: database.url,
      NEXTAUTH_SECRET: "fault-secret-fault-secret-fault-secret-01",
      REGISTER_MAX_PER_HOUR: "100000",
      SEND_RATE_PER_USER: "100000",
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const output: string[] = [];
  child.stdout?.on("data", (c: Buffer) => output.push(c.toString("utf8")));
  child.stderr?.on("data", (c: Buffer) => output.push(c.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the node exited: ${output.join("")}`);
    const res = await fetch(`${url}/api/health`).catch(() => null);
    if (res?.ok) break;
    if (Date.now() > deadline) {
      throw new Error(`the node did not start (health: ${res ? await res.text() : "no answer"}): ${output.join("")}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, child, exited, output };
}

export async function signUp(url: string, username: string): Promise<string> {
  const body = JSON.stringify({ username, password: "fault-password-1" });
  const headers = { "content-type": "application/json" };
  await fetch(`${url}/api/register`, { method: "POST", headers, body });
  const res = await fetch(`${url}/api/token`, { method: "POST", headers, body });
  return ((await res.json()) as { token: string }).token;
}

export async function connect(url: string, token: string): Promise<ProtocolSocket> {
  const socket: ProtocolSocket = io(url, { transports: ["websocket"], auth: { token }, reconnection: false, forceNew: true });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

/**
 * Eight senders sending as fast as their acks come back, until `stop()`: returns the
 * clientMsgIds the server acknowledged as stored.
 */
export function storm(senders: ProtocolSocket[], roomId: string) {
  const acked = new Set<string>();
  let running = true;
  const loops = senders.map(async (socket, s) => {
    for (let i = 0; running; i++) {
      const clientMsgId = `s${s}-${i}`;
      const reply = await sendRequest(socket, "message:send", { roomId, body: `storm ${clientMsgId}`, clientMsgId }, 3000).catch(
        () => null,
      );
      if (reply?.ok) acked.add(clientMsgId);
      if (!reply || !socket.connected) return;
    }
  });
  return {
    acked,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** Every message of the room, read back through the protocol. */
export async function everything(socket: ProtocolSocket, roomId: string) {
  const all: { seq: number; clientMsgId: string }[] = [];
  for (let after = 0; ; ) {
    const page = await request(socket, "room:history", { roomId, afterSeq: after, limit: 100 });
    all.push(...page.messages);
    if (!page.hasMore || page.messages.length === 0) return all;
    after = page.messages[page.messages.length - 1].seq;
    // requests other than sends are limited to 20 a second per connection
    await new Promise((r) => setTimeout(r, 60));
  }
}

/** A node on a new database of `provider`, eight users in one room, ready for a storm. */
export async function prepareStorm(provider: "sqlite" | "postgres", env: Record<string, string> = {}) {
  const database = await createTestDatabase(provider);
  databases.push(database);
  const port = await takePort();
  const node = await startNode(database, port, env);
  const tokens = await Promise.all(Array.from({ length: 8 }, (_, i) => signUp(node.url, `storm${i}_${port}`)));
  const senders = await Promise.all(tokens.map((t) => connect(node.url, t)));
  const { room } = await request(senders[0], "room:create", { name: `storm-${port}` });
  for (const s of senders.slice(1)) await request(s, "room:join", { roomId: room.id });
  return { database, port, node, tokens, senders, roomId: room.id };
}
