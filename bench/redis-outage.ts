// What each Socket.IO Redis adapter delivers live through a Redis outage (issue 9, decision 010):
// `npx tsx bench/redis-outage.ts [seconds]`. Two nodes on one PostgreSQL database, a reader and a
// steady sender on each; then either Redis is killed and started again, or one node's link to it
// is cut and restored. Counts what each reader received live (not what it fetched afterwards:
// clients fetch gaps by seq, so nothing is lost either way) and how late.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { io } from "socket.io-client";
import { type ProtocolSocket, request, type WireMessage } from "../server/protocol/index.ts";
import { Relay } from "../tests/faults/relay.ts";
import { createTestDatabase } from "../tests/helpers/database.ts";

const root = path.resolve(import.meta.dirname, "..");
const OUTAGE_MS = Number(process.argv[2] ?? 2) * 1000;
const RATE = 40; // messages a second per sender
const children: ChildProcess[] = [];
process.on("exit", () => {
  for (const c of children) c.kill("SIGKILL");
});

let nextPort = 41_000 + Math.floor(Math.random() * 10_000);
const port = () => nextPort++;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, probe: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await probe().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} did not come up`);
}

function startRedis(at: number): ChildProcess {
  const redis = spawn("redis-server", ["--port", String(at), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  children.push(redis);
  return redis;
}

async function redisUp(at: number): Promise<void> {
  await until("redis", async () => {
    const probe = spawn("redis-cli", ["-p", String(at), "ping"], { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    probe.stdout.on("data", (c: Buffer) => (out += c.toString()));
    return new Promise<boolean>((resolve) => probe.on("exit", () => resolve(out.includes("PONG"))));
  });
}

async function startNode(databaseUrl: string, dir: string, redisUrl: string, adapter: string): Promise<string> {
  const at = port();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "tests/faults/node-process.ts")], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(at),
      HOST: "127.0.0.1",
      DATA_DIR: dir,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_ADAPTER: adapter,
      NEXTAUTH_SECRET: "outage-secret-outage-secret-outage-secret",
      REGISTER_MAX_PER_HOUR: "100000",
      SEND_RATE_PER_USER: "100000",
      LOG_LEVEL: "silent",
    },
    stdio: "ignore",
  });
  children.push(child);
  const url = `http://127.0.0.1:${at}`;
  await until("a node", async () => (await fetch(`${url}/api/health`)).ok);
  return url;
}

async function signIn(url: string, username: string): Promise<string> {
  const body = JSON.stringify({ username, password: "outage-password-1" });
  const headers = { "content-type": "application/json" };
  await fetch(`${url}/api/register`, { method: "POST", headers, body });
  const res = await fetch(`${url}/api/token`, { method: "POST", headers, body });
  return ((await res.json()) as { token: string }).token;
}

async function connect(url: string, token: string): Promise<ProtocolSocket> {
  const socket: ProtocolSocket = io(url, { transports: ["websocket"], auth: { token }, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

interface Result {
  stored: number;
  /** per reader (node 1, node 2): seqs received live, and how many of those more than 1 s late */
  live: number[];
  late: number[];
  worstMs: number[];
}

async function run(adapter: "pubsub" | "streams", fault: "redis restarted" | "node 2 cut off"): Promise<Result> {
  const database = await createTestDatabase("postgres");
  const redisPort = port();
  let redis = startRedis(redisPort);
  await redisUp(redisPort);
  const relay = new Relay(port(), { host: "127.0.0.1", port: redisPort });
  await relay.start();
  try {
    const urls = [
      await startNode(database.url, database.dir, `redis://127.0.0.1:${redisPort}`, adapter),
      await startNode(database.url, database.dir, `redis://127.0.0.1:${relay.port}`, adapter),
    ];
    const tag = `${adapter[0]}${fault[0]}${redisPort}`;
    const tokens = await Promise.all([0, 1, 2, 3].map((i) => signIn(urls[0], `${tag}_${i}`)));
    const readers = await Promise.all([0, 1].map((i) => connect(urls[i], tokens[i])));
    const senders = await Promise.all([0, 1].map((i) => connect(urls[i], tokens[i + 2])));
    const { room } = await request(senders[0], "room:create", { name: tag });
    for (const s of [...readers, senders[1]]) await request(s, "room:join", { roomId: room.id });

    const received = readers.map(() => new Map<number, number>());
    for (const [i, reader] of readers.entries()) {
      reader.on("message:new", (m: WireMessage) => {
        if (!received[i].has(m.seq)) received[i].set(m.seq, Date.now() - Date.parse(m.createdAt));
      });
    }
    let sending = true;
    const loops = senders.map(async (socket, s) => {
      for (let i = 0; sending; i++) {
        const started = Date.now();
        await request(socket, "message:send", { roomId: room.id, body: `m${s}-${i}`, clientMsgId: `m${s}-${i}` }).catch(
          () => undefined,
        );
        await sleep(Math.max(0, 1000 / RATE - (Date.now() - started)));
      }
    });

    await sleep(1500);
    if (fault === "redis restarted") {
      redis.kill("SIGKILL");
      await sleep(OUTAGE_MS);
      redis = startRedis(redisPort);
      await redisUp(redisPort);
    } else {
      await relay.stop();
      await sleep(OUTAGE_MS);
      await relay.start();
    }
    await sleep(4000);
    sending = false;
    await Promise.all(loops);
    await sleep(6000); // anything queued somewhere has time to arrive
    let stored = 0;
    for (let after = 0, more = true; more; ) {
      const page = await request(senders[0], "room:history", { roomId: room.id, afterSeq: after, limit: 100 });
      stored += page.messages.length;
      after = page.messages.at(-1)?.seq ?? after;
      more = page.hasMore;
      await sleep(60);
    }
    for (const s of [...readers, ...senders]) s.disconnect();
    return {
      stored,
      live: received.map((r) => r.size),
      late: received.map((r) => [...r.values()].filter((ms) => ms > 1000).length),
      worstMs: received.map((r) => Math.max(0, ...r.values())),
    };
  } finally {
    await relay.stop();
    for (const c of children.splice(0)) c.kill("SIGKILL");
    await database.drop();
  }
}

console.log(`outage ${OUTAGE_MS / 1000} s; two senders at ${RATE}/s, one on each node; readers on node 1 and node 2`);
console.log("adapter  fault            stored  live@1  live@2  late@1  late@2  worst@1  worst@2");
for (const fault of ["redis restarted", "node 2 cut off"] as const) {
  for (const adapter of ["pubsub", "streams"] as const) {
    const r = await run(adapter, fault);
    const cells = [r.stored, ...r.live, ...r.late].map((v) => String(v).padStart(6));
    const worst = r.worstMs.map((ms) => `${(ms / 1000).toFixed(1)} s`.padStart(7));
    console.log(`${adapter.padEnd(8)} ${fault.padEnd(16)} ${cells.join("  ")}  ${worst.join("  ")}`);
  }
}
process.exit(0);
