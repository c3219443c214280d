import { RoomLoad, registerUsers } from "/work/main/bench/lib/load.ts";
import { startTarget } from "/work/main/bench/lib/target.ts";
const t = await startTarget("komnata");
const users = await registerUsers(t.url, 200, "prof");
const load = await RoomLoad.open(t, 10, 20, users, "prof");
await load.run(1000, 1000);
const r = await load.run(Number(process.argv[2] ?? 1000), 5000);
console.log(
  JSON.stringify({
    dps: r.deliveriesPerSec,
    p50: r.latencyMs.p50,
    p99: r.latencyMs.p99,
    cpu: r.serverCpuMs,
    gen: r.generatorCpuMs,
    lost: r.lost,
  }),
);
await load.close();
await t.stop();
