// `npm run bench:profile [-- RATE [SECONDS]] [--allocations] [--reference]`: where the server's CPU
// goes while it fans out messages (10 rooms x 20 members at RATE msg/s, 1,500 by default); with
// `--reference`, the raw ws reference's, to compare with. Records a CPU profile
// of the server process during the load and prints its self time by package and by function, so
// a change to the hot path can be judged by what it takes away. With `--allocations`, a sampling
// heap profile instead: the bytes allocated meanwhile (what the young generation's collections
// cost), by package and by function, also per message. The profile is kept in
// bench/results/profiles/ (open it in Chrome's DevTools).
//
// At low rates the CPU profile misses most of the CPU: at 200 msg/s it counted the main thread
// 93% idle while /proc counted a third of a core busy (V8 marks the thread idle around the
// event loop's wait, and its samples there are not the work). `perf record` on the server with
// `--perf-basic-prof` (BENCH_NODE_ARGS) sees all of it (docs/performance.md).
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { RoomLoad, registerUsers } from "./lib/load.ts";
import { canPin, startTarget } from "./lib/target.ts";

const allocations = process.argv.includes("--allocations");
const kind = process.argv.includes("--reference") ? "reference" : "komnata";
const [rate = 1500, seconds = 4] = process.argv
  .slice(2)
  .filter((a) => !a.startsWith("--"))
  .map(Number);
const root = path.resolve(import.meta.dirname, "..");
const dir = path.join(root, "bench", "results", "profiles");
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `fanout-${rate}-${Date.now()}.${allocations ? "heapprofile" : "cpuprofile"}`);

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  samples: number[];
  timeDeltas: number[];
}
interface HeapNode {
  callFrame: CallFrame;
  selfSize: number;
  children: HeapNode[];
}

/** Each call frame's self time (µs) or self bytes allocated, from either kind of profile. */
function selfCosts(data: CpuProfile | { head: HeapNode }): { callFrame: CallFrame; self: number }[] {
  if ("head" in data) {
    const out: { callFrame: CallFrame; self: number }[] = [];
    const walk = (node: HeapNode) => {
      out.push({ callFrame: node.callFrame, self: node.selfSize });
      for (const child of node.children) walk(child);
    };
    walk(data.head);
    return out;
  }
  const selfUs = new Map<number, number>();
  for (const [i, id] of data.samples.entries()) selfUs.set(id, (selfUs.get(id) ?? 0) + (data.timeDeltas[i] ?? 0));
  return data.nodes.map((node) => ({ callFrame: node.callFrame, self: selfUs.get(node.id) ?? 0 }));
}

/** Where a script lives, as a package name (or "komnata", "node", "(program)"…). */
function packageOf(url: string, fn: string): string {
  if (!url) return fn.startsWith("(") ? fn : "(native)";
  if (url.startsWith("node:")) return "node";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  return url.includes(root) ? `komnata ${path.relative(root, url.replace("file://", "")).split("/").slice(0, 2).join("/")}` : url;
}

// as in `npm run bench`: the server on core 0, this generator on core 1
if (canPin) spawnSync("taskset", ["-p", "-c", "1", String(process.pid)], { stdio: "ignore" });
const target = await startTarget(kind);
try {
  const users = kind === "komnata" ? await registerUsers(target.url, 200, "prof") : [];
  const load = await RoomLoad.open(target, 10, 20, users, "prof");
  await load.run(rate, 1000);
  const cpu0 = target.cpuMs();
  const [step] = await Promise.all([load.run(rate, seconds * 1000, 500), target.profile(seconds * 1000, file, allocations)]);
  const cpu = target.cpuMs() - cpu0;
  await load.close();
  console.log(
    `${rate} msg/s for ${seconds} s: ${step.deliveriesPerSec} deliveries/s, p99 ${step.latencyMs.p99.toFixed(1)} ms, ` +
      `server CPU ${Math.round(cpu)} ms (${((cpu * 1000) / (step.deliveriesPerSec * seconds)).toFixed(1)} µs per delivery)`,
  );

  const costs = selfCosts(JSON.parse(await readFile(file, "utf8")));
  const total = costs.reduce((sum, c) => sum + c.self, 0);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const { callFrame, self } of costs) {
    const { functionName, url, lineNumber } = callFrame;
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + self);
    const key = `${functionName || "(anonymous)"} ${pkg}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + self);
  }
  const messages = rate * seconds;
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([k, v]) =>
          `  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${allocations ? `${(v / messages).toFixed(0).padStart(6)} B/msg  ` : ""}${k}`,
      )
      .join("\n");
  const what = allocations ? `bytes allocated (${(total / messages / 1024).toFixed(1)} KiB per message)` : "self time";
  console.log(`\n${what} by package:\n${top(byPackage, 20)}\n\n${what} by function:\n${top(byFunction, 40)}`);
  console.log(`\nprofile: ${path.relative(root, file)}`);
} finally {
  await target.stop();
}
process.exit(0);
