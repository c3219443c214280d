// A server under test, in its own process: `node --expose-gc --import tsx bench/server-process.ts komnata|reference`.
// It reports its port over IPC and answers the orchestrator's requests: a memory reading after a
// full GC, the server-side answer times it recorded, seeding a room's history, stopping.
import diagnostics_channel from "node:diagnostics_channel";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { Session } from "node:inspector";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { writeHeapSnapshot } from "node:v8";
import Database from "better-sqlite3";
import pino from "pino";
import { Server } from "socket.io";
import { createKomnata } from "../server/app.ts";
import { loadConfig } from "../server/env.ts";
import { startReferenceServer } from "./reference-server.ts";

export type Request =
  | { type: "memory" }
  | { type: "timings"; reset?: boolean }
  | { type: "seed"; roomId: string; authorId: string; count: number }
  | { type: "snapshot"; path: string }
  | { type: "profile"; ms: number; path: string }
  | { type: "allocations"; ms: number; path: string }
  | { type: "stop" };

export interface MemoryReading {
  rss: number;
  heapUsed: number;
}

const kind = process.argv[2];
const send = (message: unknown) => process.send?.(message);
const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Memory after full collections, once the heap has stopped giving pages back: V8 returns freed
 * pages to the system lazily, so a single reading of RSS right after a GC moves with whatever was
 * freed shortly before it. The heap is read in the same tick as the last collection: what is
 * live. Read after the wait, it also counted what the heartbeats allocated meanwhile (with
 * 19,500 connections pinged every 15 s, about 9 MiB a second of garbage).
 */
async function memory(): Promise<MemoryReading> {
  let previous = Number.POSITIVE_INFINITY;
  let heapUsed = 0;
  let rss = 0;
  for (let i = 0; i < 10; i++) {
    gc?.();
    gc?.();
    heapUsed = process.memoryUsage().heapUsed;
    await new Promise((r) => setTimeout(r, 300));
    rss = process.memoryUsage().rss;
    if (Math.abs(previous - rss) < 256 * 1024) break;
    previous = rss;
  }
  return { rss, heapUsed };
}

/**
 * A CPU profile of the next `ms` milliseconds only (not start-up), for `--cpu-prof`-like analysis;
 * or, with `allocations`, a sampling heap profile of everything allocated meanwhile, what the
 * collections freed included (what the young generation's scavenges cost is what is allocated).
 */
async function profile(ms: number, file: string, allocations = false): Promise<void> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))),
    );
  const [domain, start, stop, params] = allocations
    ? ([
        "HeapProfiler",
        "startSampling",
        "stopSampling",
        { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true },
      ] as const)
    : (["Profiler", "start", "stop", undefined] as const);
  await post(`${domain}.enable`);
  await post(`${domain}.${start}`, params);
  await new Promise((r) => setTimeout(r, ms));
  const { profile: data } = (await post(`${domain}.${stop}`)) as { profile: unknown };
  writeFileSync(file, JSON.stringify(data));
  session.disconnect();
}

/** A heap snapshot after a full collection: what each connection holds, compared between servers. */
function snapshot(file: string): void {
  gc?.();
  writeHeapSnapshot(file);
  send({ type: "snapshot" });
}

/** Server-side answer times (ms) of the requests the benchmark measures, from dispatch to ack. */
const timings = new Map<string, number[]>();
const TIMED = new Set(["room:join", "room:history"]);

function instrument(): void {
  diagnostics_channel.subscribe("komnata:request", (message) => {
    const { event, ms } = message as { event: string; ms: number };
    if (!TIMED.has(event)) return;
    const list = timings.get(event) ?? [];
    list.push(ms);
    timings.set(event, list);
  });
}

