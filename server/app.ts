// Builds one Komnata node: database, services, queue, HTTP API, Socket.IO and (optionally)
// Next.js, on one HTTP server. server/index.ts runs it; the integration tests build it on port 0
// without Next.js.

import { createHash } from "node:crypto";
import { createServer, type Server as HttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Duplex } from "node:stream";
import { createAdapter } from "@socket.io/redis-adapter";
import { createAdapter as createStreamsAdapter } from "@socket.io/redis-streams-adapter";
import { httpAuth } from "./auth/http-auth.ts";
import { createLimiter } from "./auth/limiter.ts";
import { CLIENT_ADDRESS_HEADER, installBridge } from "./bridge.ts";
import { runMigrations } from "./db/migrate.ts";
import { openPgPool } from "./db/pg-pool.ts";
import { protectDataDir } from "./db/private-data.ts";
import { databaseIdentity, providerOf } from "./db/provider.ts";
import { type Database, openDatabase } from "./db.ts";
import type { Config } from "./env.ts";
import { FileService } from "./files/files.ts";
import { LocalDiskStorage } from "./files/storage.ts";
import { accountRoutes } from "./http/accounts.ts";
import { adminRoutes } from "./http/admin.ts";
import { createApi, type Route } from "./http/api.ts";
import { clientAddress } from "./http/client-address.ts";
import { emojiRoutes } from "./http/emoji.ts";
import { exportRoutes } from "./http/exports.ts";
import { fileRoutes } from "./http/files.ts";
import { type Check, checkHealth } from "./http/health.ts";
import { hookRoutes } from "./http/hooks.ts";
import { integrationRoutes } from "./http/integrations.ts";
import { localeRoutes } from "./http/locale.ts";
import { messageRoutes } from "./http/messages.ts";
import { profileRoutes } from "./http/profiles.ts";
import { pushRoutes } from "./http/push.ts";
import { isWellFormedPath, protectPage, setSecurityHeaders } from "./http/security-headers.ts";
import { sessionRoutes } from "./http/sessions.ts";
import { languages } from "./i18n/languages.ts";
import { createLogger, type Logger } from "./log.ts";
import { HOOK_POSTS_PER_MINUTE, type NotifyLevel } from "./protocol/index.ts";
import { PushService, vapidKeys } from "./push/push.ts";
import { loadHold } from "./queue/load-hold.ts";
import { createMessageQueue } from "./queue/message-queue.ts";
import type { KomnataServer } from "./realtime/context.ts";
import { createIo, wireRealtime } from "./realtime/io.ts";
import { enterRoom, removeFromRoom } from "./realtime/membership.ts";
import { socketNotifier } from "./realtime/notifier.ts";
import { Presence } from "./realtime/presence.ts";
import { linkPresence } from "./realtime/presence-link.ts";
import { Quotas } from "./realtime/quotas.ts";
import { watchRevocations } from "./realtime/revocation-watch.ts";
import { closeSlowReaders } from "./realtime/slow-readers.ts";
import { connectRedis, forAdapter } from "./redis.ts";
import { AccountService } from "./services/accounts.ts";
import { AdminService } from "./services/admin.ts";
import { ConversationService } from "./services/conversations.ts";
import { ExportService } from "./services/exports/exports.ts";
import { ApiTokenService } from "./services/integrations/api-tokens.ts";
import { BotService } from "./services/integrations/bots.ts";
import { OutgoingWebhooks } from "./services/integrations/outgoing.ts";
import { WebhookService } from "./services/integrations/webhooks.ts";
import { InvitationService } from "./services/invitations.ts";
import { type MessageStores, openMessageStores } from "./services/message-store/index.ts";
import { ModerationService } from "./services/moderation.ts";
import { refreshNameKeys } from "./services/name-keys.ts";
import { PostingService } from "./services/posting.ts";
import { ProfileService } from "./services/profiles.ts";
import { RoomService } from "./services/rooms.ts";
import { backfill } from "./services/search/backend.ts";
import { SearchService } from "./services/search/service.ts";
import { SETTINGS_REFRESH_MS, ServerSettingsService } from "./services/server-settings.ts";
import { SessionService } from "./services/sessions.ts";
import { type HashCost, UserService } from "./services/users.ts";

