// The message store's plan, without a database: which sends are new and their seqs, replies and
// the originals they count on, and what an edit, a deletion or a reaction writes.
import { describe, expect, it } from "vitest";
import { isOneEmoji } from "../../server/protocol/fields.ts";
import { excerptOf } from "../../server/protocol/text.ts";
import { planChange } from "../../server/services/message-store/change-plan.ts";
import { plan } from "../../server/services/message-store/plan.ts";
import type { Row } from "../../server/services/message-store/types.ts";
import { CONVERSATIONS, ROOMS } from "../../server/services/message-store/wire.ts";
import type { Changed, MessageChange, Outcome, OutgoingMessage, Stored } from "../../server/services/messages.ts";

/** A stored message as the stores read it: alice's "first line\nsecond", nothing else set, with `over`. */
const row = (over: Partial<Row> = {}): Row => ({
  id: "m1",
  seq: 1,
  body: "first line\nsecond",
  clientMsgId: "c1",
  createdAt: new Date("2026-11-01T00:00:00Z"),
  authorId: "a",
  username: "alice",
  fileId: null,
  fileName: null,
  fileSize: null,
  fileType: null,
  thumbWidth: null,
  thumbHeight: null,
  fileRemovedAt: null,
  rev: 1,
  editedAt: null,
  deletedAt: null,
  deletedById: null,
  pinnedAt: null,
  pinnedById: null,
  replyToId: null,
  replyCount: 0,
  reactions: null,
  mentions: null,
  via: null,
  replySeq: null,
  replyAuthorId: null,
  replyUsername: null,
  replyBody: null,
  replyDeletedAt: null,
  replyFileName: null,
  ...over,
});

