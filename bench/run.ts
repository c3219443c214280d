// `npm run bench [-- --quick] [-- --idle-20k] [-- --nodes 2]`: Komnata beside a raw `ws` reference, in one run.
// Prints a table, writes bench/results/<date>.json and .svg (<date>-2… for a later run the same
// day). Method: docs/performance.md.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { createClient } from "redis";
import { runMigrations } from "../server/db/migrate.ts";
import { openDatabase } from "../server/db.ts";
import { request } from "../server/protocol/index.ts";
import { createMessageQueue } from "../server/queue/message-queue.ts";
import { openMessageStore } from "../server/services/message-store/index.ts";
import { type ChartRow, renderChart } from "./lib/chart.ts";
import {
  type Credentials,
  openIdle,
  openKomnataSocket,
  RoomLoad,
  registerUsers,
  type StepResult,
  timeRequests,
} from "./lib/load.ts";
import { type Summary, summarize } from "./lib/stats.ts";
import { canPin, clusterTarget, type Kind, startTarget, type Target } from "./lib/target.ts";
import { REQUIRED_QUERIES, SEARCH_QUERIES, type SearchBench, searchBench, sqliteSearchUrl } from "./search.ts";

const argv = new Set(process.argv.slice(2));
const quick = argv.has("--quick");
const idle20k = argv.has("--idle-20k");
/**
 * How many idle connections the 20k run opens: 20,000, or as many as the open-file limit lets the
 * server and the generator (each a process holding one descriptor per connection) open.
 */
