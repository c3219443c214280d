import { describe, expect, it } from "vitest";
import { BatchQueue, type Group } from "../../server/queue/batch-queue.ts";
import { holdFor, loadHold } from "../../server/queue/load-hold.ts";
import { AppError } from "../../server/services/errors.ts";

interface Job {
  n: number;
  fail?: boolean;
}

/** A writer that records its writes and takes a turn of the event loop per write. */
function recorder(options: { delayMs?: number } = {}) {
  const writes: { key: string; jobs: number[] }[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const write = async (groups: Group<Job>[]) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, options.delayMs ?? 1));
    inFlight -= 1;
    writes.push(groups.map((g) => ({ key: g.key, jobs: g.jobs.map((j) => j.n) })));
    const failing = groups.flatMap((g) => g.jobs).filter((j) => j.fail);
    if (failing.length > 0) throw new Error(`write of ${failing.map((j) => j.n)} failed`);
    return groups.map((g) => g.jobs.map((j) => `stored ${j.n}`));
  };
  const batches = () => writes.flat();
  return { writes, batches, write, maxInFlight: () => maxInFlight };
}

const options = { maxPending: 1000, maxPendingPerSender: 1000, maxBatch: 100, maxKeysPerWrite: 1, concurrency: 4 };
const settle = <T>(p: Promise<T>) =>
  p.then(
    (v) => v,
    (e: unknown) => e,
  );

