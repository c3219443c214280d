// The async event queue: every send passes through it on its way to the database
// (docs/decisions/004-event-queue.md).
//
// Jobs are queued under a key (a room). Per key they are written strictly in order, one batch at
// a time: whatever queued while the previous batch was being written goes out together in the
// next one, up to `maxBatch`. A write starts at the end of the event-loop turn in which its first
// job arrived, so every frame read in that turn joins it. One write may carry several keys
// (`maxKeysPerWrite`: SQLite has one writer, so one transaction for all ready rooms is cheapest);
// different writes run concurrently up to `concurrency`. Under load a write may wait a few
// milliseconds more for sends to join it (`holdMs`), so a room's batch, and its frame, holds more.
// The queue is bounded in total and per sender, so a flooding client is refused (`rate_limited`)
// rather than growing server memory. When a write fails, its keys and then its jobs are retried
// one at a time, so only the sends that really fail are rejected.
import { AppError } from "../services/errors.ts";

export interface Group<J> {
  key: string;
  jobs: J[];
}

/** Writes the groups (each key at most once) and returns each group's results, in order. */
export type BatchWriter<J, R> = (groups: Group<J>[]) => Promise<R[][]>;

export interface BatchQueueOptions<J, R> {
  write: BatchWriter<J, R>;
  /** Jobs waiting or being written, across all keys. */
  maxPending: number;
  /** Jobs waiting or being written for one sender. */
  maxPendingPerSender: number;
  /** Jobs of one key in one write. */
  maxBatch: number;
  /** Keys in one write. */
  maxKeysPerWrite: number;
  /** Writes in flight at the same time. */
  concurrency: number;
  /**
   * True for a failure that is not the jobs' fault (the database is down or hung): every job of
   * the write fails with it at once, instead of each being retried alone against a dead database.
   */
  failsAll?: (error: unknown) => boolean;
  /**
   * Milliseconds a write waits, from its first job, for more jobs to join it (0: until the end of
   * the event-loop turn). Asked each time a write is scheduled (queue/load-hold.ts).
   */
  holdMs?: () => number;
}

interface Entry<J, R> {
  job: J;
  sender: string;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

interface EntryGroup<J, R> {
  key: string;
  entries: Entry<J, R>[];
}

export class BatchQueue<J, R> {
  private readonly options: BatchQueueOptions<J, R>;
  private readonly waiting = new Map<string, Entry<J, R>[]>();
  /** Keys with jobs waiting and no batch in flight, in the order they became ready. */
  private readonly ready: string[] = [];
  private readonly busy = new Set<string>();
  private readonly perSender = new Map<string, number>();
  private writes = 0;
  private pending = 0;
  private scheduled = false;
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
      this.schedule();
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

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const hold = this.options.holdMs?.() ?? 0;
    const fire = () => {
      this.scheduled = false;
      this.pump();
    };
    if (hold > 0) setTimeout(fire, hold);
    else setImmediate(fire);
  }

  private pump(): void {
    while (this.writes < this.options.concurrency && this.ready.length > 0) {
      const groups: EntryGroup<J, R>[] = [];
      while (groups.length < this.options.maxKeysPerWrite && this.ready.length > 0) {
        const key = this.ready.shift() as string;
        const list = this.waiting.get(key) ?? [];
        const entries = list.splice(0, this.options.maxBatch);
        if (list.length === 0) this.waiting.delete(key);
        if (entries.length === 0) continue;
        this.busy.add(key);
        groups.push({ key, entries });
      }
      if (groups.length === 0) return;
      this.writes += 1;
      void this.run(groups);
    }
  }

  private async run(groups: EntryGroup<J, R>[]): Promise<void> {
    try {
      await this.writeGroups(groups);
    } finally {
      this.writes -= 1;
      for (const { key, entries } of groups) {
        for (const entry of entries) this.settled(entry.sender);
        this.busy.delete(key);
        if (this.waiting.has(key)) this.ready.push(key);
      }
      this.pump();
      if (this.pending === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  }

  private async writeGroups(groups: EntryGroup<J, R>[]): Promise<void> {
    let results: R[][];
    try {
      results = await this.options.write(groups.map(({ key, entries }) => ({ key, jobs: entries.map((e) => e.job) })));
      const mismatch = groups.some((g, i) => results[i]?.length !== g.entries.length);
      if (results.length !== groups.length || mismatch) throw new Error("writer returned results that do not match its jobs");
    } catch (error) {
      if (this.options.failsAll?.(error)) {
        for (const group of groups) for (const entry of group.entries) entry.reject(error);
        return;
      }
      if (groups.length > 1) {
        // One bad key must not sink the others: write them one at a time, in order.
        for (const group of groups) await this.writeGroups([group]);
      } else if (groups[0].entries.length > 1) {
        // One bad job must not sink the others either.
        for (const entry of groups[0].entries) await this.writeGroups([{ key: groups[0].key, entries: [entry] }]);
      } else {
        groups[0].entries[0].reject(error);
      }
      return;
    }
    for (const [g, group] of groups.entries()) {
      for (const [i, entry] of group.entries.entries()) entry.resolve(results[g][i]);
    }
  }

  private settled(sender: string): void {
    this.pending -= 1;
    const left = (this.perSender.get(sender) ?? 1) - 1;
    if (left === 0) this.perSender.delete(sender);
    else this.perSender.set(sender, left);
  }
}
