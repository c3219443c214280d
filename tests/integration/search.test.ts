// Message search over the wire (issue 14), the same suite on SQLite and PostgreSQL: every script
// folded alike, short words whole, CJK inside runs, code and links as typed; edits found by their
// new text, deletions never; other people's rooms and conversations never; filters, paging, the
// highlights; room:around to open a result in its place.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SearchResults } from "../../server/protocol/index.ts";
import {
  closeSockets,
  connectAs,
  createUser,
  ok,
  request,
  startServer,
  type TestServer,
  type TestUser,
  uniqueName,
} from "../helpers/server.ts";

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let roomId: string;
let generalName: string;
const ids = new Map<string, string>();

beforeAll(async () => {
  server = await startServer();
  [alice, bob, carol] = await Promise.all([createUser(server), createUser(server), createUser(server)]);
  const a = await connectAs(server, alice);
  const b = await connectAs(server, bob);
  const c = await connectAs(server, carol);
  generalName = uniqueName("general");
  ({
    room: { id: roomId },
  } = await ok(a, "room:create", { name: generalName }));
  await ok(b, "room:join", { roomId });
  let n = 0;
  const say = async (socket: typeof a, body: string, key = body) => {
    const { message } = await ok(socket, "message:send", { roomId, body, clientMsgId: `s${++n}` });
    ids.set(key, message.id);
  };
  await say(a, "ПРИВЕТ всем");
  await say(b, "ёлка стоит в холле");
  await say(a, "я не знаю");
  await say(b, "конечно нет");
  await say(a, "我明天去上海开会");
  await say(b, "check user_id in src/app.ts and call foo.bar() first");
  await say(a, "docs at https://example.com/path?q=1 now");
  await say(b, "🎉 shipped it");
  await say(a, "го играть");
  await say(a, "old words here", "edited");
  await say(a, "doomed sentence", "deleted");
  for (let i = 1; i <= 25; i++) await say(i % 2 ? a : b, `pagetest number ${i}`);
  await ok(a, "message:edit", { roomId, messageId: ids.get("edited") as string, body: "fresh words here" });
  await ok(a, "message:delete", { roomId, messageId: ids.get("deleted") as string });

  // carol's room, which alice never joined, and one alice left
  const { room: secret } = await ok(c, "room:create", { name: uniqueName("secret") });
  await ok(c, "message:send", { roomId: secret.id, body: "привет secret plans", clientMsgId: "c1" });
  const { room: old } = await ok(a, "room:create", { name: uniqueName("old") });
  await ok(a, "message:send", { roomId: old.id, body: "привет from a room I left", clientMsgId: "o1" });
  await ok(a, "room:leave", { roomId: old.id });
  // conversations: alice with bob, and bob with carol
  await ok(b, "dm:send", { toUsername: alice.username, body: "привет from bob", clientMsgId: "d1" });
  await ok(c, "dm:send", { toUsername: bob.username, body: "привет from carol to bob", clientMsgId: "d2" });
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

async function search(user: TestUser, query: string, extra: Record<string, unknown> = {}): Promise<SearchResults> {
  const socket = await connectAs(server, user);
  return ok(socket, "search", { query, ...extra });
}
const bodies = (r: SearchResults) => r.results.map((x) => x.message.body);

describe("matching", () => {
  it("folds case and ё in every script, and finds a word inside longer ones", async () => {
    expect(bodies(await search(alice, "привет"))).toContain("ПРИВЕТ всем");
    expect(bodies(await search(alice, "елка"))).toEqual(["ёлка стоит в холле"]);
    expect(bodies(await search(alice, "ЁЛКА"))).toEqual(["ёлка стоит в холле"]);
    expect(bodies(await search(alice, "холл"))).toEqual(["ёлка стоит в холле"]);
  });

  it("finds a two-letter word as a word, not inside others", async () => {
    expect(bodies(await search(alice, "не"))).toEqual(["я не знаю"]);
    expect(bodies(await search(alice, "го"))).toEqual(["го играть"]);
  });

  it("finds CJK inside a sentence without spaces, one or two characters too", async () => {
    expect(bodies(await search(alice, "上海"))).toEqual(["我明天去上海开会"]);
    expect(bodies(await search(alice, "海"))).toEqual(["我明天去上海开会"]);
    expect(bodies(await search(alice, "去上海开"))).toEqual(["我明天去上海开会"]);
    expect(bodies(await search(alice, "海上"))).toEqual([]);
  });

  it("finds code identifiers, paths, calls, links and emoji as typed", async () => {
    const code = "check user_id in src/app.ts and call foo.bar() first";
    for (const q of ["user_id", "src/app.ts", "foo.bar()", "app.ts"]) expect(bodies(await search(alice, q)), q).toEqual([code]);
    expect(bodies(await search(alice, "user"))).toEqual([code]);
    expect(bodies(await search(alice, "https://example.com/path"))).toEqual(["docs at https://example.com/path?q=1 now"]);
    expect(bodies(await search(alice, "🎉"))).toEqual(["🎉 shipped it"]);
  });

  it("takes every word, in any order, and an exact phrase only as written", async () => {
    expect(bodies(await search(alice, "знаю я"))).toEqual(["я не знаю"]);
    expect(bodies(await search(alice, '"знаю я"'))).toEqual([]);
    expect(bodies(await search(alice, '"не знаю"'))).toEqual(["я не знаю"]);
  });

  it("finds an edited message by its new text only, and a deleted one never", async () => {
    expect(bodies(await search(alice, "fresh"))).toEqual(["fresh words here"]);
    expect(bodies(await search(alice, "old words"))).toEqual([]);
    expect(bodies(await search(alice, "doomed"))).toEqual([]);
  });

  it("keeps an indexed message in step: edited, deleted, and a new one after the last was deleted", async () => {
    const a = await connectAs(server, alice);
    const { message } = await ok(a, "message:send", { roomId, body: "quokka sighting", clientMsgId: "late1" });
    expect(bodies(await search(alice, "quokka"))).toEqual(["quokka sighting"]);
    await ok(a, "message:edit", { roomId, messageId: message.id, body: "wombat sighting" });
    expect(bodies(await search(alice, "quokka"))).toEqual([]);
    expect(bodies(await search(alice, "wombat"))).toEqual(["wombat sighting"]);
    await ok(a, "message:delete", { roomId, messageId: message.id });
    expect(bodies(await search(alice, "sighting"))).toEqual([]);
    // the newest entry is gone: the next one must not take its place in the index
    await ok(a, "message:send", { roomId, body: "platypus sighting", clientMsgId: "late2" });
    expect(bodies(await search(alice, "sighting"))).toEqual(["platypus sighting"]);
  });
});

describe("access", () => {
  it("never shows rooms one is not in, or left, nor other people's conversations", async () => {
    const found = await search(alice, "привет");
    expect(bodies(found).sort()).toEqual(["ПРИВЕТ всем", "привет from bob"].sort());
    const dm = found.results.find((r) => r.conversation);
    expect(dm?.conversation?.with.username).toBe(bob.username);
    expect(found.results.find((r) => r.room)?.room).toEqual({ id: roomId, name: generalName });
    // carol sees her own room and conversation, not the general room she is not in
    expect(bodies(await search(carol, "привет")).sort()).toEqual(["привет from carol to bob", "привет secret plans"].sort());
    // asking for a room by id does not open it
    const { room: secret } = await ok(await connectAs(server, carol), "room:create", { name: uniqueName("hidden") });
    await ok(await connectAs(server, carol), "message:send", { roomId: secret.id, body: "привет hidden", clientMsgId: "h" });
    expect((await search(alice, "привет", { roomId: secret.id })).results).toEqual([]);
    expect((await search(alice, `привет in:${secret.name}`)).results).toEqual([]);
  });
});

describe("filters", () => {
  it("from:, in:, has:, before:, after: and on: narrow the results", async () => {
    expect(bodies(await search(alice, `pagetest from:${bob.username}`))).toHaveLength(12);
    expect(bodies(await search(alice, `pagetest from:@${alice.username.toUpperCase()}`))).toHaveLength(13);
    expect(bodies(await search(alice, "привет in:@" + bob.username))).toEqual(["привет from bob"]);
    expect(bodies(await search(alice, `привет in:#${generalName}`))).toEqual(["ПРИВЕТ всем"]);
    expect(bodies(await search(alice, "has:link"))).toEqual(["docs at https://example.com/path?q=1 now"]);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(bodies(await search(alice, `елка after:${yesterday}`))).toHaveLength(1);
    expect(bodies(await search(alice, `елка before:${tomorrow}`))).toHaveLength(1);
    expect(bodies(await search(alice, `елка on:${today}`))).toHaveLength(1);
    expect(bodies(await search(alice, `елка before:${yesterday}`))).toHaveLength(0);
    expect(bodies(await search(alice, `елка after:${tomorrow}`))).toHaveLength(0);
    // a room given by id
    expect(bodies(await search(alice, "привет", { roomId }))).toEqual(["ПРИВЕТ всем"]);
  });

  it("finds files by name, folded like messages, until removed", async () => {
    const res = await fetch(
      `${server.url}/api/files?${new URLSearchParams({ roomId, name: "Квартальный_Отчёт.pdf", clientMsgId: "f1" })}`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${bob.token}`, "content-type": "application/pdf" },
        body: new Blob([new TextEncoder().encode("%PDF-1.4 nothing")]),
      },
    );
    expect(res.status).toBe(201);
    const { message } = (await res.json()) as { message: { id: string; file: { id: string } } };
    const found = await search(alice, "отчет");
    expect(found.results.map((r) => r.message.id)).toEqual([message.id]);
    expect(found.results[0].highlights.file).toEqual([[12, 17]]);
    expect((await search(alice, "has:file")).results.map((r) => r.message.id)).toEqual([message.id]);
    expect((await search(alice, "has:image")).results).toEqual([]);
    await ok(await connectAs(server, bob), "file:remove", { fileId: message.file.id });
    expect((await search(alice, "отчет")).results).toEqual([]);
    expect((await search(alice, "has:file")).results).toEqual([]);
  });
});

it("pages newest first with a cursor, or best match first", async () => {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: SearchResults = await search(alice, "pagetest", { limit: 10, cursor });
    seen.push(...bodies(page));
    cursor = page.cursor;
  } while (cursor);
  expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `pagetest number ${25 - i}`));
  const best = await search(alice, "pagetest number 7", { order: "best", limit: 5 });
  expect(best.results[0].message.body).toBe("pagetest number 7");
  expect(best.cursor).toBe(null);
  const more = await search(alice, "pagetest", { order: "best", limit: 20 });
  expect(more.cursor).not.toBe(null);
  const rest = await search(alice, "pagetest", { order: "best", limit: 20, cursor: more.cursor });
  expect(new Set([...bodies(more), ...bodies(rest)]).size).toBe(25);
});

it("says where the terms matched, in the original text", async () => {
  const [hit] = (await search(alice, "привет in:#" + generalName)).results;
  expect(hit.highlights.body).toEqual([[0, 6]]);
  const [code] = (await search(alice, "foo.bar() user_id")).results;
  const { body } = code.message;
  expect(code.highlights.body.map(([s, e]) => body.slice(s, e))).toEqual(["user_id", "foo.bar()"]);
  const [word] = (await search(alice, "не")).results;
  expect(word.highlights.body).toEqual([[2, 4]]);
});

it("refuses a query it cannot read, in words", async () => {
  const socket = await connectAs(server, alice);
  for (const [query, message] of [
    ["   ", /Type something/],
    ["has:nothing", /has: takes file, image, link/],
    ["before:yesterday", /before: takes a date/],
  ] as const) {
    const reply = await request(socket, "search", { query });
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe("invalid_input");
      expect(reply.error.message).toMatch(message);
    }
  }
  const reply = await request(socket, "search", { query: "x", cursor: "garbage" });
  expect(reply.ok || reply.error.code).toBe("invalid_input");
});

it("gives the messages around one, for members only", async () => {
  const a = await connectAs(server, alice);
  const { messages: newest } = await ok(a, "room:history", { roomId, limit: 1 });
  const middle = Math.floor(newest[0].seq / 2);
  const page = await ok(a, "room:around", { roomId, seq: middle, limit: 10 });
  expect(page.messages.map((m) => m.seq)).toEqual(Array.from({ length: 10 }, (_, i) => middle - 4 + i));
  expect(page).toMatchObject({ hasMoreBefore: true, hasMoreAfter: true });
  const start = await ok(a, "room:around", { roomId, seq: 1, limit: 10 });
  expect(start.messages[0].seq).toBe(1);
  expect(start.hasMoreBefore).toBe(false);
  const reply = await request(await connectAs(server, carol), "room:around", { roomId, seq: 1 });
  expect(reply.ok || reply.error.code).toBe("forbidden");
  const [dm] = (await search(alice, "привет from bob")).results;
  const conversationId = dm.conversation?.id as string;
  const around = await ok(a, "dm:around", { conversationId, seq: dm.message.seq });
  expect(around.messages.map((m) => m.body)).toEqual(["привет from bob"]);
  expect(around).toMatchObject({ hasMoreBefore: false, hasMoreAfter: false });
});
