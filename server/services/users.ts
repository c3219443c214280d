import { randomUUID } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { RateLimiter } from "../auth/rate-limiter.ts";
import type { Db } from "../db.ts";
import { credentials, type PublicUser } from "../protocol/index.ts";
import { AppError, isUniqueViolation } from "./errors.ts";
import { parse } from "./validation.ts";

/** Argon2id's cost: memory in KiB, passes, lanes. */
export interface HashCost {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** Argon2id (the library default) with OWASP's recommended minimum cost. */
export const PASSWORD_HASH_COST: HashCost = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

const WRONG_CREDENTIALS = "Wrong username or password.";

export interface UserServiceOptions {
  login: { maxFailures: number; windowSeconds: number };
  registerMaxPerHour: number;
  /** the password hashing cost; lower only in tests, where accounts are made by the hundred */
  hashCost?: HashCost;
}

export class UserService {
  private readonly db: Db;
  private readonly failuresByName: RateLimiter;
  private readonly failuresByAddress: RateLimiter;
  private readonly registrations: RateLimiter;
  private readonly hashCost: HashCost;
  // Verified against when the username does not exist, so that a wrong username costs the same
  // time as a wrong password and the reply cannot tell them apart.
  private readonly dummyHash: Promise<string>;

  constructor(db: Db, options: UserServiceOptions) {
    this.db = db;
    this.hashCost = options.hashCost ?? PASSWORD_HASH_COST;
    this.dummyHash = hash("komnata-timing-equaliser", this.hashCost);
    const windowMs = options.login.windowSeconds * 1000;
    this.failuresByName = new RateLimiter({ max: options.login.maxFailures, windowMs });
    // An address may guess across many usernames; allow it more, but not unlimited.
    this.failuresByAddress = new RateLimiter({ max: options.login.maxFailures * 10, windowMs });
    this.registrations = new RateLimiter({ max: options.registerMaxPerHour, windowMs: 3_600_000 });
  }

  async register(input: unknown, address: string): Promise<PublicUser> {
    const { username, password } = parse(credentials, input);
    const wait = this.registrations.retryAfter(address);
    if (wait > 0) {
      throw new AppError("rate_limited", `Too many new accounts from this address. Try again in ${wait} s.`, {
        retryAfter: wait,
      });
    }
    this.registrations.hit(address);
    const passwordHash = await hash(password, this.hashCost);
    try {
      return await this.db.user.create({
        data: { id: randomUUID(), username, usernameKey: username.toLowerCase(), passwordHash },
        select: { id: true, username: true },
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("conflict", "That username is taken.");
      throw error;
    }
  }

  /**
   * Checks a username and password. Failures are counted per username and per address; past
   * the limit every attempt is refused with rate_limited, right or wrong, until the window moves.
   */
  async verifyCredentials(input: unknown, address: string): Promise<PublicUser> {
    const parsed = credentials.safeParse(input);
    const rawName = (input as { username?: unknown } | null)?.username;
    const nameKey = `name:${typeof rawName === "string" ? rawName.trim().toLowerCase() : ""}`;
    const addressKey = `addr:${address}`;
    const wait = Math.max(this.failuresByName.retryAfter(nameKey), this.failuresByAddress.retryAfter(addressKey));
    if (wait > 0) {
      throw new AppError("rate_limited", `Too many failed sign-in attempts. Try again in ${wait} s.`, { retryAfter: wait });
    }
    const user = parsed.success
      ? await this.db.user.findUnique({ where: { usernameKey: parsed.data.username.toLowerCase() } })
      : null;
    const passwordMatches = parsed.success && (await verify(user?.passwordHash ?? (await this.dummyHash), parsed.data.password));
    if (!passwordMatches || !user) {
      this.failuresByName.hit(nameKey);
      this.failuresByAddress.hit(addressKey);
      throw new AppError("unauthorized", WRONG_CREDENTIALS);
    }
    this.failuresByName.reset(nameKey);
    return { id: user.id, username: user.username };
  }

  async findByUsername(username: string): Promise<PublicUser> {
    const user = await this.db.user.findUnique({
      where: { usernameKey: username.trim().toLowerCase() },
      select: { id: true, username: true },
    });
    if (!user) throw new AppError("not_found", `No user named "${username}".`);
    return user;
  }

  async findById(id: string): Promise<PublicUser | null> {
    return this.db.user.findUnique({ where: { id }, select: { id: true, username: true } });
  }
}