function largeIdleCount(): number {
  const limit = Number(spawnSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" }).stdout.trim());
  return Number.isFinite(limit) ? Math.min(20_000, Math.floor((limit - 500) / 500) * 500) : 20_000;
}
// `--nodes 2`: also two Komnata nodes on PostgreSQL + Redis, a room's members split over them
const nodesAt = process.argv.indexOf("--nodes");
const nodeCount = nodesAt === -1 ? 1 : Number(process.argv[nodesAt + 1] ?? 2);
const root = path.resolve(import.meta.dirname, "..");
const started = performance.now();

const plan = quick
  ? {
      stepMs: 1500,
      warmMs: 500,
      fanWarmMs: 3000,
      kneeRates: [500, 1500, 2500, 4000, 6000],
      idle: [1000],
      history: 100_000,
      samples: 60,
      persist: 10_000,
      search: 100_000,
      searchSamples: 50,
    }
  : {
      stepMs: 4000,
      warmMs: 1000,
      fanWarmMs: 15_000,
      kneeRates: [500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 5000, 6000, 8000, 10_000, 12_000],
      idle: idle20k ? [5000, largeIdleCount()] : [5000],
      history: 1_000_000,
      samples: 300,
      persist: 50_000,
      search: 1_000_000,
      searchSamples: 200,
    };

function log(message: string): void {
  const s = Math.round((performance.now() - started) / 1000);
  console.log(`[${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}] ${message}`);
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
const describeStep = (r: StepResult) =>
  `${r.deliveriesPerSec} deliveries/s, p50 ${fmt(r.latencyMs.p50)} ms, p99 ${fmt(r.latencyMs.p99)} ms, max ${fmt(r.latencyMs.max)} ms, ` +
  `delivered ${r.delivered}/${r.expected}${r.ackErrors ? `, ${r.ackErrors} refused` : ""}, server CPU ${r.serverCpuMs} ms, generator CPU ${r.generatorCpuMs} ms`;

// The generator runs on the other core than the servers (they are pinned to core 0).
if (canPin) spawnSync("taskset", ["-p", "-c", "1", String(process.pid)], { stdio: "ignore" });

async function withTargets<K extends Kind, T>(
  kinds: K[],
  fn: (targets: Record<K, Target>) => Promise<T>,
  env: Record<string, string> = {},
): Promise<T> {
  const targets = {} as Record<K, Target>;
  try {
    for (const kind of kinds) targets[kind] = await startTarget(kind, env);
    return await fn(targets);
  } finally {
    await Promise.all(Object.values<Target>(targets).map((t) => t.stop()));
  }
}

// 1 + 2. Fan-out at fixed rates, then the knee.
interface Fanout {
  scenario: string;
  rate: number;
  komnata: StepResult;
  reference: StepResult;
}
interface Knee {
  steps: StepResult[];
  lastGood: StepResult | null;
  generatorBound: boolean;
}

const failed = (s: StepResult) => s.latencyMs.p99 > 50 || s.lost > 0 || s.ackErrors > 0;

/**
 * The 10 x 20 rate raised step by step until p99 passes 50 ms or anything is lost, twice in a
 * row. With several loads (one per server) they climb in lockstep: at each rate every server
 * still climbing runs its step, one right after the other, so each rate meets them all on the
 * same machine: a shared machine's speed drifts over the minutes a search takes.
 */
async function findKnees<K extends string>(loads: Record<K, RoomLoad>): Promise<Record<K, Knee>> {
  const kinds = Object.keys(loads) as K[];
  const steps = Object.fromEntries(kinds.map((k) => [k, []])) as unknown as Record<K, StepResult[]>;
  let climbing = kinds;
  for (const kneeRate of plan.kneeRates) {
    for (const kind of climbing) {
      // each server sat idle while the others ran (V8 shrinks an idle heap): warm it up at this
      // rate first, untimed, as a server that climbs alone is warmed by its own previous step
      if (kinds.length > 1) await loads[kind].run(kneeRate, plan.warmMs, 500);
      let step = await loads[kind].run(kneeRate, plan.stepMs);
      log(`knee ${kind} @ ${kneeRate} msg/s: ${describeStep(step)}`);
      // A shared machine has hiccups: a step must fail twice in a row to end the search.
      if (failed(step)) {
        step = await loads[kind].run(kneeRate, plan.stepMs);
        log(`knee ${kind} @ ${kneeRate} msg/s, again: ${describeStep(step)}`);
      }
      steps[kind].push(step);
    }
    climbing = climbing.filter((k) => !failed(steps[k].at(-1) as StepResult));
    if (climbing.length === 0) break;
  }
  return Object.fromEntries(kinds.map((k) => [k, kneeOf(steps[k])])) as Record<K, Knee>;
}

function kneeOf(steps: StepResult[]): Knee {
  const lastGood = steps.filter((s) => !failed(s)).at(-1) ?? null;
  // When the generator used (nearly) a whole core, it, not the server, may have been the limit.
  const generatorBound = lastGood !== null && lastGood.generatorCpuMs > 0.85 * lastGood.durationMs;
  return { steps, lastGood, generatorBound };
}

const findKnee = async (load: RoomLoad, label: string): Promise<Knee> => (await findKnees({ [label]: load }))[label];

/**
 * Before a fixed-rate fan-out is timed, each server runs it untimed for `fanWarmMs` (all at once:
 * each has its own clients). A server's first seconds of a load run its path before V8 has
 * optimized it: Komnata's CPU per message at 200 msg/s was 938-975 µs 3 s in and 681-688 µs 30 s
 * in, its p99 3.4-3.6 ms and 1.6-1.7 ms; the reference's moved 6% (docs/performance.md). A
 * server that has run for more than a few seconds is what a chat runs on, and the knee's climb
 * starts warm too.
 */
const warmUp = (loads: RoomLoad[], rate: number) => Promise.all(loads.map((load) => load.run(rate, plan.fanWarmMs)));

/**
 * A fixed rate, side by side: slices of half a step alternating between the servers, four times a
 * step's length in all for each (16 s). A p99 of a few milliseconds is set by how many of the
 * machine's stalls the window meets: with 8 s, two runs of the same code had the reference's at
 * 2.7 and 5.0 ms (thirteenth session).
 */
const sideBySide = <K extends string>(loads: Record<K, RoomLoad>, rate: number) =>
  RoomLoad.sideBySide(loads, rate, 8, plan.stepMs / 2);

async function fanoutAndKnee(): Promise<{ fanout: Fanout[]; knee: Record<"komnata" | "reference", Knee> }> {
  return withTargets(["komnata", "reference"], async (targets) => {
    log("registering 200 users on Komnata through the HTTP API");
    const users = await registerUsers(targets.komnata.url, 200, "bench");
    const fanout: Fanout[] = [];
    let knee = {} as Record<"komnata" | "reference", Knee>;
    for (const [rooms, members, rate] of [
      [10, 20, 200],
      [1, 200, 50],
    ] as const) {
      const scenario = `${rooms} x ${members}`;
      const loads = {
        reference: await RoomLoad.open(targets.reference, rooms, members, users, `fan${rooms}x${members}`),
        komnata: await RoomLoad.open(targets.komnata, rooms, members, users, `fan${rooms}x${members}`),
      };
      await warmUp(Object.values(loads), rate);
      const results = await sideBySide(loads, rate);
      for (const kind of ["reference", "komnata"] as const)
        log(`fan-out ${scenario} @ ${rate} msg/s, ${kind}: ${describeStep(results[kind])}`);
      if (rooms === 10) knee = await findKnees(loads);
      for (const load of Object.values(loads)) await load.close();
      fanout.push({ scenario, rate, komnata: results.komnata, reference: results.reference });
    }
    return { fanout, knee };
  });
}

// 3. Idle connections.
type PerConnection = { rssPerConnKiB: number; heapPerConnKiB: number; rssMiB: number };
interface Idle {
  connections: number;
  komnata: PerConnection;
  reference: PerConnection;
  /** stock Socket.IO with the same transport options: what the library alone costs */
  socketio: PerConnection;
}

async function idle(connections: number): Promise<Idle> {
  // Users are registered on a first server: the one measured never ran a password hash (Argon2
  // takes 19 MiB a hash, which would blur its memory baseline).
  const dataDir = mkdtempSync(path.join(tmpdir(), "komnata-idle-"));
  const users = await withTargets(["komnata"], ({ komnata }) => registerUsers(komnata.url, 50, "idle"), {
    BENCH_DATA_DIR: dataDir,
  });
  return withTargets(
    ["reference", "socketio", "komnata"],
    async (targets) => {
      const out = { connections } as Idle;
      for (const kind of ["reference", "socketio", "komnata"] as const) {
        const target = targets[kind];
        const before = await target.memory();
        const close = await openIdle(target, connections, users, (n) => {
          if (n % 1000 === 0) log(`idle ${kind}: ${n}/${connections} open`);
        });
        await new Promise((r) => setTimeout(r, 2000));
        const after = await target.memory();
        close();
        out[kind] = {
          rssPerConnKiB: (after.rss - before.rss) / 1024 / connections,
          heapPerConnKiB: (after.heapUsed - before.heapUsed) / 1024 / connections,
          rssMiB: after.rss / 1024 / 1024,
        };
        log(
          `idle ${kind}, ${connections} connections: ${fmt(out[kind].rssPerConnKiB)} KiB RSS, ${fmt(out[kind].heapPerConnKiB)} KiB heap per connection, ${fmt(out[kind].rssMiB)} MiB RSS in all`,
        );
        await new Promise((r) => setTimeout(r, 1000));
      }
      return out;
    },
    { BENCH_DATA_DIR: dataDir },
  );
}

// 4. History with many rows, idle and under load.
interface HistoryResult {
  rows: number;
  idle: { server: Record<string, Summary>; roundTrip: Record<string, Summary> };
  underLoad: { server: Record<string, Summary>; roundTrip: Record<string, Summary>; load: StepResult };
}

/** untimed room:join + room:history pairs before the idle samples */
const HISTORY_WARMUP = 20;

async function history(): Promise<HistoryResult> {
  return withTargets(["komnata"], async ({ komnata }) => {
    const users = await registerUsers(komnata.url, 201, "hist");
    const reader: Credentials = users[200];
    const socket = await openKomnataSocket(komnata.url, reader.token);
    const { room } = await request(socket, "room:create", { name: `history-${Date.now()}` }, 30_000);
    const roomId = room.id;
    socket.disconnect();
    log(`seeding ${plan.history.toLocaleString("en")} messages into one room`);
    await komnata.seed(roomId, reader.id, plan.history);
    const serverSide = async () => {
      const t = await komnata.timings(true);
      return { join: summarize(t["room:join"] ?? []), history: summarize(t["room:history"] ?? []) };
    };
    // untimed first: a process's first requests of a kind run before V8 has compiled their path
    // (the first few took 3-5x the median), which a server that has been up a minute is past
    await timeRequests(komnata.url, reader.token, roomId, HISTORY_WARMUP, plan.history);
    await komnata.timings(true);
    const idleRt = await timeRequests(komnata.url, reader.token, roomId, plan.samples, plan.history);
    const idleServer = await serverSide();
    log(
      `history idle: room:join p50 ${fmt(idleServer.join.p50, 2)} / p99 ${fmt(idleServer.join.p99, 2)} ms, room:history p50 ${fmt(idleServer.history.p50, 2)} / p99 ${fmt(idleServer.history.p99, 2)} ms (server side)`,
    );

    const load = await RoomLoad.open(komnata, 10, 20, users, "histload");
    // only the reader's requests under the load count: not the fan-out members' own first joins
    // of their rooms (a membership write and a broadcast each), made before the load starts
    await komnata.timings(true);
    // as many samples as idle, so that the p99 is not the worst but one of a hundred (one of
    // the two reads over 5 ms in each of two runs, thirteenth session); the load outlasts them
    const [loadResult, loadedRt] = await Promise.all([
      load.run(200, Math.max(plan.stepMs * 4, 6000)),
      new Promise((r) => setTimeout(r, 300)).then(() =>
        timeRequests(komnata.url, reader.token, roomId, plan.samples, plan.history),
      ),
    ]);
    const loadedServer = await serverSide();
    await load.close();
    log(
      `history under fan-out load: room:join p99 ${fmt(loadedServer.join.p99, 2)} ms, room:history p99 ${fmt(loadedServer.history.p99, 2)} ms (server side)`,
    );
    return {
      rows: plan.history,
      idle: { server: idleServer, roundTrip: idleRt },
      underLoad: { server: loadedServer, roundTrip: loadedRt, load: loadResult },
    };
  });
}

// 5. Persistence: the queue's batched writes against raw better-sqlite3 inserts of the same rows.
async function persistence(): Promise<{ messages: number; queuePerSec: number; rawPerSec: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), "komnata-persist-"));
  const url = `file:${path.join(dir, "queue.db")}`;
  await runMigrations(url);
  const { db, provider, close } = await openDatabase(url);
  const store = openMessageStore(url);
  const rooms = 10;
  const authors = Array.from({ length: rooms }, (_, i) => ({ id: `u${i}`, username: `user${i}` }));
  for (const a of authors)
    await db.user.create({ data: { id: a.id, username: a.username, usernameKey: a.username, passwordHash: "x" } });
  for (let r = 0; r < rooms; r++)
    await db.room.create({ data: { id: `r${r}`, name: `r${r}`, nameKey: `r${r}`, createdById: "u0" } });
  const n = plan.persist;
  const queue = createMessageQueue(store, provider, { maxPending: n, maxPendingPerSender: n });
  let t = performance.now();
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      queue.enqueue(`r${i % rooms}`, authors[i % rooms].id, {
        author: authors[i % rooms],
        body: `persisted message ${i}`,
        clientMsgId: `c${i}`,
      }),
    ),
  );
  const queueMs = performance.now() - t;
  await store.close();
  await close();

  const rawUrl = `file:${path.join(dir, "raw.db")}`;
  await runMigrations(rawUrl);
  const raw = new Database(rawUrl.slice("file:".length));
  raw.pragma("synchronous = NORMAL");
  raw.exec(`INSERT INTO "User" (id, username, usernameKey, passwordHash) VALUES ('u0', 'u0', 'u0', 'x')`);
  for (let r = 0; r < rooms; r++)
    raw.exec(`INSERT INTO "Room" (id, name, nameKey, createdById) VALUES ('r${r}', 'r${r}', 'r${r}', 'u0')`);
  const insert = raw.prepare(
    `INSERT INTO "Message" (id, roomId, seq, authorId, body, clientMsgId, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  t = performance.now();
  raw.transaction(() => {
    for (let i = 0; i < n; i++)
      insert.run(`m${i}`, `r${i % rooms}`, Math.floor(i / rooms) + 1, "u0", `persisted message ${i}`, `c${i}`, Date.now());
  })();
  const rawMs = performance.now() - t;
  raw.close();
  const result = { messages: n, queuePerSec: Math.round(n / (queueMs / 1000)), rawPerSec: Math.round(n / (rawMs / 1000)) };
  log(
    `persistence: queue ${result.queuePerSec.toLocaleString("en")} msg/s, raw better-sqlite3 ${result.rawPerSec.toLocaleString("en")} rows/s`,
  );
  return result;
}

// 6. Cold start: process spawn to the first served page and the first accepted socket.
async function coldStart(): Promise<{ firstPageMs: number; firstSocketMs: number }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "komnata-cold-"));
  const port = 3900 + Math.floor(Math.random() * 90);
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: "warn", NEXT_TELEMETRY_DISABLED: "1" };
  const launch = () =>
    spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts", "start.ts")], {
      cwd: root,
      env,
      stdio: ["ignore", "ignore", "inherit"],
    });
  const stop = (child: ReturnType<typeof launch>) =>
    new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  const until = async (check: () => Promise<boolean>) => {
    for (;;) {
      if (await check().catch(() => false)) return performance.now();
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  // A first, untimed start builds the pages if needed and creates the database.
  log("cold start: warm-up start (builds the pages if there is no build)");
  let child = launch();
  await until(async () => (await fetch(`${base}/api/health`)).ok);
  const [user] = await registerUsers(base, 1, "cold");
  await stop(child);

  const t0 = performance.now();
  child = launch();
  const page = await until(async () => (await fetch(`${base}/login`)).status === 200);
  const socket = await until(async () => {
    const s = await openKomnataSocket(base, user.token);
    s.disconnect();
    return true;
  });
  await stop(child);
  const result = { firstPageMs: Math.round(page - t0), firstSocketMs: Math.round(socket - t0) };
  log(`cold start: first page ${result.firstPageMs} ms, first socket ${result.firstSocketMs} ms after spawn`);
  return result;
}

/** Runs `fn` on a fresh PostgreSQL database (dropped after), or answers null when none answers. */
async function withPostgresDatabase<T>(fn: (url: string) => Promise<T>): Promise<T | null> {
  const adminUrl = process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const name = `komnata_bench_${Date.now().toString(36)}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

// 2b. The 10 x 20 fan-out and its knee with Komnata on PostgreSQL (one node), when one answers.
// PostgreSQL's own processes are not pinned: they share the generator's core.
interface OnPostgres {
  fanout: StepResult;
  knee: Knee;
}

async function fanoutOnPostgres(): Promise<OnPostgres | null> {
  const result = await withPostgresDatabase((url) =>
    withTargets(
      ["komnata"],
      async ({ komnata }) => {
        const users = await registerUsers(komnata.url, 200, "pgbench");
        const load = await RoomLoad.open(komnata, 10, 20, users, "pgfan");
        await warmUp([load], 200);
        const fanout = (await sideBySide({ komnata: load }, 200)).komnata;
        log(`fan-out 10 x 20 @ 200 msg/s, komnata on PostgreSQL: ${describeStep(fanout)}`);
        const knee = await findKnee(load, "komnata on PostgreSQL");
        await load.close();
        return { fanout, knee };
      },
      { BENCH_DATABASE_URL: url },
    ),
  );
  if (!result) log("fan-out on PostgreSQL: skipped (no server at BENCH_PG_URL or 127.0.0.1:5432)");
  return result;
}

// 2c. With `--nodes N`: N nodes on one PostgreSQL database and one Redis, node i on core i % cores,
// a room's members alternating between them, so most deliveries cross nodes through Redis.
async function fanoutOnNodes(count: number): Promise<OnPostgres | null> {
  const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
  const redis = createClient({ url: redisUrl, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  redis.on("error", () => undefined);
  const reachable = await redis.connect().then(
    () => true,
    () => false,
  );
  if (reachable) await redis.quit();
  else {
    log(`${count} nodes: skipped (no Redis at BENCH_REDIS_URL or ${redisUrl})`);
    return null;
  }
  const result = await withPostgresDatabase(async (url) => {
    const env = { BENCH_DATABASE_URL: url, BENCH_NODE_REDIS_URL: redisUrl };
    const nodes: Target[] = [];
    try {
      for (let i = 0; i < count; i++) nodes.push(await startTarget("komnata", env, i % cpus().length));
      const cluster = clusterTarget(nodes);
      const users = await registerUsers(nodes[0].url, 200, "nodes");
      const load = await RoomLoad.open(cluster, 10, 20, users, "nodesfan");
      await warmUp([load], 200);
      const fanout = (await sideBySide({ komnata: load }, 200)).komnata;
      log(`fan-out 10 x 20 @ 200 msg/s, ${count} nodes: ${describeStep(fanout)}`);
      const knee = await findKnee(load, `${count} nodes`);
      await load.close();
      return { fanout, knee };
    } finally {
      await Promise.all(nodes.map((n) => n.stop()));
    }
  });
  if (!result) log(`${count} nodes: skipped (no PostgreSQL at BENCH_PG_URL or 127.0.0.1:5432)`);
  return result;
}

// 7. Search over a large history, on SQLite, and on PostgreSQL when one answers.
async function search(): Promise<{ sqlite: SearchBench; postgres: SearchBench | null }> {
  log(`search: seeding ${plan.search.toLocaleString("en")} messages on SQLite`);
  const sqlite = await searchBench(sqliteSearchUrl(), plan.search, plan.searchSamples);
  const timesOf = (b: SearchBench) =>
    Object.entries(b.queries)
      .map(([q, t]) => `${q} p99 ${fmt(t.p99, 2)} ms`)
      .join(", ");
  log(`search on SQLite: ${timesOf(sqlite)}`);
  const postgres = await withPostgresDatabase(async (url) => {
    log(`search: seeding ${plan.search.toLocaleString("en")} messages on PostgreSQL`);
    const found = await searchBench(url, plan.search, plan.searchSamples);
    log(`search on PostgreSQL: ${timesOf(found)}`);
    return found;
  });
  if (!postgres) log("search on PostgreSQL: skipped (no server at BENCH_PG_URL or 127.0.0.1:5432)");
  return { sqlite, postgres };
}

// Run everything, then report.
log(
  `Komnata benchmark${quick ? " (quick)" : ""}: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), Node ${process.version}${canPin ? ", servers on core 0, generator on core 1" : ", not pinned"}`,
);
const fan = await fanoutAndKnee();
const fanPg = await fanoutOnPostgres();
const fanNodes = nodeCount > 1 ? await fanoutOnNodes(nodeCount) : null;
const idleResults: Idle[] = [];
for (const n of plan.idle) idleResults.push(await idle(n));
const hist = await history();
const persist = await persistence();
const cold = await coldStart();
const found = await search();

const k = fan.knee.komnata.lastGood;
const r = fan.knee.reference.lastGood;
// knees are compared with the reference's by the step's rate: deliveries/s also move with how long
// the generator took to send a step (a few milliseconds either way), not with either server
const kneeRatioOf = (s: StepResult | null) => (s?.rate ?? 0) / (r?.rate ?? 1);
const kneeRatio = kneeRatioOf(k);
// the search index's writes at the knee's message rate, as a share of a core
const indexShareAtKnee = ((k?.rate ?? 0) * found.sqlite.writeUs.index) / 1_000_000;
const cpuPerDelivery = (s: StepResult | null) =>
  s ? (s.serverCpuMs * 1000) / (s.deliveriesPerSec * (s.durationMs / 1000)) : Number.NaN;
const p99At200 = fan.fanout[0];
const ratio = (a: number, b: number) => a / b;
const cpuRatio = ratio(cpuPerDelivery(k), cpuPerDelivery(r));
const p99Ratio = ratio(p99At200.komnata.latencyMs.p99, p99At200.reference.latencyMs.p99);
const idle5k = idleResults[0];

interface Row {
  metric: string;
  komnata: string;
  reference: string;
  ratio: string;
  target: string;
  met: boolean | null;
}
const rows: Row[] = [
  {
    metric: `knee, 10 x 20 (msg/s; deliveries/s)${fan.knee.komnata.generatorBound ? " [generator-bound: lower bound]" : ""}`,
    komnata: `${k?.rate ?? 0}; ${k?.deliveriesPerSec ?? 0}`,
    reference: `${r?.rate ?? 0}; ${r?.deliveriesPerSec ?? 0}${fan.knee.reference.generatorBound ? " [generator-bound]" : ""}`,
    ratio: fmt(kneeRatio, 2),
    target: ">= 1.0x",
    met: kneeRatio >= 1,
  },
  {
    metric: "server CPU per delivery at the knee (µs)",
    komnata: fmt(cpuPerDelivery(k), 2),
    reference: fmt(cpuPerDelivery(r), 2),
    ratio: fmt(cpuRatio, 2),
    target: "<= 1.5x",
    met: cpuRatio <= 1.5,
  },
  {
    metric: "p99 latency, 10 x 20 @ 200 msg/s (ms)",
    komnata: fmt(p99At200.komnata.latencyMs.p99, 2),
    reference: fmt(p99At200.reference.latencyMs.p99, 2),
    ratio: fmt(p99Ratio, 2),
    target: "<= 2x and < 10 ms",
    met: p99Ratio <= 2 && p99At200.komnata.latencyMs.p99 < 10,
  },
  {
    metric: "p99 latency, 1 x 200 @ 50 msg/s (ms)",
    komnata: fmt(fan.fanout[1].komnata.latencyMs.p99, 2),
    reference: fmt(fan.fanout[1].reference.latencyMs.p99, 2),
    ratio: fmt(ratio(fan.fanout[1].komnata.latencyMs.p99, fan.fanout[1].reference.latencyMs.p99), 2),
    target: "(reported)",
    met: null,
  },
  ...(fanPg
    ? [
        {
          metric: "PostgreSQL, one node: p99 latency, 10 x 20 @ 200 msg/s (ms)",
          komnata: fmt(fanPg.fanout.latencyMs.p99, 2),
          reference: fmt(p99At200.reference.latencyMs.p99, 2),
          ratio: fmt(ratio(fanPg.fanout.latencyMs.p99, p99At200.reference.latencyMs.p99), 2),
          target: "(reported)",
          met: null,
        },
        {
          metric: `PostgreSQL, one node: knee (msg/s)${fanPg.knee.generatorBound ? " [generator-bound]" : ""}; CPU per delivery (µs)`,
          komnata: `${fanPg.knee.lastGood?.rate ?? 0}; ${fmt(cpuPerDelivery(fanPg.knee.lastGood), 2)}`,
          reference: `${r?.rate ?? 0}; ${fmt(cpuPerDelivery(r), 2)}`,
          ratio: fmt(kneeRatioOf(fanPg.knee.lastGood), 2),
          target: "(reported)",
          met: null,
        },
      ]
    : []),
  ...(fanNodes
    ? [
        {
          metric: `${nodeCount} nodes (PostgreSQL + Redis): p99 latency, 10 x 20 @ 200 msg/s (ms)`,
          komnata: fmt(fanNodes.fanout.latencyMs.p99, 2),
          reference: fmt(p99At200.reference.latencyMs.p99, 2),
          ratio: fmt(ratio(fanNodes.fanout.latencyMs.p99, p99At200.reference.latencyMs.p99), 2),
          target: "(reported)",
          met: null,
        },
        {
          metric: `${nodeCount} nodes (PostgreSQL + Redis): knee (msg/s)${fanNodes.knee.generatorBound ? " [generator-bound]" : ""}; CPU per delivery, all nodes (µs)`,
          komnata: `${fanNodes.knee.lastGood?.rate ?? 0}; ${fmt(cpuPerDelivery(fanNodes.knee.lastGood), 2)}`,
          reference: `${r?.rate ?? 0}; ${fmt(cpuPerDelivery(r), 2)}`,
          ratio: fmt(kneeRatioOf(fanNodes.knee.lastGood), 2),
          target: "(reported)",
          met: null,
        },
      ]
    : []),
  ...idleResults.map((i) => {
    const rssRatio = ratio(i.komnata.rssPerConnKiB, i.socketio.rssPerConnKiB);
    const heapRatio = ratio(i.komnata.heapPerConnKiB, i.socketio.heapPerConnKiB);
    return {
      // the targets are against stock Socket.IO: raw ws (shown) is what no Socket.IO server can reach
      metric: `idle memory per connection, ${i.connections} (KiB RSS; heap; the process's RSS in MiB)`,
      komnata: `${fmt(i.komnata.rssPerConnKiB)}; ${fmt(i.komnata.heapPerConnKiB)}; ${fmt(i.komnata.rssMiB, 0)}`,
      reference: `${fmt(i.reference.rssPerConnKiB)}; ${fmt(i.reference.heapPerConnKiB)} (stock Socket.IO: ${fmt(i.socketio.rssPerConnKiB)}; ${fmt(i.socketio.heapPerConnKiB)})`,
      ratio: `${fmt(rssRatio, 2)}; ${fmt(heapRatio, 2)} of stock`,
      target: "RSS <= 1.5x, heap <= 1x stock Socket.IO",
      met: rssRatio <= 1.5 && heapRatio <= 1,
    };
  }),
  {
    metric: `room:history p99, ${hist.rows.toLocaleString("en")} rows, idle / loaded (ms, server)`,
    komnata: `${fmt(hist.idle.server.history.p99, 2)} / ${fmt(hist.underLoad.server.history.p99, 2)}`,
    reference: "-",
    ratio: "-",
    target: "< 5 ms",
    met: hist.idle.server.history.p99 < 5 && hist.underLoad.server.history.p99 < 5,
  },
  {
    metric: `room:join p99, ${hist.rows.toLocaleString("en")} rows, idle / loaded (ms, server)`,
    komnata: `${fmt(hist.idle.server.join.p99, 2)} / ${fmt(hist.underLoad.server.join.p99, 2)}`,
    reference: "-",
    ratio: "-",
    target: "< 5 ms",
    met: hist.idle.server.join.p99 < 5 && hist.underLoad.server.join.p99 < 5,
  },
  {
    metric: "messages persisted per second (queue vs raw inserts)",
    komnata: String(persist.queuePerSec),
    reference: `${persist.rawPerSec} (raw better-sqlite3)`,
    ratio: fmt(ratio(persist.queuePerSec, persist.rawPerSec), 2),
    target: "(reported)",
    met: null,
  },
  {
    metric: "cold start: first page / first socket (ms)",
    komnata: `${cold.firstPageMs} / ${cold.firstSocketMs}`,
    reference: "-",
    ratio: "-",
    target: "(reported)",
    met: null,
  },
  ...(Object.keys(SEARCH_QUERIES) as (keyof typeof SEARCH_QUERIES)[]).map((q) => {
    const lite = found.sqlite.queries[q];
    const post = found.postgres?.queries[q];
    const required = (REQUIRED_QUERIES as readonly string[]).includes(q);
    return {
      metric: `search, ${q}: p50 / p99, ${found.sqlite.messages.toLocaleString("en")} messages (ms, server)`,
      komnata: `${fmt(lite.p50, 2)} / ${fmt(lite.p99, 2)}`,
      reference: post ? `PostgreSQL: ${fmt(post.p50, 2)} / ${fmt(post.p99, 2)}` : "-",
      ratio: "-",
      target: required ? "< 50 ms (SQLite)" : "(reported)",
      met: required ? lite.p99 < 50 : null,
    };
  }),
  {
    metric: "search index size: index / messages (MB)",
    komnata: `${fmt(found.sqlite.size.index / 2 ** 20, 0)} / ${fmt(found.sqlite.size.messages / 2 ** 20, 0)}`,
    reference: found.postgres
      ? `PostgreSQL: ${fmt(found.postgres.size.index / 2 ** 20, 0)} / ${fmt(found.postgres.size.messages / 2 ** 20, 0)}`
      : "-",
    ratio: fmt(found.sqlite.size.index / found.sqlite.size.messages, 2),
    target: "(reported)",
    met: null,
  },
  {
    metric: "search index write cost: µs per message (row alone); CPU at the knee's message rate",
    komnata: `${fmt(found.sqlite.writeUs.index, 0)} (${fmt(found.sqlite.writeUs.message, 0)}); ${fmt(indexShareAtKnee * 100, 1)}% of a core`,
    reference: found.postgres
      ? `PostgreSQL: ${fmt(found.postgres.writeUs.index, 0)} (${fmt(found.postgres.writeUs.message, 0)})`
      : "-",
    ratio: "-",
    target: "knee drop <= 10%",
    met: indexShareAtKnee <= 0.1,
  },
  {
    metric: "loss below the knee (messages)",
    komnata: String(
      fan.fanout.reduce((s, f) => s + f.komnata.lost, 0) +
        fan.knee.komnata.steps.filter((s) => s !== fan.knee.komnata.steps.at(-1)).reduce((s, x) => s + x.lost, 0),
    ),
    reference: String(fan.fanout.reduce((s, f) => s + f.reference.lost, 0)),
    ratio: "-",
    target: "0",
    met: fan.fanout.every((f) => f.komnata.lost === 0),
  },
];

const widths = [0, 1, 2, 3, 4].map((c) =>
  Math.max(...rows.map((row) => [row.metric, row.komnata, row.reference, row.ratio, row.target][c].length), 8),
);
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 4)).join(" | ")} |`;
const table = [
  `${line(["metric", "Komnata", "raw ws reference", "ratio", "target"])} met |`,
  `${line(widths.map((w) => "-".repeat(w)))} --- |`,
  ...rows.map(
    (row) =>
      `${line([row.metric, row.komnata, row.reference, row.ratio, row.target])} ${row.met === null ? " - " : row.met ? "yes" : "NO "} |`,
  ),
].join("\n");
console.log(`\n${table}\n`);

const date = new Date().toISOString().slice(0, 10);
const dir = path.join(root, "bench", "results");
mkdirSync(dir, { recursive: true });
// a second run on the same day is written beside the first, never over it
const base = `${date}${quick ? "-quick" : ""}`;
let name = base;
for (let n = 2; existsSync(path.join(dir, `${name}.json`)); n++) name = `${base}-${n}`;
const report = {
  date: new Date().toISOString(),
  quick,
  machine: { cores: cpus().length, model: cpus()[0]?.model, node: process.version, pinned: canPin },
  fanout: fan.fanout,
  knee: fan.knee,
  postgres: fanPg,
  nodes: fanNodes && { count: nodeCount, ...fanNodes },
  idle: idleResults,
  history: hist,
  persistence: persist,
  coldStart: cold,
  search: found,
  table: rows,
};
writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
const chartRows: ChartRow[] = [
  {
    label: "Knee, 10 rooms x 20",
    unit: "msg/s",
    komnata: k?.rate ?? 0,
    reference: r?.rate ?? 0,
    higherIsBetter: true,
  },
  {
    label: "Server CPU per delivery",
    unit: "µs at the knee",
    komnata: cpuPerDelivery(k),
    reference: cpuPerDelivery(r),
    higherIsBetter: false,
  },
  {
    label: "p99 latency, 200 msg/s",
    unit: "ms, 10 rooms x 20",
    komnata: p99At200.komnata.latencyMs.p99,
    reference: p99At200.reference.latencyMs.p99,
    higherIsBetter: false,
  },
  {
    label: `Idle memory, ${idle5k.connections} conns`,
    unit: "KiB RSS per connection",
    komnata: idle5k.komnata.rssPerConnKiB,
    reference: idle5k.reference.rssPerConnKiB,
    higherIsBetter: false,
  },
];
const svg = renderChart(
  "Komnata next to a raw ws broadcast server",
  `${date}${quick ? " (quick run)" : ""} · ${cpus().length} cores · Node ${process.version} · every message persisted before delivery in Komnata`,
  chartRows,
);
writeFileSync(path.join(dir, `${name}.svg`), svg);
log(`wrote bench/results/${name}.json and bench/results/${name}.svg`);
process.exit(0);
