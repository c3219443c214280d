// Configuration, validated once. Every variable has a default for the embedded mode
// (SQLite file, in-process Socket.IO adapter), so `npm start` needs nothing set.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { QuotaOptions } from "./realtime/quotas.ts";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().default("./data"),
  DATABASE_URL: z.string().optional(),
  UPLOAD_DIR: z.string().optional(),
  NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters").optional(),
  NEXTAUTH_URL: z.url().optional(),
  ALLOWED_ORIGINS: z.string().default(""),
  // true (one proxy), false, or how many proxies stand in front of the server
  TRUST_PROXY: z
    .string()
    .default("false")
    .transform((v, ctx) => {
      const value = v.trim().toLowerCase();
      if (value === "true") return 1;
      if (value === "false" || value === "") return 0;
      if (/^\d{1,2}$/.test(value)) return Number(value);
      ctx.addIssue({ code: "custom", message: "TRUST_PROXY must be true, false or the number of proxies in front (0-99)" });
      return z.NEVER;
    }),
  REDIS_URL: z.string().optional(),
  // which Socket.IO adapter carries broadcasts through Redis (docs/decisions/010-redis-adapter.md)
  REDIS_ADAPTER: z.enum(["pubsub", "streams"]).default("pubsub"),
  /** with REDIS_URL: how long a node that is no longer heard keeps its users online elsewhere */
  PRESENCE_TTL_MS: z.coerce.number().int().min(300).max(600_000).default(30_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  REGISTER_MAX_PER_HOUR: z.coerce.number().int().positive().default(30),
  // what one account may do (server/realtime/quotas.ts)
  SEND_RATE_PER_USER: z.coerce.number().positive().default(10),
  REQUEST_RATE_PER_USER: z.coerce.number().positive().default(20),
  ROOMS_PER_HOUR: z.coerce.number().int().positive().default(20),
  SOCKETS_PER_USER: z.coerce.number().int().positive().default(20),
  SOCKETS_PER_ADDRESS: z.coerce.number().int().positive().default(500),
  // what one account may keep in shared files, and share in a minute
  UPLOAD_QUOTA_MB: z.coerce.number().positive().default(1024),
  UPLOADS_PER_MINUTE: z.coerce.number().int().positive().default(30),
  // how long a database statement or a new connection may take before the request fails with
  // `unavailable` (a hung database must not hang every send and handshake)
  DATABASE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  // PostgreSQL keeps sizes in a 32-bit int: 2 GB is the ceiling
  MAX_UPLOAD_MB: z.coerce.number().positive().max(2047).default(25),
  // Web Push: how long a message waits for its reader before it is pushed (read by then: no push);
  // plain-http push endpoints only for a local stand-in in tests
  PUSH_DELAY_SECONDS: z.coerce.number().min(0).max(3600).default(15),
  PUSH_INSECURE_ENDPOINTS: z
    .enum(["0", "1", "true", "false"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
  // outgoing webhooks may POST to private and loopback addresses (an intranet's tools; the tests)
  WEBHOOK_ALLOW_PRIVATE: z
    .enum(["0", "1", "true", "false"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
});

export interface Config {
  nodeEnv: "development" | "production" | "test";
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string;
  /** where shared files are kept (UPLOAD_DIR, default DATA_DIR/uploads) */
  uploadDir: string;
  secret: string;
  publicUrl: string;
  allowedOrigins: string[];
  /** how many reverse proxies to trust in X-Forwarded-For (TRUST_PROXY: true means 1) */
  trustProxy: number;
  redisUrl: string | undefined;
  redisAdapter: "pubsub" | "streams";
  presenceTtlMs: number;
  logLevel: string;
  login: { maxFailures: number; windowSeconds: number };
  registerMaxPerHour: number;
  /** what one account may keep in shared files (UPLOAD_QUOTA_MB, in bytes), and share in a minute */
  uploadQuotaBytes: number;
  uploadsPerMinute: number;
  /** Web Push (PUSH_DELAY_SECONDS, PUSH_INSECURE_ENDPOINTS); VAPID keys are read where they are used (server/push/push.ts) */
  push: { delaySeconds: number; insecureEndpoints: boolean };
  /** outgoing webhooks may reach private addresses (WEBHOOK_ALLOW_PRIVATE) */
  webhookAllowPrivate: boolean;
  /** what one account may do over Socket.IO */
  quotas: QuotaOptions;
  /** statement and connection timeout for the database (DATABASE_TIMEOUT_MS) */
  databaseTimeoutMs: number;
  /** the largest upload, in bytes (MAX_UPLOAD_MB) */
  maxUploadBytes: number;
}

/** The secret that signs sessions and tokens: from the environment, else made once and kept in DATA_DIR. */
function embeddedSecret(dataDir: string): string {
  const file = path.join(dataDir, "secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `file:${path.join(dataDir, "komnata.db")}`,
    uploadDir: path.resolve(e.UPLOAD_DIR ?? path.join(dataDir, "uploads")),
    secret: e.NEXTAUTH_SECRET ?? embeddedSecret(dataDir),
    publicUrl: e.NEXTAUTH_URL ?? `http://localhost:${e.PORT}`,
    allowedOrigins: e.ALLOWED_ORIGINS.split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    trustProxy: e.TRUST_PROXY,
    redisUrl: e.REDIS_URL || undefined,
    redisAdapter: e.REDIS_ADAPTER,
    presenceTtlMs: e.PRESENCE_TTL_MS,
    logLevel: e.LOG_LEVEL,
    login: { maxFailures: e.LOGIN_MAX_FAILURES, windowSeconds: e.LOGIN_WINDOW_SECONDS },
    registerMaxPerHour: e.REGISTER_MAX_PER_HOUR,
    maxUploadBytes: Math.floor(e.MAX_UPLOAD_MB * 1024 * 1024),
    databaseTimeoutMs: e.DATABASE_TIMEOUT_MS,
    uploadQuotaBytes: Math.floor(e.UPLOAD_QUOTA_MB * 1024 * 1024),
    uploadsPerMinute: e.UPLOADS_PER_MINUTE,
    push: { delaySeconds: e.PUSH_DELAY_SECONDS, insecureEndpoints: e.PUSH_INSECURE_ENDPOINTS },
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
    quotas: {
      sendsPerSecond: e.SEND_RATE_PER_USER,
      requestsPerSecond: e.REQUEST_RATE_PER_USER,
      roomsPerHour: e.ROOMS_PER_HOUR,
      socketsPerUser: e.SOCKETS_PER_USER,
      socketsPerAddress: e.SOCKETS_PER_ADDRESS,
    },
  };
}
