// How long a write of the message queues waits for more sends to join it, from how busy the
// event loop has been (docs/decisions/020-hold-under-load.md). A room's sends stored in one
// write leave as one frame per member (`messages:new`), so what each delivery costs falls as
// batches grow; but batches only grow by themselves once sends come faster than a room's
// writes, and at a few hundred messages a second per room a write rarely holds two. While the
// loop is nearly idle nothing waits (a send is written at the end of the turn it arrived in, as
// before); past `from` of the loop busy, the first send of a write waits up to `maxMs`, more the
// busier the loop, so the server trades a few milliseconds of latency for frames, and takes
// more load before it falls behind.
import { performance } from "node:perf_hooks";

export interface LoadHoldOptions {
  /** share of the event loop busy (0-1) below which nothing waits */
  from?: number;
  /** the longest wait, at a loop busy all the time */
  maxMs?: number;
  /** how often the loop's use is read (a reading covers the time since the last) */
  everyMs?: number;
}

export interface LoadHold {
  /** milliseconds the next write waits for more sends */
  (): number;
  stop(): void;
}

/** A hold that follows this process's event loop utilization, read every `everyMs`. */
export function loadHold({ from = 0.7, maxMs = 10, everyMs = 100 }: LoadHoldOptions = {}): LoadHold {
  let last = performance.eventLoopUtilization();
  let holdMs = 0;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    holdMs = holdFor(performance.eventLoopUtilization(now, last).utilization, from, maxMs);
    last = now;
  }, everyMs);
  timer.unref();
  return Object.assign(() => holdMs, { stop: () => clearInterval(timer) });
}

/** The wait at a loop `busy` (0-1): none up to `from`, then growing in step with it to `maxMs`. */
export function holdFor(busy: number, from: number, maxMs: number): number {
  if (!(busy > from)) return 0;
  return Math.min(maxMs, Math.round(((busy - from) / (1 - from)) * maxMs));
}
