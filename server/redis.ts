// The Redis connections of a node (REDIS_URL): a publishing and a subscribing client for
// Socket.IO's adapter; the first also holds the limits' counters.
import { createClient } from "redis";
import type { Logger } from "./log.ts";

export type RedisClient = ReturnType<typeof createClient>;

export async function connectRedis(url: string, log: Logger): Promise<[RedisClient, RedisClient]> {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  // node-redis retries every few hundred ms while Redis is away: say so once per outage
  let down = false;
  for (const client of [pub, sub]) {
    client.on("error", (error) => {
      if (down) return;
      down = true;
      log.error({ err: error }, "redis is unreachable; reconnecting");
    });
    client.on("ready", () => {
      if (!down) return;
      down = false;
      log.info("redis is back");
    });
  }
  await Promise.all([pub.connect(), sub.connect()]);
  return [pub, sub];
}

/**
 * `client` for Socket.IO's Redis adapter: the adapter fires PUBLISH and drops the promise, and
 * node-redis rejects commands that were in flight when Redis went away, so every broadcast during
 * an outage would be an unhandled rejection, which stops the process. Here they are settled
 * (the broadcast reaches only this node's sockets meanwhile; clients fetch what they missed).
 */
export function forAdapter(client: RedisClient): RedisClient {
  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property === "publish" || property === "PUBLISH") {
        return (...args: unknown[]) => (value as (...a: unknown[]) => Promise<number>).apply(target, args).catch(() => 0);
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