describe("BatchQueue", () => {
  it("writes each key in order and resolves each job with its own result", async () => {
    const w = recorder();
    const q = new BatchQueue<Job, string>({ ...options, write: w.write });
    const results = await Promise.all(Array.from({ length: 30 }, (_, n) => q.enqueue(n % 2 ? "odd" : "even", "s", { n })));
    expect(results).toEqual(Array.from({ length: 30 }, (_, n) => `stored ${n}`));
    for (const key of ["odd", "even"]) {
      const written = w
        .batches()
        .filter((b) => b.key === key)
        .flatMap((b) => b.jobs);
      expect(written).toEqual(Array.from({ length: 30 }, (_, n) => n).filter((n) => (key === "odd" ? n % 2 : !(n % 2))));
    }
  });

  it("batches what arrives in one turn, and what queued while a write was in flight, up to maxBatch", async () => {
    const w = recorder({ delayMs: 5 });
    const q = new BatchQueue<Job, string>({ ...options, maxBatch: 10, write: w.write });
    const first = Array.from({ length: 25 }, (_, n) => q.enqueue("room", "s", { n }));
    await new Promise((r) => setTimeout(r, 2));
    const later = Array.from({ length: 7 }, (_, n) => q.enqueue("room", "s", { n: 25 + n }));
    await Promise.all([...first, ...later]);
    expect(w.batches().map((b) => b.jobs.length)).toEqual([10, 10, 10, 2]);
    expect(w.batches().flatMap((b) => b.jobs)).toEqual(Array.from({ length: 32 }, (_, n) => n));
  });

  it("puts up to maxKeysPerWrite ready keys into one write", async () => {
    const w = recorder({ delayMs: 5 });
    const q = new BatchQueue<Job, string>({ ...options, maxKeysPerWrite: 3, concurrency: 1, write: w.write });
    await Promise.all(
      ["a", "b", "c", "d"].flatMap((key, k) => [q.enqueue(key, "s", { n: k * 10 }), q.enqueue(key, "s", { n: k * 10 + 1 })]),
    );
    expect(w.writes.map((write) => write.map((g) => g.key))).toEqual([["a", "b", "c"], ["d"]]);
    expect(w.writes[0][1]).toEqual({ key: "b", jobs: [10, 11] });
  });

  it("never writes one key twice at once, and runs writes concurrently up to the limit", async () => {
    const w = recorder({ delayMs: 5 });
    const q = new BatchQueue<Job, string>({ ...options, concurrency: 2, write: w.write });
    await Promise.all(["a", "b", "c", "d"].flatMap((key) => Array.from({ length: 5 }, (_, n) => q.enqueue(key, "s", { n }))));
    expect(w.maxInFlight()).toBe(2);
    for (const write of w.writes) expect(new Set(write.map((g) => g.key)).size).toBe(write.length);
  });

  it("refuses past maxPending and per sender with rate_limited, and accepts again once drained", async () => {
    const w = recorder({ delayMs: 5 });
    const q = new BatchQueue<Job, string>({ ...options, maxPending: 5, maxPendingPerSender: 3, write: w.write });
    const mine = Array.from({ length: 4 }, (_, n) => settle(q.enqueue("r", "flooder", { n })));
    const others = Array.from({ length: 3 }, (_, n) => settle(q.enqueue("r", `other${n}`, { n: 10 + n })));
    const [m, o] = [await Promise.all(mine), await Promise.all(others)];
    expect(m.slice(0, 3)).toEqual(["stored 0", "stored 1", "stored 2"]);
    expect(m[3]).toBeInstanceOf(AppError);
    expect((m[3] as AppError).code).toBe("rate_limited");
    // total bound: 3 of flooder + 2 others fill the 5 places; the third other is refused
    expect(o.slice(0, 2)).toEqual(["stored 10", "stored 11"]);
    expect((o[2] as AppError).code).toBe("rate_limited");
    expect(q.size).toBe(0);
    await expect(q.enqueue("r", "flooder", { n: 99 })).resolves.toBe("stored 99");
  });

  it("a failing write rejects exactly the affected jobs", async () => {
    const w = recorder({ delayMs: 5 });
    const q = new BatchQueue<Job, string>({ ...options, write: w.write });
    const settled = await Promise.allSettled(Array.from({ length: 8 }, (_, n) => q.enqueue("room", "s", { n, fail: n === 5 })));
    expect(settled.map((s) => s.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    expect((settled[5] as PromiseRejectedResult).reason.message).toContain("5");
    // the failed batch of eight was retried one job at a time, in order
    expect(w.batches().map((b) => b.jobs)).toEqual([[0, 1, 2, 3, 4, 5, 6, 7], [0], [1], [2], [3], [4], [5], [6], [7]]);
  });

  it("a failing key in a multi-key write rejects only that key's bad job", async () => {
    const w = recorder({ delayMs: 2 });
    const q = new BatchQueue<Job, string>({ ...options, maxKeysPerWrite: 8, concurrency: 1, write: w.write });
    const settled = await Promise.allSettled([
      q.enqueue("a", "s", { n: 1 }),
      q.enqueue("b", "s", { n: 2, fail: true }),
      q.enqueue("b", "s", { n: 3 }),
      q.enqueue("c", "s", { n: 4 }),
    ]);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
    expect(w.writes.map((write) => write.map((g) => `${g.key}:${g.jobs}`))).toEqual([
      ["a:1", "b:2,3", "c:4"],
      ["a:1"],
      ["b:2,3"],
      ["b:2"],
      ["b:3"],
      ["c:4"],
    ]);
  });

  it("a failure that is nobody's fault (the database is down) fails the whole write at once, without retries", async () => {
    const w = recorder({ delayMs: 2 });
    const q = new BatchQueue<Job, string>({
      ...options,
      maxKeysPerWrite: 8,
      concurrency: 1,
      write: w.write,
      failsAll: (error) => error instanceof Error && error.message.includes("failed"),
    });
    const settled = await Promise.allSettled([
      q.enqueue("a", "s", { n: 1, fail: true }),
      q.enqueue("a", "s", { n: 2 }),
      q.enqueue("b", "s", { n: 3 }),
    ]);
    expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(w.writes).toHaveLength(1);
    expect(q.size).toBe(0);
  });

  it("close() refuses new jobs and waits for the queued ones", async () => {
    const w = recorder({ delayMs: 10 });
    const q = new BatchQueue<Job, string>({ ...options, write: w.write });
    const queued = Array.from({ length: 5 }, (_, n) => q.enqueue("r", "s", { n }));
    await q.close();
    expect(w.batches().flatMap((b) => b.jobs)).toEqual([0, 1, 2, 3, 4]);
    await expect(Promise.all(queued)).resolves.toHaveLength(5);
    await expect(q.enqueue("r", "s", { n: 6 })).rejects.toMatchObject({ code: "internal" });
  });

  it("under load, a write waits holdMs for jobs of later turns to join it; with no hold it starts in its own turn", async () => {
    const turn = () => new Promise((r) => setImmediate(r));
    // no hold: the write starts at the end of the turn its job arrived in
    const prompt = recorder();
    const p = new BatchQueue<Job, string>({ ...options, write: prompt.write, holdMs: () => 0 });
    const alone = p.enqueue("a", "s", { n: 0 });
    await turn();
    expect(prompt.maxInFlight()).toBe(1);
    await alone;
    // a hold: nothing starts before it is over, and what came meanwhile, of any key, joins the write
    const held = recorder();
    let asked = 0;
    const q = new BatchQueue<Job, string>({ ...options, maxKeysPerWrite: 4, write: held.write, holdMs: () => (asked++, 100) });
    const first = q.enqueue("a", "s", { n: 0 });
    await turn();
    await turn();
    expect(held.maxInFlight()).toBe(0);
    await Promise.all([first, q.enqueue("a", "s", { n: 1 }), q.enqueue("b", "s", { n: 2 })]);
    expect(held.writes).toEqual([
      [
        { key: "a", jobs: [0, 1] },
        { key: "b", jobs: [2] },
      ],
    ]);
    expect(asked).toBe(1);
  });
});

describe("loadHold", () => {
  it("holds nothing up to `from` of the loop busy, then in step with it, up to maxMs", () => {
    expect(holdFor(0.2, 0.7, 10)).toBe(0);
    expect(holdFor(0.7, 0.7, 10)).toBe(0);
    expect(holdFor(0.85, 0.7, 10)).toBe(5);
    expect(holdFor(1, 0.7, 10)).toBe(10);
    expect(holdFor(Number.NaN, 0.7, 10)).toBe(0);
  });

  it("follows how busy this event loop was: the longest hold after a busy spell, none once it is idle again", async () => {
    const hold = loadHold({ from: 0.5, maxMs: 10, everyMs: 40 });
    try {
      expect(hold()).toBe(0);
      // the loop kept busy for 200 ms, a few milliseconds at a time
      const until = performance.now() + 200;
      const seen: number[] = [];
      while (performance.now() < until) {
        const spin = performance.now() + 8;
        while (performance.now() < spin);
        await new Promise((r) => setImmediate(r));
        seen.push(hold());
      }
      expect(Math.max(...seen)).toBeGreaterThanOrEqual(8);
      await new Promise((r) => setTimeout(r, 200));
      expect(hold()).toBe(0);
    } finally {
      hold.stop();
    }
  });
});
