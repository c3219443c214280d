// Sliding-window counters kept in memory, one per key (a username or an address). Used to slow
// down password guessing and account creation. Per process: behind a load balancer with several
// nodes each node counts on its own, which still bounds guesses per node.
export interface Limit {
  max: number;
  windowMs: number;
}

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();
  private readonly limit: Limit;
  private readonly now: () => number;

  constructor(limit: Limit, now: () => number = Date.now) {
    this.limit = limit;
    this.now = now;
  }

  /** Seconds until `key` may try again, or 0 when it is not limited. */
  retryAfter(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.limit.max) return 0;
    return Math.max(1, Math.ceil((recent[0] + this.limit.windowMs - this.now()) / 1000));
  }

  hit(key: string): void {
    const recent = this.recent(key);
    recent.push(this.now());
    this.hits.set(key, recent);
    if (this.hits.size > 100_000) this.sweep();
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.limit.windowMs;
    const list = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.hits.delete(key);
    return list;
  }

  private sweep(): void {
    for (const key of [...this.hits.keys()]) this.recent(key);
  }
}
