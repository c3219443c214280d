// The pure pieces, without a server: merging pages of messages, byte ranges of downloads, and
// the rest that needs no database (the message store's plan: message-plan.test.ts).
import { describe, expect, it } from "vitest";
import { gapsOf, inWindow, mergeBySeq } from "../../app/lib/merge.ts";
import { replaceOnce } from "../../scripts/prisma.ts";
import { isBusy } from "../../server/db/busy.ts";
import { byteRange } from "../../server/http/byte-range.ts";
import { clientMsgId, newClientMsgId } from "../../server/protocol/index.ts";
import { isDatabaseUnavailable, toErrorBody } from "../../server/services/errors.ts";

describe("mergeBySeq", () => {
  const m = (seq: number, body = `m${seq}`) => ({ seq, body });

  it("orders by seq and drops duplicates, the incoming copy winning", () => {
    const merged = mergeBySeq([m(2), m(4)], [m(3), m(4, "edited"), m(1)]);
    expect(merged).toEqual([m(1), m(2), m(3), m(4, "edited")]);
  });

  it("keeps the later change of a message when an older copy arrives after it", () => {
    const v = (seq: number, rev: number, body: string) => ({ seq, rev, body });
    expect(mergeBySeq([v(1, 5, "edited twice")], [v(1, 3, "edited once")])).toEqual([v(1, 5, "edited twice")]);
    expect(mergeBySeq([v(1, 3, "edited once")], [v(1, 5, "edited twice")])).toEqual([v(1, 5, "edited twice")]);
  });

  it("returns the same list when nothing comes in, so React sees no change", () => {
    const list = [m(1)];
    expect(mergeBySeq(list, [])).toBe(list);
  });
});

describe("byteRange", () => {
  it("reads one range: from-to, from-, and the last N bytes", () => {
    expect(byteRange("bytes=0-99", 1000)).toEqual({ start: 0, end: 99 });
    expect(byteRange("bytes=900-", 1000)).toEqual({ start: 900, end: 999 });
    expect(byteRange("bytes=-100", 1000)).toEqual({ start: 900, end: 999 });
    expect(byteRange("bytes=-5000", 1000)).toEqual({ start: 0, end: 999 });
    expect(byteRange("bytes=990-5000", 1000)).toEqual({ start: 990, end: 999 });
  });

  it("sends everything for no range, several ranges, or one it does not read", () => {
    for (const header of [undefined, "", "bytes=-", "bytes=0-1,5-6", "items=0-1", "bytes=9-3"]) {
      expect(byteRange(header, 1000)).toBeNull();
    }
  });

  it("is unsatisfiable past the end or for an empty suffix", () => {
    expect(byteRange("bytes=1000-", 1000)).toBe("unsatisfiable");
    expect(byteRange("bytes=-0", 1000)).toBe("unsatisfiable");
    expect(byteRange("bytes=0-", 0)).toBe("unsatisfiable");
  });
});

describe("deriving the PostgreSQL schema", () => {
  it("replaces exactly once, and fails loudly when the text is not there or is there twice", () => {
    expect(replaceOnce('provider = "sqlite"', 'provider = "sqlite"', 'provider = "postgresql"')).toBe('provider = "postgresql"');
    expect(() => replaceOnce("nothing here", "sqlite", "pg")).toThrow(/exactly once/);
    expect(() => replaceOnce("sqlite sqlite", "sqlite", "pg")).toThrow(/exactly once/);
  });
});

describe("telling a database outage from a bad request", () => {
  it("knows the drivers' and Prisma's ways of saying the database is not answering", () => {
    for (const error of [
      Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" }),
      Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
      Object.assign(new Error("connection failure"), { code: "08006" }),
      new Error("timeout exceeded when trying to connect"),
      new Error("Query read timeout"),
      Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }),
      Object.assign(new Error("Can't reach database server"), { code: "P1001" }),
      new Error("wrapped", { cause: Object.assign(new Error("x"), { code: "57014" }) }),
      // PostgreSQL stopped under an open connection, or refusing new ones
      Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET", syscall: "read" }),
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
      new Error("Client has encountered a connection error and is not queryable"),
    ]) {
      expect(isDatabaseUnavailable(error), String(error)).toBe(true);
      expect(toErrorBody(error)).toMatchObject({ code: "unavailable" });
    }
  });

  it("leaves every other failure `internal`, saying nothing of it", () => {
    for (const error of [
      new Error("syntax error at or near"),
      Object.assign(new Error("unique"), { code: "P2002" }),
      "a string",
      null,
    ]) {
      expect(isDatabaseUnavailable(error)).toBe(false);
      expect(toErrorBody(error)).toEqual({ code: "internal", message: "Something went wrong on the server. Please try again." });
    }
  });
});

describe("SQLite's busy error", () => {
  it("is recognised as better-sqlite3 throws it and as Prisma wraps it", () => {
    const prisma = Object.assign(new Error("Operation has timed out"), {
      code: "P1008",
      meta: {
        driverAdapterError: {
          name: "DriverAdapterError",
          cause: { originalCode: "SQLITE_BUSY", originalMessage: "database is locked", kind: "SocketTimeout" },
        },
      },
    });
    expect(isBusy(prisma)).toBe(true);
    expect(isBusy(Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }))).toBe(true);
    expect(isBusy(new Error("UNIQUE constraint failed"))).toBe(false);
  });
});

describe("a full disk", () => {
  it("answers insufficient_storage (507), whoever noticed it", () => {
    for (const code of ["ENOSPC", "SQLITE_FULL", "53100"]) {
      expect(toErrorBody(Object.assign(new Error("no space"), { code }))).toMatchObject({ code: "insufficient_storage" });
    }
  });
});

describe("inWindow", () => {
  it("keeps changes to messages the list holds and new ones after them, not older ones", () => {
    const seqs = (...s: number[]) => s.map((seq) => ({ seq }));
    expect(inWindow(seqs(5, 6, 7), seqs(2, 6, 9))).toEqual(seqs(6, 9));
    expect(inWindow([], seqs(2, 6))).toEqual(seqs(2, 6));
    // a message that arrives after a later one (an upload that finished last) is still kept
    expect(inWindow(seqs(5, 6, 8), seqs(7))).toEqual(seqs(7));
  });
});

describe("gapsOf", () => {
  it("finds where a list skips seqs, and how many", () => {
    const seqs = (...s: number[]) => s.map((seq) => ({ seq }));
    expect([...gapsOf(seqs(1, 2, 10, 11, 15))]).toEqual([
      [2, 7],
      [11, 3],
    ]);
    expect(gapsOf(seqs(4, 5, 6)).size).toBe(0);
  });
});

describe("newClientMsgId", () => {
  it("makes ids the protocol accepts, that sort in the order they were made and never repeat", () => {
    const ids = [newClientMsgId(1_000), newClientMsgId(1_001), newClientMsgId(Date.now()), newClientMsgId(2 ** 47)];
    for (const id of ids) expect(clientMsgId.safeParse(id).success).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    const sameMillisecond = Array.from({ length: 1000 }, () => newClientMsgId(5_000));
    expect(new Set(sameMillisecond).size).toBe(1000);
    expect(sameMillisecond.every((id) => id.startsWith("000000001388"))).toBe(true);
  });
});
