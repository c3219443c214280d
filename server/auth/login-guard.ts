// How password guessing is stopped without letting anyone lock a colleague out (OWASP's
// "Blocking Brute Force Attacks": limit per account and address, slow down rather than lock):
//
// - per (username, address): LOGIN_MAX_FAILURES failures in LOGIN_WINDOW_SECONDS, then 429 for
//   that pair only; the account's owner, from anywhere else, is not refused;
// - per address: ten times that, across usernames, then 429 (one address trying many names);
// - per username, from all addresses together: past LOGIN_MAX_FAILURES failures every attempt is
//   answered a little later, doubling up to 5 s; never refused, so the right password still works.
//
// A success clears its (username, address) pair. With REDIS_URL the counts are per cluster.
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { AppError } from "../services/errors.ts";
import { createLimiter, type RedisClient, secondsUntil } from "./limiter.ts";

export interface LoginLimits {
  maxFailures: number;
  windowSeconds: number;
}

const MAX_DELAY_MS = 5000;

export class LoginGuard {
  private readonly pair: RateLimiterAbstract;
  private readonly address: RateLimiterAbstract;
  private readonly name: RateLimiterAbstract;

  constructor(
    private readonly limits: LoginLimits,
    redis?: RedisClient,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    const duration = limits.windowSeconds;
    this.pair = createLimiter({ keyPrefix: "login-pair", points: limits.maxFailures, duration }, redis);
    this.address = createLimiter({ keyPrefix: "login-addr", points: limits.maxFailures * 10, duration }, redis);
    // counts without ever refusing: it only sets the delay
    this.name = createLimiter({ keyPrefix: "login-name", points: 1_000_000_000, duration }, redis);
  }

  /** The delay an attempt for a username with `failures` recent failures waits. */
  delayFor(failures: number): number {
    const over = failures - this.limits.maxFailures;
    return over <= 0 ? 0 : Math.min(MAX_DELAY_MS, 100 * 2 ** (over - 1));
  }

  /** Before checking a password: refuses a used-up pair or address, slows a guessed-at username. */
  async before(username: string, address: string): Promise<void> {
    const [pair, addr, name] = await Promise.all([
      this.pair.get(`${username}\u0000${address}`),
      this.address.get(address),
      this.name.get(username),
    ]);
    for (const [used, limit] of [
      [pair, this.limits.maxFailures],
      [addr, this.limits.maxFailures * 10],
    ] as const) {
      if (used && used.consumedPoints >= limit) {
        const wait = secondsUntil(used.msBeforeNext);
        throw new AppError("rate_limited", `Too many failed sign-in attempts. Try again in ${wait} s.`, { retryAfter: wait });
      }
    }
    const delay = this.delayFor(name?.consumedPoints ?? 0);
    if (delay > 0) await this.sleep(delay);
  }

  async failed(username: string, address: string): Promise<void> {
    // past a limit `consume` rejects: the count is what matters, not the rejection
    const count = (limiter: RateLimiterAbstract, key: string) => limiter.consume(key).catch(() => undefined);
    await Promise.all([
      count(this.pair, `${username}\u0000${address}`),
      count(this.address, address),
      count(this.name, username),
    ]);
  }

  async succeeded(username: string, address: string): Promise<void> {
    await this.pair.delete(`${username}\u0000${address}`);
  }
}
