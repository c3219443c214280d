// The services on a real SQLite database in a temp dir, without any transport.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LoginGuard } from "../../server/auth/login-guard.ts";
import { runMigrations } from "../../server/db/migrate.ts";
import { type Database, openDatabase } from "../../server/db.ts";
import type { PublicUser } from "../../server/protocol/index.ts";
import { AppError } from "../../server/services/errors.ts";
import { type MessageStore, type MessageStores, openMessageStores } from "../../server/services/message-store/index.ts";
import { RoomService } from "../../server/services/rooms.ts";
import { UserService } from "../../server/services/users.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";

let testDb: TestDatabase;
let database: Database;
let users: UserService;
let rooms: RoomService;
let store: MessageStore;
let stores: MessageStores;
const online = new Set<string>();

beforeAll(async () => {
  testDb = await createTestDatabase();
  await runMigrations(testDb.url);
  database = await openDatabase(testDb.url);
  stores = openMessageStores(testDb.url);
  store = stores.rooms;
  users = new UserService(database.db, { login: { maxFailures: 2, windowSeconds: 60 }, registerMaxPerHour: 1000 });
  rooms = new RoomService(database.db, { isOnline: (id) => online.has(id), onlineCount: () => 0 }, store, stores.reads);
});
afterAll(async () => {
  await stores.close();
  await database.close();
  await testDb.drop();
});

let n = 0;
const register = (name = `user${++n}`) => users.register({ username: name, password: "password123" }, "10.0.0.1");

