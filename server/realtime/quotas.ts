// What one account may do over Socket.IO, counted per user (not per connection: opening more
// tabs buys nothing), in Redis when REDIS_URL is set so the limits hold across the cluster:
// sends, other requests, rooms created, and open connections per user and per address. Past a
// limit a request gets `rate_limited` with `retryAfter`; a connection is refused at the handshake.
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { createLimiter, type RedisClient, secondsUntil } from "../auth/limiter.ts";
import { AppError } from "../services/errors.ts";

export interface QuotaOptions {
  /** messages (rooms and private) a second, per user, sustained; bursts of four times that */
  sendsPerSecond: number;
  /** other requests a second, per user, sustained; bursts of five times that */
  requestsPerSecond: number;
  /** rooms one user may create in an hour */
  roomsPerHour: number;
  /** open connections per user (on this node) */
  socketsPerUser: number;
  /** open connections per address (on this node) */
  socketsPerAddress: number;
}

/** Requests that write a message (counted as sends: SEND_RATE_PER_USER). */
const SENDS = new Set([
  "message:send",
  "dm:send",
  "message:edit",
  "message:delete",
  "dm:edit",
  "dm:delete",
  "reaction:add",
  "reaction:remove",
]);

export class Quotas {
  private readonly sends: RateLimiterAbstract;
  private readonly requests: RateLimiterAbstract;
  private readonly rooms: RateLimiterAbstract;
  private readonly byUser = new Map<string, number>();
  private readonly byAddress = new Map<string, number>();

  constructor(
    private readonly options: QuotaOptions,
    redis?: RedisClient,
  ) {
    this.sends = createLimiter({ keyPrefix: "sends", points: options.sendsPerSecond * 4, duration: 4 }, redis);
    // a page costs a burst of reads (the lobby about ten, each room entered six: its page and the
    // sidebar's lists): walking through rooms by keyboard must fit, a flood must not
    this.requests = createLimiter({ keyPrefix: "requests", points: options.requestsPerSecond * 5, duration: 5 }, redis);
    this.rooms = createLimiter({ keyPrefix: "rooms", points: options.roomsPerHour, duration: 3600 }, redis);
  }

  /** Counts a request of `userId`; throws rate_limited past the limit for its kind. */
  async take(event: string, userId: string): Promise<void> {
    const limiter = SENDS.has(event) ? this.sends : this.requests;
    try {
      await limiter.consume(userId);
      if (event === "room:create") await this.rooms.consume(userId);
    } catch (refused) {
      if (refused instanceof Error) throw refused;
      const wait = secondsUntil((refused as { msBeforeNext: number }).msBeforeNext);
      const what = SENDS.has(event)
        ? "You are sending too fast."
        : event === "room:create"
          ? `You can create ${this.options.roomsPerHour} rooms an hour.`
          : "Too many requests.";
      throw new AppError("rate_limited", `${what} Try again in ${wait} s.`, { retryAfter: wait });
    }
  }

  /** Admits a new connection, or throws rate_limited when the user or the address has too many. */
  admit(userId: string, address: string): void {
    const mine = this.byUser.get(userId) ?? 0;
    const here = this.byAddress.get(address) ?? 0;
    if (mine >= this.options.socketsPerUser) {
      throw new AppError("rate_limited", `At most ${this.options.socketsPerUser} connections per account: close a tab.`, {
        retryAfter: 5,
      });
    }
    if (here >= this.options.socketsPerAddress) {
      throw new AppError("rate_limited", "Too many connections from this address.", { retryAfter: 5 });
    }
    this.byUser.set(userId, mine + 1);
    this.byAddress.set(address, here + 1);
  }

  /** A connection admitted earlier has closed. */
  release(userId: string, address: string): void {
    for (const [map, key] of [
      [this.byUser, userId],
      [this.byAddress, address],
    ] as const) {
      const left = (map.get(key) ?? 1) - 1;
      if (left > 0) map.set(key, left);
      else map.delete(key);
    }
  }
}
