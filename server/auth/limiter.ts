// Counters for limits, from rate-limiter-flexible: in memory on one node, in Redis when
// REDIS_URL is set so that every node counts together (with the memory counter as insurance
// while Redis is away, so a Redis outage never turns the limits off).

import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import type { RedisClient } from "../redis.ts";

export type { RedisClient };

export interface LimitSpec {
  /** names the counter, in Redis too */
  keyPrefix: string;
  /** how many in a window */
  points: number;
  /** the window, in seconds */
  duration: number;
}

export function createLimiter(spec: LimitSpec, redis?: RedisClient): RateLimiterAbstract {
  const memory = new RateLimiterMemory(spec);
  if (!redis) return memory;
  return new RateLimiterRedis({
    ...spec,
    keyPrefix: `komnata:${spec.keyPrefix}`,
    storeClient: redis,
    useRedisPackage: true,
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
}

/** Seconds until a limiter that is used up frees a place (at least 1). */
export const secondsUntil = (msBeforeNext: number) => Math.max(1, Math.ceil(msBeforeNext / 1000));
