// What a new message, and a read mark, do to a room's summary in the lobby and the sidebar (app/lib/unread.ts).
import { describe, expect, it } from "vitest";
import { afterMessage, afterRead, unreadAfter } from "@/app/lib/unread";
import type { RoomSummary } from "@/server/protocol";

const room: RoomSummary = {
  id: "r1",
  name: "general",
  topic: null,
  memberCount: 2,
  onlineCount: 1,
  lastMessageAt: "2026-12-01T08:00:00.000Z",
  lastSeq: 4,
  createdAt: "2026-12-01T07:00:00.000Z",
  createdBy: "u1",
  visibility: "public",
  archived: false,
  role: "member",
  lastReadSeq: 2,
  unread: 2,
  mentions: 0,
  notify: "mentions",
};
const message = (seq: number, author: string, users: string[] = []) => ({
  seq,
  createdAt: "2026-12-01T08:05:00.000Z",
  author: { id: author },
  mentions: { users, names: [], room: false, here: false },
});

describe("afterMessage", () => {
  it("counts someone else's message once, and a mention of me as one", () => {
    const after = afterMessage(room, message(5, "u2", ["me"]), "me");
    expect(after).toMatchObject({ lastSeq: 5, unread: 3, mentions: 1, lastMessageAt: "2026-12-01T08:05:00.000Z" });
    // heard again (it crossed the request whose answer has it): nothing changes
    expect(afterMessage(after, message(5, "u2", ["me"]), "me")).toBe(after);
  });

  it("leaves a summary that has the message already as it is", () => {
    expect(afterMessage(room, message(4, "u2"), "me")).toBe(room);
    expect(afterMessage(room, message(3, "me"), "me")).toBe(room);
  });

  it("reads everything up to my own message", () => {
    expect(afterMessage(room, message(5, "me"), "me")).toMatchObject({ lastSeq: 5, unread: 0, mentions: 0, lastReadSeq: 5 });
  });

  it("moves a room I am not in to the top without counting", () => {
    const { role: _r, lastReadSeq: _l, unread: _u, mentions: _m, notify: _n, ...outside } = room;
    const after = afterMessage(outside, message(5, "u2"), "me");
    expect(after).toEqual({ ...outside, lastSeq: 5, lastMessageAt: "2026-12-01T08:05:00.000Z" });
  });
});

describe("afterRead", () => {
  it("sets the mark and the counts the event carries", () => {
    expect(afterRead(room, { lastReadSeq: 4, unread: 0, mentions: 0 })).toMatchObject({ lastReadSeq: 4, unread: 0, mentions: 0 });
    // "mark as unread" moves it back
    expect(afterRead(room, { lastReadSeq: 1, unread: 3, mentions: 1 })).toMatchObject({ lastReadSeq: 1, unread: 3, mentions: 1 });
  });

  it("counts the messages a list's answer holds past the event's, which their own events no longer add", () => {
    // read up to 3 when the room's newest was 3; the answer that crossed it holds 5 already
    const answered = { ...room, lastSeq: 5, lastReadSeq: 2, unread: 3, mentions: 1 };
    const read = afterRead(answered, { lastReadSeq: 3, unread: 0, mentions: 0 });
    expect(read).toMatchObject({ lastReadSeq: 3, unread: 2 });
    expect(afterMessage(read, message(5, "u2"), "me")).toBe(read);
    // the answer had this mark already: its mention count covers the newer messages too
    const marked = { ...room, lastSeq: 5, lastReadSeq: 3, unread: 2, mentions: 1 };
    expect(afterRead(marked, { lastReadSeq: 3, unread: 0, mentions: 0 })).toMatchObject({ unread: 2, mentions: 1 });
  });

  it("never counts fewer than the event, nor below zero, when the list is behind it", () => {
    expect(unreadAfter(2, { lastReadSeq: 3, unread: 1, mentions: 0 })).toBe(1);
    expect(unreadAfter(2, { lastReadSeq: 4, unread: 0, mentions: 0 })).toBe(0);
  });
});
