// The async event queue (the seed's asyncio.Queue, done properly; docs/decisions/004-event-queue.md).
//
// Jobs are queued under a key (a room). Per key they are written strictly in order, one batch at
// a time: whatever queued while the previous batch was being written goes out together in the
// next one, up to `maxBatch`. Different keys are written concurrently, up to `concurrency`.
// The queue is bounded in total and per sender, so a flooding client is refused (`rate_limited`)
// rather than growing server memory. When a batch write fails, its jobs are retried one by one,
// so only the sends that really fail are rejected.
import { AppError } from "../services/errors.ts";

export type BatchWriter<J, R> = (key: string, jobs: J[]) => Promise<R[]>;

export interface BatchQueueOptions<J, R> {
  write: BatchWriter<J, R>;
  /** Jobs waiting or being written, across all keys. */
  maxPending: number;
  /** Jobs waiting or being written for one sender. */
  maxPendingPerSender: number;
  maxBatch: number;
  /** Keys written at the same time. */
  concurrency: number;
}

interface Entry<J, R> {
  job: J;
  sender: string;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export class BatchQueue<J, R> {
  private readonly options: BatchQueueOptions<J, R>;
  private readonly waiting = new Map<string, Entry<J, R>[]>();
  /** Keys with jobs waiting and no batch in flight, in the order they became ready. */
  private readonly ready: string[] = [];
  private readonly busy = new Set<string>();
  private readonly perSender = new Map<string, number>();
  private pending = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(options: BatchQueueOptions<J, R>) {
    this.options = options;
  }

  get size(): number {
    return this.pending;
  }

  /** Resolves with the job's result once it is written; rejects with its error. */
  enqueue(key: string, sender: string, job: J): Promise<R> {
    if (this.closed) return Promise.reject(new AppError("internal", "The server is shutting down. Please retry in a moment."));
    if (this.pending >= this.options.maxPending) {
      return Promise.reject(new AppError("rate_limited", "The server is busy. Slow down and retry.", { retryAfter: 1 }));
    }
    const mine = this.perSender.get(sender) ?? 0;
    if (mine >= this.options.maxPendingPerSender) {
      return Promise.reject(
        new AppError("rate_limited", "You are sending too fast. Wait for your messages to be sent.", { retryAfter: 1 }),
      );
    }
    this.pending += 1;
    this.perSender.set(sender, mine + 1);
    return new Promise<R>((resolve, reject) => {
      const list = this.waiting.get(key);
      const entry = { job, sender, resolve, reject };
      if (list) list.push(entry);
      else {
        this.waiting.set(key, [entry]);
        if (!this.busy.has(key)) this.ready.push(key);
      }
      this.pump();
    });
  }

  /** Resolves when nothing is waiting or being written. */
  drain(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Refuses new jobs and resolves once the queued ones are written. */
  close(): Promise<void> {
    this.closed = true;
    return this.drain();
  }

  private pump(): void {
    while (this.busy.size < this.options.concurrency && this.ready.length > 0) {
      const key = this.ready.shift() as string;
      const list = this.waiting.get(key) ?? [];
      const batch = list.splice(0, this.options.maxBatch);
      if (list.length === 0) this.waiting.delete(key);
      if (batch.length === 0) continue;
      this.busy.add(key);
      void this.run(key, batch);
    }
  }

  private async run(key: string, batch: Entry<J, R>[]): Promise<void> {
    try {
      await this.writeBatch(key, batch);
    } finally {
      for (const entry of batch) this.settled(entry.sender);
      this.busy.delete(key);
      if (this.waiting.has(key)) this.ready.push(key);
      this.pump();
      if (this.pending === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  }

  private async writeBatch(key: string, batch: Entry<J, R>[]): Promise<void> {
    let results: R[];
    try {
      results = await this.options.write(
        key,
        batch.map((e) => e.job),
      );
      if (results.length !== batch.length) throw new Error(`writer returned ${results.length} results for ${batch.length} jobs`);
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      // One bad job must not sink the others: write them one at a time, in order.
      for (const entry of batch) await this.writeBatch(key, [entry]);
      return;
    }
    for (const [i, entry] of batch.entries()) entry.resolve(results[i]);
  }

  private settled(sender: string): void {
    this.pending -= 1;
    const left = (this.perSender.get(sender) ?? 1) - 1;
    if (left === 0) this.perSender.delete(sender);
    else this.perSender.set(sender, left);
  }
}
