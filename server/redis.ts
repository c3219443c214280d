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
