// A real Komnata node (HTTP API + Socket.IO, no Next.js) on port 0 with its own database,
// and factories for the users and sockets a test needs.
import { Writable } from "node:stream";
import pino from "pino";
import { io as connect } from "socket.io-client";
import { createKomnata, type Komnata } from "../../server/app.ts";
import { loadConfig } from "../../server/env.ts";
import {
  type Ack,
  type ClientEvent,
  type ErrorBody,
  type Input,
  oneByOne,
  type ProtocolSocket,
  type PublicUser,
  type Replies,
  type ServerToClientEvents,
  sendRequest,
  type WireMessage,
} from "../../server/protocol/index.ts";
import type { HashCost } from "../../server/services/users.ts";
import { createTestDatabase, type TestDatabase } from "./database.ts";

export type ClientSocket = ProtocolSocket;

/**
 * Argon2id at its cheapest: tests make hundreds of accounts, and what they test is who may do
 * what, not the hash's strength (tests/unit/services.test.ts checks the production cost is used).
 */
export const TEST_HASH_COST: HashCost = { memoryCost: 64, timeCost: 1, parallelism: 1 };

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface TestServer {
  komnata: Komnata;
  url: string;
  database: TestDatabase;
  logs: LogLine[];
  /** the same lines as written, to check what a log tool would read */
  rawLogs: string[];
  close(): Promise<void>;
}

/**
 * A node on its own fresh database, or on `shared` (another node's), which it then leaves
 * in place when it closes.
 */
export async function startServer(env: Record<string, string> = {}, shared?: TestDatabase): Promise<TestServer> {
  const database = shared ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: "test",
    DATA_DIR: database.dir,
    DATABASE_URL: database.url,
    NEXTAUTH_SECRET: "test-secret-test-secret-test-secret-0123",
    REGISTER_MAX_PER_HOUR: "100000",
    // tests send in bursts no person would; tests/integration/quotas.test.ts checks the limits
    SEND_RATE_PER_USER: "100000",
    REQUEST_RATE_PER_USER: "100000",
    ROOMS_PER_HOUR: "100000",
    ...env,
  });
  const logs: LogLine[] = [];
  const rawLogs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n")) {
        if (!line) continue;
        rawLogs.push(line);
        logs.push(JSON.parse(line) as LogLine);
      }
      done();
    },
  });
  const komnata = await createKomnata(config, {
    withNext: false,
    logger: pino({ level: "debug" }, sink),
    hashCost: TEST_HASH_COST,
  });
  const port = await komnata.listen(0, "127.0.0.1");
  return {
    komnata,
    url: `http://127.0.0.1:${port}`,
    database,
    logs,
    rawLogs,
    close: async () => {
      await komnata.close();
      if (!shared) await database.drop();
    },
  };
}

let counter = 0;
export function uniqueName(prefix = "user"): string {
  counter += 1;
  return `${prefix}${process.pid % 1000}_${Date.now().toString(36).slice(-4)}${counter}`;
}

/** Every field any API reply may have; a test asserts which ones a reply really has. */
export interface ApiReply {
  user: PublicUser;
  token: string;
  error: ErrorBody;
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; body: ApiReply; headers: Headers }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as ApiReply, headers: res.headers };
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
  token: string;
}

export async function createUser(server: TestServer, username = uniqueName()): Promise<TestUser> {
  const password = "correct horse battery";
  const reg = await postJson(`${server.url}/api/register`, { username, password });
  if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${JSON.stringify(reg.body)}`);
  const tok = await postJson(`${server.url}/api/token`, { username, password });
  if (tok.status !== 200) throw new Error(`token failed: ${tok.status} ${JSON.stringify(tok.body)}`);
  return { id: reg.body.user.id, username, password, token: tok.body.token };
}

/** Shares a small file in a room as `user` (POST /api/files) and answers the message that carries it. */
export async function shareFile(
  server: TestServer,
  user: TestUser,
  roomId: string,
  name: string,
  body: string,
  clientMsgId: string,
): Promise<WireMessage> {
  const res = await fetch(`${server.url}/api/files?${new URLSearchParams({ roomId, name, clientMsgId })}`, {
    method: "POST",
    headers: { authorization: `Bearer ${user.token}`, "content-type": "text/plain" },
    body,
  });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { message: WireMessage }).message;
}

const sockets = new Set<ClientSocket>();

export function openSocket(
  server: TestServer,
  auth: Record<string, unknown>,
  extra: Parameters<typeof connect>[1] = {},
): ClientSocket {
  const socket: ClientSocket = connect(server.url, {
    transports: ["websocket"],
    auth,
    reconnection: false,
    forceNew: true,
    ...extra,
  });
  // as the browser and the terminal client do: batches and my own sends reach message:new
  // listeners one by one (tests/integration/delivery.test.ts looks at the frames themselves)
  oneByOne(socket);
  sockets.add(socket);
  return socket;
}

/** A socket as the server sees it: no oneByOne, so what arrives is exactly what was sent. */
export function rawSocket(server: TestServer, user: TestUser): Promise<ClientSocket> {
  const socket: ClientSocket = connect(server.url, { transports: ["websocket"], auth: { token: user.token }, forceNew: true });
  sockets.add(socket);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

/** A connected socket for `user`. */
export async function connectAs(server: TestServer, user: TestUser): Promise<ClientSocket> {
  const socket = openSocket(server, { token: user.token });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

export function closeSockets(): void {
  for (const s of sockets) s.disconnect();
  sockets.clear();
}

/** Emits a request and resolves with its ack. */
export function request<E extends ClientEvent>(socket: ClientSocket, event: E, payload: Input<E>): Promise<Ack<Replies[E]>> {
  return sendRequest(socket, event, payload);
}

/** Ack of a request that must succeed; throws with the error otherwise. */
export async function ok<E extends ClientEvent>(socket: ClientSocket, event: E, payload: Input<E>): Promise<Replies[E]> {
  const reply = await request(socket, event, payload);
  if (!reply.ok) throw new Error(`${event} failed: ${reply.error.code} ${reply.error.message}`);
  return reply;
}

/** A new room made by `owner` with `others` in it, and a connection for each (the owner's first). */
export async function roomWith(server: TestServer, owner: TestUser, ...others: TestUser[]) {
  const o = await connectAs(server, owner);
  const { room } = await ok(o, "room:create", { name: uniqueName("room") });
  const sockets = [o];
  for (const u of others) {
    const s = await connectAs(server, u);
    await ok(s, "room:join", { roomId: room.id });
    sockets.push(s);
  }
  return { roomId: room.id, sockets };
}

/** Collects every `event` the socket receives. */
export function collect<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
): Parameters<ServerToClientEvents[E]>[0][] {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
  socket.on(event, ((payload: Parameters<ServerToClientEvents[E]>[0]) => seen.push(payload)) as never);
  return seen;
}

export async function waitFor(check: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Resolves after in-flight frames have surely arrived: a round trip on each socket. */
export async function settle(...clients: ClientSocket[]): Promise<void> {
  await Promise.all(clients.map((c) => request(c, "room:list", {})));
}

/** What a connection with this token gets at the handshake: "connected", or the refusal's code. */
export async function handshake(server: TestServer, token: string): Promise<string | undefined> {
  const socket = openSocket(server, { token });
  return new Promise((resolve) => {
    socket.once("connect", () => resolve("connected"));
    socket.once("connect_error", (error: Error & { data?: { code?: string } }) => resolve(error.data?.code));
  });
}