describe("the plan of a batch of sends", () => {
  const alice = { id: "a", username: "alice" };
  const bob = { id: "b", username: "bob" };
  const send = (author: typeof alice, clientMsgId: string, body = clientMsgId): OutgoingMessage => ({
    author,
    body,
    clientMsgId,
  });
  const stored = (author: typeof alice, clientMsgId: string, seq: number): Row =>
    row({
      id: `row-${seq}`,
      seq,
      rev: seq,
      body: `stored ${clientMsgId}`,
      clientMsgId,
      authorId: author.id,
      username: author.username,
    });
  /** The answers of a batch with no refusals, as the Stored they are. */
  const sent = <W>(answers: Outcome<W>[]) => answers as Stored<W>[];

  it("numbers new sends from the first seq and answers every input in order", () => {
    const p = plan(ROOMS, "r1", [send(alice, "x"), send(bob, "x"), send(alice, "y")], []);
    expect(p.fresh).toHaveLength(3);
    const { rows, answers, readUpTo } = p.finish(7, 7);
    expect(rows.map((r) => r.seq)).toEqual([7, 8, 9]);
    expect(sent(answers).map((a) => [a.message.seq, a.message.roomId, a.created])).toEqual([
      [7, "r1", true],
      [8, "r1", true],
      [9, "r1", true],
    ]);
    expect(Object.fromEntries(readUpTo)).toEqual({ a: 9, b: 8 });
  });

  it("answers a repeat of a stored send with the stored message, and a repeat within the batch with its first copy", () => {
    const p = plan(
      CONVERSATIONS,
      "c1",
      [send(alice, "old"), send(alice, "new"), send(alice, "new", "again")],
      [stored(alice, "old", 3)],
    );
    expect(p.fresh.map((m) => m.clientMsgId)).toEqual(["new"]);
    const { rows, answers } = p.finish(4, 4);
    expect(rows).toHaveLength(1);
    expect(sent(answers).map((a) => [a.message.seq, a.message.body, a.message.conversationId, a.created])).toEqual([
      [3, "stored old", "c1", false],
      [4, "new", "c1", true],
      [4, "new", "c1", false],
    ]);
  });

  it("keeps authors apart: the same clientMsgId from two people is two messages", () => {
    const p = plan(ROOMS, "r1", [send(bob, "same")], [stored(alice, "same", 1)]);
    expect(p.fresh).toHaveLength(1);
  });

  it("carries a file's columns into the row and the message", () => {
    const file = { id: "f1", name: "a.png", size: 10, type: "image/png", sha256: "00", thumbnail: { width: 4, height: 3 } };
    const { rows, answers } = plan(ROOMS, "r1", [{ ...send(alice, "f"), body: "", file }], []).finish(1, 1);
    expect(rows[0]).toMatchObject({ fileId: "f1", fileName: "a.png", thumbWidth: 4, thumbHeight: 3 });
    expect(sent(answers)[0].message.file).toEqual({
      id: "f1",
      name: "a.png",
      size: 10,
      type: "image/png",
      thumbnail: { width: 4, height: 3 },
    });
  });
  it("numbers a reply, quotes its original and raises the original's replyCount with the next rev", () => {
    const original = stored(bob, "o", 3);
    const p = plan(ROOMS, "r1", [{ ...send(alice, "re"), replyTo: original.id }], [], [original]);
    expect(p.revs).toBe(2);
    const { rows, originals, answers } = p.finish(4, 10);
    expect(rows[0]).toMatchObject({ seq: 4, rev: 10, replyToId: original.id });
    const [answer] = sent(answers);
    expect(answer.message.replyTo).toEqual({
      id: original.id,
      seq: 3,
      author: bob,
      excerpt: "stored o",
      deleted: false,
    });
    expect(originals).toEqual([expect.objectContaining({ id: original.id, replyCount: 1, rev: 11 })]);
    expect(answer.alsoChanged.map((m) => [m.id, m.replyCount, m.rev])).toEqual([[original.id, 1, 11]]);
  });

  it("refuses a reply to a message it was not given (another room's, or none) and to a deleted one, taking no seq", () => {
    const gone = { ...stored(bob, "gone", 2), deletedAt: new Date() };
    const p = plan(
      ROOMS,
      "r1",
      [{ ...send(alice, "a"), replyTo: "elsewhere" }, { ...send(alice, "b"), replyTo: gone.id }, send(alice, "c")],
      [],
      [gone],
    );
    expect(p.fresh.map((m) => m.clientMsgId)).toEqual(["c"]);
    const { answers } = p.finish(5, 5);
    expect(answers.map((a) => ("refused" in a ? a.refused.code : "stored"))).toEqual(["not_found", "not_found", "stored"]);
  });

  it("counts two replies in one batch once, announced by the last of them", () => {
    const original = stored(bob, "o", 1);
    const p = plan(
      ROOMS,
      "r1",
      [
        { ...send(alice, "x"), replyTo: original.id },
        { ...send(bob, "y"), replyTo: original.id },
      ],
      [],
      [original],
    );
    expect(p.revs).toBe(3);
    const { originals, answers } = p.finish(2, 2);
    expect(originals).toEqual([expect.objectContaining({ replyCount: 2, rev: 4 })]);
    expect(sent(answers).map((a) => a.alsoChanged.length)).toEqual([0, 1]);
  });
});

