// Starting and stopping a server under test in a child process, pinned to its own core where
// there are two or more, and reading its CPU time and memory.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import type { MemoryReading, Request } from "../server-process.ts";

export type Kind = "komnata" | "reference" | "socketio";

export interface Target {
  kind: Kind;
  port: number;
  pid: number;
  url: string;
  /** with several nodes: every node's URL (clients are spread over them) */
  urls?: string[];
  /** CPU time (user + system) the process has used so far, in ms. */
  cpuMs(): number;
  memory(): Promise<MemoryReading>;
  /** Records a CPU profile (or a sampling heap profile: `allocations`) of the server for `ms` milliseconds into `file`. */
  profile(ms: number, file: string, allocations?: boolean): Promise<void>;
  /** Writes a heap snapshot of the server to `file` (for finding what a connection costs). */
  snapshot(file: string): Promise<void>;
  timings(reset?: boolean): Promise<Record<string, number[]>>;
  seed(roomId: string, authorId: string, count: number): Promise<void>;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, "..", "..");
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export const canPin = process.platform === "linux" && availableParallelism() >= 2 && existsSync("/usr/bin/taskset");

/** CPU time of a process from /proc, in ms; falls back to 0 where there is no /proc. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function ask<T>(child: ChildProcess, request: Request, reply: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: { type: string } & Record<string, unknown>) => {
      if (message.type !== reply) return;
      child.off("message", onMessage);
      resolve(message as T);
    };
    child.on("message", onMessage);
    child.send(request);
  });
}

/** Starts a server under test, pinned to `core` where there are two or more. */
export async function startTarget(kind: Kind, env: Record<string, string> = {}, core = 0): Promise<Target> {
  const args = ["--expose-gc", "--import", "tsx", path.join(root, "bench", "server-process.ts"), kind];
  if (process.env.BENCH_NODE_ARGS) args.unshift(...process.env.BENCH_NODE_ARGS.split(" ").filter(Boolean));
  if (process.env.BENCH_CPU_PROF) args.unshift("--cpu-prof", `--cpu-prof-dir=${path.join(root, "bench", "results", "profiles")}`);
  const [command, commandArgs] = canPin ? ["taskset", ["-c", String(core), process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(command, commandArgs, {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, NODE_ENV: "production", ...env },
  });
  const ready = await new Promise<{ port: number; pid: number }>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${kind} server exited with ${code} before it was ready`)));
    child.on("message", (m: { type: string; port: number; pid: number }) => {
      if (m.type === "ready") resolve(m);
    });
  });
  return {
    kind,
    port: ready.port,
    pid: ready.pid,
    url: kind === "reference" ? `ws://127.0.0.1:${ready.port}` : `http://127.0.0.1:${ready.port}`,
    cpuMs: () => processCpuMs(ready.pid),
    memory: async () => (await ask<{ memory: MemoryReading }>(child, { type: "memory" }, "memory")).memory,
    profile: async (ms, file, allocations = false) => {
      await ask(child, { type: allocations ? "allocations" : "profile", ms, path: file }, "profile");
    },
    snapshot: async (file) => {
      await ask(child, { type: "snapshot", path: file }, "snapshot");
    },
    timings: async (reset = false) =>
      (await ask<{ timings: Record<string, number[]> }>(child, { type: "timings", reset }, "timings")).timings,
    seed: async (roomId, authorId, count) => {
      await ask(child, { type: "seed", roomId, authorId, count }, "seeded");
    },
    stop: () =>
      new Promise((resolve) => {
        const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
          clearTimeout(force);
          resolve();
        });
        child.send({ type: "stop" });
      }),
  };
}

/** Several Komnata nodes as one target: clients spread over them, CPU summed over them. */
export function clusterTarget(nodes: Target[]): Target {
  const [first] = nodes;
  return {
    ...first,
    urls: nodes.map((n) => n.url),
    cpuMs: () => nodes.reduce((sum, n) => sum + n.cpuMs(), 0),
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}
