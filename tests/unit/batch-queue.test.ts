import { describe, expect, it } from "vitest";
import { BatchQueue } from "../../server/queue/batch-queue.ts";
import { AppError } from "../../server/services/errors.ts";

interface Job {
  n: number;
  fail?: boolean;
}

/** A writer that records its batches and takes a turn of the event loop per write. */
function recorder(options: { failBatch?: (jobs: Job[]) => boolean; delayMs?: number } = {}) {
  const batches: { key: string; jobs: number[] }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const write = async (key: string, jobs: Job[]) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, options.delayMs ?? 1));
    inFlight -= 1;
    batches.push({ key, jobs: jobs.map((j) => j.n) });
    if (jobs.some((j) => j.fail) || options.failBatch?.(jobs)) throw new Error(`write of ${jobs.map((j) => j.n)} failed`);
    return jobs.map((j) => `stored ${j.n}`);
  };
  return { batches, write, maxInFlight: () => maxInFlight };
}

const options = { maxPending: 1000, maxPendingPerSender: 1000, maxBatch: 100, concurrency: 4 };

describe("BatchQueue", () => {
  it("writes each key in order and resolves each job with its own result", async () => {
    const w = recorder();
    const q = new BatchQueue<Job, string>({ ...options, write: w.write });
    const results = await Promise.all(Array.from({ length: 30 }, (_, n) => q.enqueue(n % 2 ? "odd" : "even", "s", { n })));
    expect(results).toEqual(Array.from({ length: 30 }, (_, n) => `stored ${n}`));
    for (const key of ["odd", "even"]) {
      const written = w.batches.filter((b) => b.key === key).flatMap((b) => b.jobs);
      expect(written).toEqual(Array.from({ length: 30 }, (_, n) => n).filter((n) => (key === "odd" ? n % 2 : !(n % 2))));
    }
  });

  it("batches what queued while a write was in flight, up to maxBatch", async () => {
    const w = recorder({ delayMs: 5 });
    const q = new BatchQueue<Job, string>({ ...options, maxBatch: 10, write: w.write });
    await Promise.all(Array.from({ length: 25 }, (_, n) => q.enqueue("room", "s", { n })));
    // the first job goes alone; the 24 that queued behind it go in batches of at most 10
    expect(w.batches.map((b) => b.jobs.length)).toEqual([1, 10, 10, 4]);
  });

  it("never writes one key twice at once, and writes different keys concurrently up to the limit", async () => {
    const w = recorder({ delayMs: 5 });
    const q = new BatchQueue<Job, string>({ ...options, concurrency: 2, write: w.write });
    await Promise.all(["a", "b", "c", "d"].flatMap((key) => Array.from({ length: 5 }, (_, n) => q.enqueue(key, "s", { n }))));
    expect(w.maxInFlight()).toBe(2);
  });

  it("refuses past maxPending and per sender with rate_limited, and accepts again once drained", async () => {
    const w = recorder({ delayMs: 5 });
    const q = new BatchQueue<Job, string>({ ...options, maxPending: 5, maxPendingPerSender: 3, write: w.write });
    const mine = Array.from({ length: 4 }, (_, n) =>
      q.enqueue("r", "flooder", { n }).then(
        (v) => v,
        (e: unknown) => e,
      ),
    );
    const others = Array.from({ length: 3 }, (_, n) =>
      q.enqueue("r", `other${n}`, { n: 10 + n }).then(
        (v) => v,
        (e: unknown) => e,
      ),
    );
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
    // after the failed batch, its jobs were retried one by one, in order
    const order = w.batches.filter((b) => b.jobs.length === 1).map((b) => b.jobs[0]);
    expect(order.slice(-7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("close() refuses new jobs and waits for the queued ones", async () => {
    const w = recorder({ delayMs: 10 });
    const q = new BatchQueue<Job, string>({ ...options, write: w.write });
    const queued = Array.from({ length: 5 }, (_, n) => q.enqueue("r", "s", { n }));
    await q.close();
    expect(w.batches.flatMap((b) => b.jobs)).toEqual([0, 1, 2, 3, 4]);
    await expect(Promise.all(queued)).resolves.toHaveLength(5);
    await expect(q.enqueue("r", "s", { n: 6 })).rejects.toMatchObject({ code: "internal" });
  });
});
