import { randomUUID } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { createLimiter, type RedisClient, secondsUntil } from "../auth/limiter.ts";
import { LoginGuard } from "../auth/login-guard.ts";
import { likeEscape } from "../db/like.ts";
import type { Db } from "../db.ts";
import { Prisma } from "../generated/sqlite/client.ts";
import { credentials, type PublicUser, type UserSettings } from "../protocol/index.ts";
import { AppError, isUniqueViolation } from "./errors.ts";
import { keysOf, nameKeyOf } from "./name-keys.ts";
import { parse } from "./validation.ts";

/** Until a person chooses: no browser notifications (they need the browser's permission, asked from a button), no sound, no quiet hours. */
export const DEFAULT_SETTINGS: UserSettings = { desktop: false, push: false, sound: false, quietHours: null, timeZone: "UTC" };

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
  /** with REDIS_URL: the limits are counted across every node */
  redis?: RedisClient;
  /** the password hashing cost; lower only in tests, where accounts are made by the hundred */
  hashCost?: HashCost;
}

export class UserService {
  private readonly db: Db;
  private readonly guard: LoginGuard;
  private readonly registrations: RateLimiterAbstract;
  private readonly hashCost: HashCost;
  // Verified against when the username does not exist, so that a wrong username costs the same
  // time as a wrong password and the reply cannot tell them apart.
  private readonly dummyHash: Promise<string>;

  constructor(db: Db, options: UserServiceOptions) {
    this.db = db;
    this.hashCost = options.hashCost ?? PASSWORD_HASH_COST;
    this.dummyHash = hash("komnata-timing-equaliser", this.hashCost);
    this.guard = new LoginGuard(options.login, options.redis);
    this.registrations = createLimiter(
      { keyPrefix: "register", points: options.registerMaxPerHour, duration: 3600 },
      options.redis,
    );
  }

  async register(input: unknown, address: string): Promise<PublicUser> {
    const { username, password } = parse(credentials, input);
    try {
      await this.registrations.consume(address);
    } catch (refused) {
      const wait = secondsUntil((refused as { msBeforeNext?: number }).msBeforeNext ?? 1000);
      throw new AppError("rate_limited", `Too many new accounts from this address. Try again in ${wait} s.`, {
        retryAfter: wait,
      });
    }
    const passwordHash = await hash(password, this.hashCost);
    try {
      const user = await this.db.user.create({
        data: { id: randomUUID(), username, usernameKey: nameKeyOf(username), passwordHash },
        select: { id: true, username: true },
      });
      // the first account is the server's admin: of two signing up at once, the earlier one
      await this.db.$executeRaw`UPDATE "User" SET "isAdmin" = true
        WHERE id = (SELECT id FROM "User" ORDER BY "createdAt", id LIMIT 1) AND NOT EXISTS (SELECT 1 FROM "User" WHERE "isAdmin")`;
      return user;
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("conflict", "That username is taken.");
      throw error;
    }
  }

  /**
   * Checks a username and password, within the limits of server/auth/login-guard.ts: a used-up
   * (username, address) pair or address is refused with rate_limited, right or wrong, until the
   * window moves; a username guessed at from everywhere is answered more slowly, never refused.
   */
  async verifyCredentials(input: unknown, address: string): Promise<PublicUser> {
    const parsed = credentials.safeParse(input);
    const rawName = (input as { username?: unknown } | null)?.username;
    const nameKey = typeof rawName === "string" ? nameKeyOf(rawName) : "";
    await this.guard.before(nameKey, address);
    const user = parsed.success
      ? await this.db.user.findFirst({ where: { usernameKey: { in: keysOf(parsed.data.username) } } })
      : null;
    // a bot has no password hash to check (bots.ts), nor has an account imported from Slack
    // until it is given one: the dummy is checked instead, and refused
    const usable = user && !user.botOwnerId && user.passwordHash.startsWith("$argon2");
    const stored = usable ? user.passwordHash : await this.dummyHash;
    const passwordMatches = parsed.success && (await verify(stored, parsed.data.password));
    // unauthorized, as for a wrong password: the sign-in page says so in its words, never "deactivated"
    if (user?.botOwnerId) throw new AppError("unauthorized", "This is a bot: it signs in with an API token, not a password.");
    if (!passwordMatches || !user || !usable) {
      await this.guard.failed(nameKey, address);
      throw new AppError("unauthorized", WRONG_CREDENTIALS);
    }
    await this.guard.succeeded(nameKey, address);
    if (user.deactivatedAt) throw new AppError("forbidden", "This account was deactivated by a server admin.");
    return { id: user.id, username: user.username };
  }

  /** Whether `userId` is a server admin. */
  async isAdmin(userId: string): Promise<boolean> {
    const user = await this.db.user.findUnique({ where: { id: userId }, select: { isAdmin: true } });
    return user?.isAdmin === true;
  }

  /** The language `userId` chose for the pages, or null (not chosen, or no such account). */
  async localeOf(userId: string): Promise<string | null> {
    const user = await this.db.user.findUnique({ where: { id: userId }, select: { locale: true } });
    return user?.locale ?? null;
  }

  /** Keeps `userId`'s language (callers check it is one Komnata speaks). */
  async setLocale(userId: string, locale: string): Promise<void> {
    await this.db.user.update({ where: { id: userId }, data: { locale } });
  }

  /**
   * People whose name contains `query` (ignoring case and look-alike characters, as names are
   * compared), those whose name starts with it first, then by name.
   */
  async search(query: string, limit: number): Promise<PublicUser[]> {
    const key = likeEscape(nameKeyOf(query));
    return this.db.$queryRaw<PublicUser[]>(
      Prisma.sql`SELECT id, username FROM "User" WHERE "usernameKey" LIKE ${`%${key}%`} ESCAPE '\\' AND "deactivatedAt" IS NULL
        ORDER BY CASE WHEN "usernameKey" LIKE ${`${key}%`} ESCAPE '\\' THEN 0 ELSE 1 END, "usernameKey" LIMIT ${limit}`,
    );
  }

  /** How `userId` is notified: what they chose, over the defaults. */
  async settingsOf(userId: string): Promise<UserSettings> {
    const row = await this.db.user.findUnique({ where: { id: userId }, select: { settings: true } });
    return { ...DEFAULT_SETTINGS, ...(row?.settings ? (JSON.parse(row.settings) as Partial<UserSettings>) : {}) };
  }

  /** Changes some of `userId`'s settings (callers validate them) and answers all of them. */
  async changeSettings(userId: string, change: Partial<UserSettings>): Promise<UserSettings> {
    const settings = { ...(await this.settingsOf(userId)), ...change };
    await this.db.user.update({ where: { id: userId }, data: { settings: JSON.stringify(settings) } });
    return settings;
  }

  /** Whether `password` is `userId`'s (as slow as a sign-in: the same hash). */
  async passwordMatches(userId: string, password: string): Promise<boolean> {
    const user = await this.db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
    return verify(user?.passwordHash ?? (await this.dummyHash), password);
  }

  /** Sets `userId`'s password (callers validate it, and sign their other sessions out). */
  async setPassword(userId: string, password: string): Promise<void> {
    await this.db.user.update({ where: { id: userId }, data: { passwordHash: await hash(password, this.hashCost) } });
  }

  async findByUsername(username: string): Promise<PublicUser> {
    const user = await this.db.user.findFirst({
      where: { usernameKey: { in: keysOf(username) } },
      select: { id: true, username: true },
    });
    if (!user) throw new AppError("not_found", `No user named "${username}".`);
    return user;
  }
}