describe("the plan of a change", () => {
  const alice = { id: "a", username: "alice" };
  const bob = { id: "b", username: "bob" };
  const react = (author: typeof alice, emoji: string, add = true): MessageChange => ({
    kind: "react",
    author,
    messageId: "m1",
    emoji,
    add,
  });
  /** Applies `change` to `r` with the next revs; returns the message and what was written. */
  const apply = (r: Row, change: MessageChange, related?: { replies: Row[]; original?: Row }) => {
    const p = planChange(ROOMS, "r1", r, change, related);
    if ("done" in p) return { done: p.done };
    const written = p.apply(r.rev + 1, new Date("2026-11-02T00:00:00Z"));
    return { written, revs: p.revs, row: { ...r, reactions: written.rows[0].reactions, rev: written.rows[0].rev } };
  };

  it("counts a reaction once per person, keeps emoji in the order first used, and takes one back", () => {
    const one = apply(row(), react(alice, "👍"));
    const two = apply(one.row as Row, react(bob, "👍"));
    const three = apply(two.row as Row, react(bob, "🎉"));
    const message = three.written?.outcome.message;
    expect(message?.reactions).toEqual([
      { emoji: "👍", count: 2, users: [alice, bob] },
      { emoji: "🎉", count: 1, users: [bob] },
    ]);
    const again = apply(three.row as Row, react(alice, "👍"));
    expect(again.done && (again.done as Changed).changed).toBe(false);
    const back = apply(three.row as Row, react(alice, "👍", false));
    expect(back.written?.outcome.message.reactions).toEqual([
      { emoji: "👍", count: 1, users: [bob] },
      { emoji: "🎉", count: 1, users: [bob] },
    ]);
    const last = apply(apply(back.row as Row, react(bob, "👍", false)).row as Row, react(bob, "🎉", false));
    expect(last.written?.rows[0].reactions).toBeNull();
  });

  it("lets anyone react but only the author edit or delete, and nobody touch a deleted message", () => {
    expect(apply(row(), { kind: "edit", author: bob, messageId: "m1", body: "x" }).done).toMatchObject({
      refused: { code: "forbidden" },
    });
    expect(apply(row({ deletedAt: new Date() }), react(bob, "👍")).done).toMatchObject({ refused: { code: "not_found" } });
  });

  it("refuses a new emoji past the limit but still counts people on one that is there", () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ emoji: `:e${i}:`, count: 1, users: [alice] }));
    const full = row({ reactions: JSON.stringify(many) });
    expect(apply(full, react(bob, "👍")).done).toMatchObject({ refused: { code: "conflict" } });
    expect(apply(full, react(bob, ":e3:")).written?.outcome.message.reactions[3].count).toBe(2);
  });

  it("deleting clears body, file and reactions, requotes the replies and lowers its original's count", () => {
    const original = row({ id: "o", seq: 1, authorId: bob.id, username: bob.username, replyCount: 3 });
    const target = row({
      id: "m1",
      seq: 2,
      rev: 5,
      replyToId: "o",
      replySeq: 1,
      replyAuthorId: bob.id,
      replyUsername: bob.username,
      replyBody: "first line",
      replyCount: 1,
      reactions: JSON.stringify([{ emoji: "👍", count: 1, users: [bob] }]),
    });
    const reply = row({ id: "r", seq: 3, authorId: bob.id, replyToId: "m1", replySeq: 2, replyBody: target.body });
    const { written, revs } = apply(target, { kind: "delete", author: alice, messageId: "m1" }, { replies: [reply], original });
    expect(revs).toBe(3);
    const outcome = written as NonNullable<typeof written>;
    expect(outcome.outcome.message).toMatchObject({ body: "", reactions: [], replyTo: null, rev: 6 });
    expect(outcome.version).toEqual({ messageId: "m1", body: target.body });
    const [requoted, recounted] = outcome.outcome.alsoChanged;
    expect(requoted).toMatchObject({ id: "r", rev: 7, replyTo: { id: "m1", excerpt: "", deleted: true } });
    expect(recounted).toMatchObject({ id: "o", rev: 8, replyCount: 2 });
  });

  it("an edit requotes its replies with the new first line", () => {
    const reply = row({ id: "r", seq: 3, authorId: bob.id, replyToId: "m1", replySeq: 1, replyBody: "old" });
    const { written } = apply(
      row({ replyCount: 1 }),
      { kind: "edit", author: alice, messageId: "m1", body: "\n  new words  \nmore" },
      {
        replies: [reply],
      },
    );
    expect(written?.outcome.alsoChanged[0].replyTo?.excerpt).toBe("new words");
  });
});

describe("what a reply quotes and what a reaction may be", () => {
  it("quotes the first line with something on it, cut to 120 characters", () => {
    expect(excerptOf("\n\n  hello  \nworld")).toBe("hello");
    expect(excerptOf("Release plan for **Friday**: _all_ of [it](https://x.example) `v2`")).toBe(
      "Release plan for Friday: all of it v2",
    );
    expect(excerptOf("> ## - quoted heading")).toBe("quoted heading");
    expect(excerptOf("```ts\nconst a = 1;\n```")).toBe("const a = 1;");
    expect(excerptOf("snake_case_name and 2*3*4")).toBe("snake_case_name and 2*3*4");
    const long = excerptOf("ж".repeat(300));
    expect(Array.from(long)).toHaveLength(120);
    expect(long.endsWith("…")).toBe(true);
  });

  it("takes one emoji, with skin tones, joiners, flags and keycaps, and nothing else", () => {
    for (const ok of ["👍", "👍🏽", "👩‍👩‍👧", "🇺🇦", "1️⃣", "❤️", "🏳️‍🌈"]) expect(isOneEmoji(ok), ok).toBe(true);
    for (const bad of ["", "a", "👍👍", "👍a", "<img>", "1", "\u200b"]) expect(isOneEmoji(bad), bad).toBe(false);
  });
});