describe("migrations", () => {
  it("are recorded in Prisma's table and not applied twice", async () => {
    expect(await runMigrations(testDb.url)).toEqual([]);
    const rows = await database.db.$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT migration_name FROM "_prisma_migrations"`,
    );
    expect(rows.map((r) => r.migration_name)).toContain("20261127120000_init");
  });
});

describe("UserService", () => {
  it("trims usernames and keeps their case, but compares without it", async () => {
    const user = await users.register({ username: "  MixedCase  ", password: "password123" }, "10.0.0.2");
    expect(user.username).toBe("MixedCase");
    await expect(users.verifyCredentials({ username: "mixedcase", password: "password123" }, "10.0.0.2")).resolves.toEqual(user);
    await expect(users.register({ username: "MIXEDCASE", password: "password123" }, "10.0.0.2")).rejects.toMatchObject({
      code: "conflict",
    });
  });

  it("stores Argon2id hashes at OWASP's minimum cost unless told otherwise", async () => {
    const user = await register();
    const row = await database.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("limits failures per username, and a success resets the count", async () => {
    const user = await register();
    const attempt = (password: string) => users.verifyCredentials({ username: user.username, password }, "10.0.0.3");
    await expect(attempt("wrong-one")).rejects.toMatchObject({ code: "unauthorized" });
    await expect(attempt("password123")).resolves.toEqual(user);
    await expect(attempt("wrong-one")).rejects.toMatchObject({ code: "unauthorized" });
    await expect(attempt("wrong-two")).rejects.toMatchObject({ code: "unauthorized" });
    const limited = await attempt("password123").catch((e: AppError) => e);
    expect(limited).toBeInstanceOf(AppError);
    expect((limited as AppError).code).toBe("rate_limited");
    expect((limited as AppError).retryAfter).toBeGreaterThan(0);
  });
});

describe("LoginGuard", () => {
  const guard = (sleeps: number[]) =>
    new LoginGuard({ maxFailures: 3, windowSeconds: 60 }, undefined, async (ms) => void sleeps.push(ms));

  it("refuses a (username, address) pair past its failures, and nobody else", async () => {
    const g = guard([]);
    for (let i = 0; i < 3; i++) await g.failed("victim", "10.9.9.9");
    await expect(g.before("victim", "10.9.9.9")).rejects.toMatchObject({ code: "rate_limited" });
    await expect(g.before("victim", "10.1.1.1")).resolves.toBeUndefined();
    await expect(g.before("someone", "10.9.9.9")).resolves.toBeUndefined();
  });

  it("slows a username guessed at from many addresses, doubling up to 5 s, and never refuses it", async () => {
    const sleeps: number[] = [];
    const g = guard(sleeps);
    for (let i = 0; i < 12; i++) await g.failed("victim", `10.0.${i}.1`);
    await expect(g.before("victim", "192.168.1.20")).resolves.toBeUndefined();
    expect(sleeps).toEqual([5000]);
    expect([0, 3, 4, 5, 6, 9, 20].map((n) => g.delayFor(n))).toEqual([0, 0, 100, 200, 400, 3200, 5000]);
  });

  it("forgets a pair's failures after a success", async () => {
    const g = guard([]);
    for (let i = 0; i < 2; i++) await g.failed("me", "10.2.2.2");
    await g.succeeded("me", "10.2.2.2");
    for (let i = 0; i < 2; i++) await g.failed("me", "10.2.2.2");
    await expect(g.before("me", "10.2.2.2")).resolves.toBeUndefined();
  });
});

describe("MessageStore.storeBatch", () => {
  let alice: PublicUser;
  let bob: PublicUser;
  beforeAll(async () => {
    [alice, bob] = [await register(), await register()];
  });
  const newRoom = async () => (await rooms.create(alice, `batch${++n}`, undefined)).id;

  it("numbers a batch consecutively and returns it in input order", async () => {
    const roomId = await newRoom();
    const stored = await store.storeBatch(roomId, [
      { author: alice, body: "one", clientMsgId: "b1" },
      { author: bob, body: "two", clientMsgId: "b1" },
      { author: alice, body: "three", clientMsgId: "b3" },
    ]);
    expect(stored.map((s) => [s.message.seq, s.message.body, s.created])).toEqual([
      [1, "one", true],
      [2, "two", true],
      [3, "three", true],
    ]);
    const room = await database.db.room.findUniqueOrThrow({ where: { id: roomId } });
    expect(room.lastSeq).toBe(3);
    expect(room.lastMessageAt?.toISOString()).toBe(stored[0].message.createdAt);
  });

  it("answers a repeated clientMsgId, earlier or in the same batch, with the stored message", async () => {
    const roomId = await newRoom();
    await store.storeBatch(roomId, [
      { author: alice, body: "one", clientMsgId: "b1" },
      { author: alice, body: "two", clientMsgId: "b2" },
    ]);
    const stored = await store.storeBatch(roomId, [
      { author: alice, body: "one again", clientMsgId: "b1" },
      { author: alice, body: "three", clientMsgId: "b3" },
      { author: alice, body: "three again", clientMsgId: "b3" },
    ]);
    expect(stored.map((s) => [s.message.seq, s.message.body, s.created])).toEqual([
      [1, "one", false],
      [3, "three", true],
      [3, "three", false],
    ]);
    expect(await database.db.message.count({ where: { roomId } })).toBe(3);
  });

  it("stores nothing when the room does not exist", async () => {
    await expect(store.storeBatch("missing", [{ author: alice, body: "x", clientMsgId: "z" }])).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await database.db.message.count({ where: { roomId: "missing" } })).toBe(0);
  });
});

describe("RoomService", () => {
  it("lists by latest activity and reports members with their presence", async () => {
    const [carol, dave] = [await register(), await register()];
    const quiet = await rooms.create(carol, `quiet${n}`, "shh");
    const busy = await rooms.create(carol, `busy${n}`, undefined);
    await store.storeBatch(quiet.id, [{ author: carol, body: "hi", clientMsgId: "q1" }]);
    const listed = (await rooms.list({ limit: 100 }, carol)).rooms.map((r) => r.id);
    expect(listed.indexOf(quiet.id)).toBeLessThan(listed.indexOf(busy.id));

    await rooms.join(dave, quiet.id);
    expect(await rooms.join(dave, quiet.id)).toEqual({ joined: false });
    online.add(dave.id);
    const { members, memberCount } = await rooms.detail(quiet.id, dave);
    expect(memberCount).toBe(2);
    expect(members).toEqual(
      expect.arrayContaining([
        {
          id: carol.id,
          username: carol.username,
          displayName: null,
          status: null,
          avatarUrl: null,
          online: false,
          role: "owner",
        },
        { id: dave.id, username: dave.username, displayName: null, status: null, avatarUrl: null, online: true, role: "member" },
      ]),
    );
    expect(await rooms.leave(dave, quiet.id)).toEqual({ left: true });
    await expect(rooms.assertMember(dave, quiet.id)).rejects.toMatchObject({ code: "forbidden" });
    await expect(rooms.assertMember(dave, "nope")).rejects.toMatchObject({ code: "not_found" });
    await expect(rooms.assertMember(carol, quiet.id)).resolves.toBeUndefined();
  });
});

describe("MessageStore.page", () => {
  it("pages before, after and from the newest, oldest first, with hasMore", async () => {
    const author = await register();
    const roomId = (await rooms.create(author, `pages${n}`, undefined)).id;
    await store.storeBatch(
      roomId,
      Array.from({ length: 7 }, (_, i) => ({ author, body: `p${i + 1}`, clientMsgId: `p${i + 1}` })),
    );
    const seqs = (p: { messages: { seq: number }[] }) => p.messages.map((m) => m.seq);
    const newest = await store.page(roomId, {}, 3);
    expect([seqs(newest), newest.hasMore]).toEqual([[5, 6, 7], true]);
    const before = await store.page(roomId, { beforeSeq: 3 }, 3);
    expect([seqs(before), before.hasMore]).toEqual([[1, 2], false]);
    const after = await store.page(roomId, { afterSeq: 4 }, 2);
    expect([seqs(after), after.hasMore]).toEqual([[5, 6], true]);
    const tail = await store.page(roomId, { afterSeq: 6 }, 2);
    expect([seqs(tail), tail.hasMore]).toEqual([[7], false]);
    expect(newest.messages[0]).toMatchObject({ body: "p5", author: { id: author.id, username: author.username }, roomId });
    expect(new Date(newest.messages[0].createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });
});