export interface KomnataOptions {
  /** Serve the Next.js pages too (false in the integration tests: API + Socket.IO only). */
  withNext: boolean;
  /** Next.js development mode with reload. */
  dev?: boolean;
  logger?: Logger;
  /** the password hashing cost (tests lower it: see UserServiceOptions) */
  hashCost?: HashCost;
}

export interface Komnata {
  http: HttpServer;
  io: KomnataServer;
  database: Database;
  log: Logger;
  services: { users: UserService; rooms: RoomService; posting: PostingService; sessions: SessionService };
  /** the HTTP API's routes (docs/openapi.yaml describes each) */
  routes: readonly Route[];
  /** the message stores under the posting queues (tests hold a write back through them) */
  stores: MessageStores;
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting, closes sockets, drains the queue, closes the database. */
  close(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, "..");

export async function createKomnata(config: Config, options: KomnataOptions): Promise<Komnata> {
  const log = options.logger ?? createLogger(config.logLevel);
  const applied = await runMigrations(config.databaseUrl, {
    onApplied: (migration) => log.info({ migration }, "migration applied"),
  });
  protectDataDir(config.dataDir, config.databaseUrl, config.uploadDir);
  if (applied.length > 0) log.info({ applied: applied.length }, "database migrated");
  // on PostgreSQL, one pool for Prisma and the plain-SQL stores (db/pg-pool.ts)
  const pgPool =
    providerOf(config.databaseUrl) === "postgresql"
      ? openPgPool(config.databaseUrl, {
          onPoolError: (error) => log.warn({ err: error }, "an idle PostgreSQL connection failed; the pool replaces it"),
          timeoutMs: config.databaseTimeoutMs,
        })
      : undefined;
  const database = await openDatabase(config.databaseUrl, config.databaseTimeoutMs, pgPool);
  const { db, provider } = database;
  const keys = await refreshNameKeys(db);
  if (keys.updated > 0) log.info({ updated: keys.updated }, "name keys brought up to date");
  if (keys.collisions.length > 0) {
    log.warn({ names: keys.collisions }, "names that look alike kept their old keys (docs/decisions/009-name-keys.md)");
  }

  // Redis, when configured: Socket.IO's adapter (broadcasts across nodes) and the limits' counters
  const redisClients = config.redisUrl ? await connectRedis(config.redisUrl, log) : [];

  // Services first: they know nothing of HTTP or Socket.IO.
  const presence = new Presence();
  const users = new UserService(db, {
    login: config.login,
    registerMaxPerHour: config.registerMaxPerHour,
    hashCost: options.hashCost,
    redis: redisClients[0],
  });
  const stores = openMessageStores(config.databaseUrl, {
    pool: pgPool,
    onCheckpointError: (error) => log.warn({ err: error }, "a SQLite checkpoint failed; the next one tries again"),
    timeoutMs: config.databaseTimeoutMs,
  });
  // Prisma's connection leaves checkpoints to the store's worker too (db/checkpointer.ts)
  if (provider === "sqlite") await db.$queryRawUnsafe("PRAGMA wal_autocheckpoint = 0");
  const rooms = new RoomService(db, presence, stores.rooms, stores.reads);
  const moderation = new ModerationService(db);
  const invitations = new InvitationService(db, moderation, config.publicUrl);
  // new messages reach SQLite's trigram index a second's worth at a time (decision 015)
  const indexer = setInterval(
    () => stores.search.flush().catch((error: unknown) => log.warn({ err: error }, "adding to the search index failed")),
    1000,
  );
  indexer.unref();
  // messages written before the search index existed are folded into it in the background
  let closing = false;
  const backfilling = backfill(stores.search, () => closing).then(
    (batches) => batches > 1 && log.info({ batches }, "search index filled in"),
    (error: unknown) => log.error({ err: error }, "filling in the search index failed; restart to try again"),
  );
  const conversations = new ConversationService(db, presence, stores.conversations);
  const storage = new LocalDiskStorage(config.uploadDir);
  try {
    await storage.check();
  } catch (error) {
    throw new Error(`UPLOAD_DIR (${config.uploadDir}) is not writable: ${(error as Error).message}`);
  }
  // staged uploads a crashed process left behind: at start, then hourly
  const sweep = () => storage.sweep(60 * 60 * 1000).catch((error: unknown) => log.warn({ err: error }, "upload sweep failed"));
  await sweep();
  const sweeper = setInterval(sweep, 60 * 60 * 1000);
  sweeper.unref();
  /** what GET /api/health checks */
  const healthChecks: Record<string, Check> = {
    database: () => db.$queryRawUnsafe("SELECT 1"),
    messages: () => stores.ping(),
    uploads: () => storage.check(),
    ...(redisClients.length > 0 ? { redis: () => redisClients[0].ping() } : {}),
  };

  // Then the transports. Socket.IO is attached to the HTTP server before anything listens, so the
  // services' notifier can be its channels from the start.
  const http = createServer();
  // A client must send its headers within 20 s and its whole request (an upload included) within
  // 30 min; an idle kept-alive connection closes after 65 s (longer than the 60 s of most load
  // balancers, so they close first). Without these, slow or silent clients hold sockets forever.
  http.headersTimeout = 20_000;
  http.requestTimeout = 30 * 60_000;
  http.keepAliveTimeout = 65_000;
  const io = createIo(http, { allowedOrigins: config.allowedOrigins });
  // Socket.IO's own HTTP answers (long-polling) carry the same headers as every other
  io.engine.on("headers", (headers: Record<string, string>) => {
    headers["x-content-type-options"] = "nosniff";
    headers["referrer-policy"] = "same-origin";
  });
  if (redisClients.length > 0) {
    io.adapter(
      config.redisAdapter === "streams"
        ? createStreamsAdapter(forAdapter(redisClients[0]))
        : createAdapter(forAdapter(redisClients[0]), redisClients[1]),
    );
    log.info({ adapter: config.redisAdapter }, "socket.io redis adapter enabled");
  }
  // Who is online, on every node: the nodes of one database share one channel
  const presenceLink =
    redisClients.length > 0
      ? await linkPresence(presence, redisClients[0], redisClients[1], {
          channel: `komnata:presence:${createHash("sha256").update(databaseIdentity(config.databaseUrl)).digest("hex").slice(0, 16)}`,
          ttlMs: config.presenceTtlMs,
          log,
        })
      : null;
  const notifier = socketNotifier(io, presence);
  const serverSettings = new ServerSettingsService(db, config.maxUploadBytes, () => stores.reads.serverSettings());
  await serverSettings.read();
  const files = new FileService(db, storage, notifier, () => serverSettings.uploadLimitBytes(), config.uploadQuotaBytes);
  const profiles = new ProfileService(db, storage);
  const push = new PushService(
    db,
    users,
    {
      // only those a push could reach: most members have no browser subscribed
      roomMembers: async (roomId) =>
        (await stores.reads.pushableMembers(roomId)).map((m) => ({
          user: { id: m.userId, username: m.username },
          notify: m.notify as NotifyLevel,
        })),
      roomName: (roomId) => rooms.nameOf(roomId),
      roomMark: async (roomId, userId) =>
        db.membership
          .findUnique({ where: { roomId_userId: { roomId, userId } }, select: { lastReadSeq: true, notify: true } })
          .then((m) => m && { lastReadSeq: m.lastReadSeq, notify: m.notify as NotifyLevel }),
      conversationMark: async (conversationId, userId) =>
        (
          await db.conversationMember.findUnique({
            where: { conversationId_userId: { conversationId, userId } },
            select: { lastReadSeq: true },
          })
        )?.lastReadSeq ?? null,
      conversationPartner: async (conversationId, authorId) =>
        (
          await db.conversationMember.findFirst({
            where: { conversationId, userId: { not: authorId } },
            select: { user: { select: { id: true, username: true } } },
          })
        )?.user ?? null,
      isOnline: (userId) => presence.isOnline(userId),
    },
    vapidKeys(config.dataDir, process.env, config.publicUrl),
    log,
    { delayMs: config.push.delaySeconds * 1000, insecureEndpoints: config.push.insecureEndpoints },
  );
  // outgoing webhooks hear of every room message stored here, and post their targets' answers
  const outgoing = new OutgoingWebhooks(db, stores.reads, { toRoom: (roomId, message) => posting.toRoom(roomId, message) }, log, {
    allowPrivate: config.webhookAllowPrivate,
  });
  await outgoing.refresh();
  // under load, sends wait a few milliseconds for others to share their write and frame
  const hold = loadHold();
  const posting = new PostingService(
    createMessageQueue(stores.rooms, provider, { holdMs: hold }),
    createMessageQueue(stores.conversations, provider, { holdMs: hold }),
    conversations,
    notifier,
    files,
    { readers: (roomId) => rooms.readers(roomId), isOnline: (userId) => presence.isOnline(userId) },
    {
      afterRoomMessage: (message) => {
        push.afterRoomMessage(message);
        outgoing.afterRoomMessage(message);
      },
      afterDirectMessage: (message) => push.afterDirectMessage(message),
    },
  );
  const sessions = new SessionService(db, notifier, stores.reads);
  const apiTokens = new ApiTokenService(db, notifier);
  const bots = new BotService(db, apiTokens, rooms, moderation, notifier);
  const webhooks = new WebhookService(
    db,
    moderation,
    bots,
    posting,
    rooms,
    config.publicUrl,
    createLimiter({ keyPrefix: "hooks", points: HOOK_POSTS_PER_MINUTE, duration: 60 }, redisClients[0]),
    { refresh: () => outgoing.refresh(), allowPrivate: config.webhookAllowPrivate },
  );
  // revocations are kept only until the tokens they name would have expired anyway
  const sessionSweeper = setInterval(
    () => void sessions.sweep().catch((error: unknown) => log.warn({ err: error }, "revoked-session sweep failed")),
    60 * 60 * 1000,
  );
  sessionSweeper.unref();
  // settings a server admin changed on another node reach this one within seconds
  const settingsRefresh = setInterval(
    () => void serverSettings.read().catch((error: unknown) => log.warn({ err: error }, "reading the server settings failed")),
    SETTINGS_REFRESH_MS,
  );
  settingsRefresh.unref();

  const addressOf = (req: IncomingMessage) => clientAddress(req, config.trustProxy);
  const spoken = languages();
  installBridge({
    verifyCredentials: (input, address) => users.verifyCredentials(input, address),
    checkSession: async (claim) => (await sessions.check(claim)) !== null,
    revokeSession: (claim) => sessions.revoke(claim),
    get maxUploadBytes() {
      return serverSettings.uploadLimitBytes();
    },
    isAdmin: (userId) => users.isAdmin(userId),
    registration: async () => (await serverSettings.read()).registration,
    languages: spoken,
    localeOf: (userId) => users.localeOf(userId),
    roomName: (roomId, readerId) => rooms.nameOf(roomId, readerId),
  });
  const authOptions = {
    secret: config.secret,
    publicUrl: config.publicUrl,
    allowedOrigins: config.allowedOrigins,
    sessions,
    apiTokens,
  };
  const auth = httpAuth(authOptions);
  const accounts = new AccountService(db, {
    users,
    settings: serverSettings,
    sessions,
    invitations,
    rooms,
    notifier,
    publicUrl: config.publicUrl,
  });
  const quotas = new Quotas(config.quotas, redisClients[0]);
  const exports = new ExportService(
    db,
    storage,
    { rooms: stores.rooms, conversations: stores.conversations },
    (userId) => users.isAdmin(userId),
    notifier,
    log,
  );
  // exports past their week, and any a stopped process left unfinished: at start, then hourly
  const sweepExports = () => exports.sweep().catch((error: unknown) => log.warn({ err: error }, "export sweep failed"));
  await sweepExports();
  const exportSweeper = setInterval(sweepExports, 60 * 60 * 1000);
  exportSweeper.unref();
  const api = createApi({
    accounts,
    users,
    secret: config.secret,
    log,
    clientAddress: addressOf,
    health: async () => ({
      ...(await checkHealth(healthChecks, log)),
      provider,
      online: presence.onlineUsers,
      onThisNode: presence.localUserCount,
      queued: posting.queued,
    }),
    routes: [
      ...sessionRoutes({ auth, sessions }),
      ...adminRoutes({ auth, admin: new AdminService(db, sessions, users), accounts, settings: serverSettings }),
      ...accountRoutes({ auth, accounts, users, secret: config.secret }),
      ...profileRoutes({ auth, profiles, announce: (profile) => io.emit("user:updated", profile) }),
      ...localeRoutes({ auth, users, supported: spoken.map((l) => l.locale), origins: authOptions }),
      ...emojiRoutes(),
      ...pushRoutes({ auth, push }),
      ...integrationRoutes({
        auth,
        tokens: apiTokens,
        bots,
        joined: (bot, roomId, member) => enterRoom({ io, presence, rooms }, bot, roomId, { member }),
        left: (botId, roomId) => removeFromRoom({ io, presence, rooms }, botId, roomId, "kicked"),
        profiles,
        announce: (profile) => io.emit("user:updated", profile),
      }),
      ...messageRoutes({ auth, rooms, conversations, posting, take: (event, userId) => quotas.take(event, userId) }),
      ...hookRoutes({ webhooks, log }),
      ...exportRoutes({ auth, exports }),
      ...fileRoutes({
        auth,
        uploadRate: createLimiter({ keyPrefix: "uploads", points: config.uploadsPerMinute, duration: 60 }, redisClients[0]),
        files,
        posting,
        rooms,
        conversations,
      }),
    ],
  });

  let nextHandler: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | null = null;
  let nextUpgrade: ((req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void>) | null = null;
  if (options.withNext) {
    process.env.NEXTAUTH_SECRET = config.secret;
    process.env.NEXTAUTH_URL ??= config.publicUrl;
    const { default: next } = await import("next");
    const app = next({ dev: options.dev ?? false, dir: root, hostname: "localhost", port: config.port });
    await app.prepare();
    nextHandler = app.getRequestHandler();
    nextUpgrade = options.dev ? app.getUpgradeHandler() : null;
  }

  const https = new URL(config.publicUrl).protocol === "https:";
  http.on("request", (req: IncomingMessage, res: ServerResponse) => {
    // Socket.IO's long-polling is answered by engine.io, which attached itself to this server first
    if (req.url?.startsWith("/socket.io/")) return;
    setSecurityHeaders(res);
    if (!isWellFormedPath(req.url)) {
      res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end("Bad request: the address is not valid.");
      return;
    }
    if (api(req, res)) return;
    if (!nextHandler) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
      return;
    }
    protectPage(req, res, { dev: options.dev ?? false, https });
    // Next.js code reads the client's address from this header; never trust a client's copy.
    req.headers[CLIENT_ADDRESS_HEADER] = addressOf(req);
    nextHandler(req, res).catch((error: unknown) => {
      log.error({ err: error }, "page request failed");
      if (!res.headersSent) res.writeHead(500).end("Internal error");
    });
  });
  http.on("upgrade", (req, socket, head) => {
    if (req.url?.startsWith("/socket.io/")) return;
    if (nextUpgrade) void nextUpgrade(req, socket, head);
    else socket.destroy();
  });
  http.on("clientError", (error, socket) => {
    log.debug({ err: error }, "bad http request");
    socket.destroy();
  });

  const search = new SearchService(db, stores, users);
  wireRealtime(
    {
      io,
      log,
      presence,
      users,
      rooms,
      moderation,
      invitations,
      conversations,
      posting,
      files,
      profiles,
      quotas,
      search,
      push,
      webhooks,
      clientAddress: addressOf,
    },
    authOptions,
  );
  const stopClosingSlowReaders = closeSlowReaders(io, log);
  // sign-outs made by `npm run admin` (or a node without Redis between) close connections here too
  const revocations = await watchRevocations({ db, reads: stores.reads, io, sessions, log });

  return {
    http,
    io,
    database,
    log,
    services: { users, rooms, posting, sessions },
    routes: api.routes,
    stores,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        http.once("error", reject);
        http.listen(port, host, () => {
          http.off("error", reject);
          resolve((http.address() as AddressInfo).port);
        });
      }),
    close: async () => {
      // Stop taking sends first, finish the ones already accepted, then say goodbye.
      clearInterval(sweeper);
      clearInterval(exportSweeper);
      clearInterval(sessionSweeper);
      clearInterval(settingsRefresh);
      clearInterval(indexer);
      hold.stop();
      stopClosingSlowReaders();
      revocations.stop();
      // answers of deliveries under way are posted before the queue stops
      await outgoing.close();
      await posting.close();
      // exports under way finish before the database closes
      await exports.settle();
      push.close();
      // The last batch's acks are sent a few promise turns after the queue resolves them: let
      // them go out before the sockets close.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise<void>((resolve) => io.close(() => resolve()));
      http.closeAllConnections();
      await presenceLink?.close();
      await Promise.all(redisClients.map((c) => c.quit().catch(() => undefined)));
      closing = true;
      await backfilling;
      // a flush under way finishes (the last entries reach the index) before the database closes
      await stores.search.flush().catch(() => undefined);
      await stores.close();
      await database.close();
      await pgPool?.end();
    },
  };
}