function seed(databaseUrl: string, roomId: string, authorId: string, count: number): void {
  const db = new Database(databaseUrl.slice("file:".length));
  db.pragma("synchronous = OFF");
  const { lastSeq } = db.prepare(`SELECT lastSeq FROM "Room" WHERE id = ?`).get(roomId) as { lastSeq: number };
  const insert = db.prepare(
    `INSERT INTO "Message" (id, roomId, seq, authorId, body, clientMsgId, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const now = Date.now() - count * 10;
  const chunk = 50_000;
  for (let from = 1; from <= count; from += chunk) {
    db.transaction(() => {
      for (let i = from; i < Math.min(from + chunk, count + 1); i++) {
        const seq = lastSeq + i;
        insert.run(`seed-${roomId}-${seq}`, roomId, seq, authorId, `seeded message number ${seq}`, `seed-${seq}`, now + i * 10);
      }
    })();
  }
  db.prepare(`UPDATE "Room" SET lastSeq = ?, lastMessageAt = ?, activityAt = ? WHERE id = ?`).run(
    lastSeq + count,
    now + count * 10,
    now + count * 10,
    roomId,
  );
  db.close();
}

if (kind === "reference") {
  const server = await startReferenceServer(0, Number(process.env.REFERENCE_DROP_EVERY ?? 0));
  send({ type: "ready", port: server.port, pid: process.pid });
  process.on("message", async (request: Request) => {
    if (request.type === "memory") send({ type: "memory", memory: await memory() });
    if (request.type === "profile" || request.type === "allocations") {
      await profile(request.ms, request.path, request.type === "allocations");
      send({ type: "profile" });
    }
    if (request.type === "stop") {
      await server.close();
      process.exit(0);
    }
  });
} else if (kind === "socketio") {
  // Stock Socket.IO with Komnata's transport options and nothing else: what the library itself costs.
  const http = createServer();
  const io = new Server(http, { serveClient: false, perMessageDeflate: false, maxHttpBufferSize: 64 * 1024 });
  io.on("connection", (socket) => {
    socket.join(String(socket.handshake.query.room ?? "lobby"));
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  send({ type: "ready", port: (http.address() as AddressInfo).port, pid: process.pid });
  process.on("message", async (request: Request) => {
    if (request.type === "memory") send({ type: "memory", memory: await memory() });
    if (request.type === "snapshot") snapshot(request.path);
    if (request.type === "stop") {
      io.close();
      process.exit(0);
    }
  });
} else if (kind === "komnata") {
  const dataDir = process.env.BENCH_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), "komnata-bench-"));
  const config = loadConfig({
    NODE_ENV: "production",
    DATA_DIR: dataDir,
    NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret-01",
    REGISTER_MAX_PER_HOUR: "1000000",
    LOGIN_MAX_FAILURES: "1000000",
    // the benchmark measures throughput, not the per-user limits
    SEND_RATE_PER_USER: "1000000",
    REQUEST_RATE_PER_USER: "1000000",
    ROOMS_PER_HOUR: "1000000",
    // thousands of idle connections from the one generator
    SOCKETS_PER_USER: "1000000",
    SOCKETS_PER_ADDRESS: "1000000",
    ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
    // several nodes (`--nodes`): broadcasts and presence across them
    ...(process.env.BENCH_NODE_REDIS_URL ? { REDIS_URL: process.env.BENCH_NODE_REDIS_URL } : {}),
  });
  const komnata = await createKomnata(config, { withNext: false, logger: pino({ level: "silent" }) });
  instrument();
  const port = await komnata.listen(0, "127.0.0.1");
  send({ type: "ready", port, pid: process.pid });
  process.on("message", async (request: Request) => {
    if (request.type === "memory") send({ type: "memory", memory: await memory() });
    if (request.type === "profile" || request.type === "allocations") {
      await profile(request.ms, request.path, request.type === "allocations");
      send({ type: "profile" });
    }
    if (request.type === "snapshot") snapshot(request.path);
    if (request.type === "timings") {
      send({ type: "timings", timings: Object.fromEntries(timings) });
      if (request.reset) timings.clear();
    }
    if (request.type === "seed") {
      seed(config.databaseUrl, request.roomId, request.authorId, request.count);
      send({ type: "seeded" });
    }
    if (request.type === "stop") {
      await komnata.close();
      process.exit(0);
    }
  });
} else {
  console.error("usage: bench/server-process.ts komnata|reference");
  process.exit(2);
}
