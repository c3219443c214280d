// `npm run bench:profile [-- RATE [SECONDS]]`: where the server's CPU goes while it fans out
// messages (10 rooms x 20 members at RATE msg/s, 1,500 by default). Records a CPU profile of the
// server process during the load and prints its self time by package and by function, so a
// change to the hot path can be judged by what it takes away. The profile is kept in
// bench/results/profiles/ (open it in Chrome's DevTools).
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { RoomLoad, registerUsers } from "./lib/load.ts";
import { canPin, startTarget } from "./lib/target.ts";

const [rate = 1500, seconds = 4] = process.argv.slice(2).map(Number);
const root = path.resolve(import.meta.dirname, "..");
const dir = path.join(root, "bench", "results", "profiles");
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `fanout-${rate}-${Date.now()}.cpuprofile`);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
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
const target = await startTarget("komnata");
try {
  const users = await registerUsers(target.url, 200, "prof");
  const load = await RoomLoad.open(target, 10, 20, users, "prof");
  await load.run(rate, 1000);
  const cpu0 = target.cpuMs();
  const [step] = await Promise.all([load.run(rate, seconds * 1000, 500), target.profile(seconds * 1000, file)]);
  const cpu = target.cpuMs() - cpu0;
  await load.close();
  console.log(
    `${rate} msg/s for ${seconds} s: ${step.deliveriesPerSec} deliveries/s, p99 ${step.latencyMs.p99.toFixed(1)} ms, ` +
      `server CPU ${Math.round(cpu)} ms (${((cpu * 1000) / (step.deliveriesPerSec * seconds)).toFixed(1)} µs per delivery)`,
  );

  const profile = JSON.parse(await readFile(file, "utf8")) as Profile;
  const selfUs = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const key = `${functionName || "(anonymous)"} ${pkg}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join("\n");
  console.log(`\nself time by package:\n${top(byPackage, 20)}\n\nself time by function:\n${top(byFunction, 40)}`);
  console.log(`\nprofile: ${path.relative(root, file)}`);
} finally {
  await target.stop();
}
process.exit(0);
