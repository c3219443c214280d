// The search parts shared by the server and clients (server/protocol/search.ts): how a query is
// read, how text is folded, how each term is matched, and where it is highlighted.
import { describe, expect, it } from "vitest";
import {
  cjkGrams,
  foldForSearch,
  highlightRanges,
  parseSearchQuery,
  SearchQueryError,
  termPattern,
} from "../../server/protocol/search.ts";
import { startOfDay } from "../../server/services/search/service.ts";

describe("parseSearchQuery", () => {
  it("reads words, quoted phrases and filters", () => {
    expect(parseSearchQuery(`from:@alice in:#general has:file "release  notes" v2 before:2026-11-01 after:2026-10-01`)).toEqual({
      terms: ["release notes", "v2"],
      from: ["alice"],
      in: ["#general"],
      has: ["file"],
      before: "2026-11-01",
      after: "2026-10-01",
    });
    expect(parseSearchQuery("«точная фраза» “exact one” on:2026-11-29")).toMatchObject({
      terms: ["точная фраза", "exact one"],
      on: "2026-11-29",
    });
  });

  it("keeps what only looks like a filter as a term, and an unclosed quote as a phrase", () => {
    expect(parseSearchQuery("https://x.org/a re:thing").terms).toEqual(["https://x.org/a", "re:thing"]);
    expect(parseSearchQuery('"half open').terms).toEqual(["half open"]);
  });

  it("refuses filters it cannot read, saying how to write them", () => {
    expect(() => parseSearchQuery("has:cats")).toThrow(SearchQueryError);
    expect(() => parseSearchQuery("has:cats")).toThrow("has: takes file, image, link");
    expect(() => parseSearchQuery("before:last-week")).toThrow("before: takes a date as YYYY-MM-DD");
    expect(() => parseSearchQuery("on:2026-13-45")).toThrow("on: takes a date");
  });
});

describe("folding", () => {
  it("folds case, ё, compatibility forms and emoji variation, and spaces out everything but words", () => {
    expect(foldForSearch("Привет, ЁЖИК! foo.bar() ＡＢＣ ❤️")).toBe(" привет , ежик ! foo . bar ( ) abc ❤ ");
    expect(foldForSearch("user_id src/app.ts")).toBe(" user_id src / app . ts ");
    expect(foldForSearch("👍🏽👨‍👩‍👧")).toBe(" 👍🏽 👨‍👩‍👧 ");
    expect(foldForSearch("")).toBe(" ");
  });

  it("keeps the 1- and 2-letter pieces of CJK runs", () => {
    expect(cjkGrams(foldForSearch("去上海 ok 한국"))).toBe(" ||去 |去上 ||上 |上海 ||海 ||한 |한국 ||국 ");
    expect(cjkGrams(foldForSearch("no cjk here"))).toBe("");
  });
});

describe("termPattern", () => {
  it("matches 3 letters or more anywhere, shorter words whole, short CJK inside runs", () => {
    expect(termPattern("Привет")).toEqual({ column: "text", pattern: "привет" });
    expect(termPattern("НЕ")).toEqual({ column: "text", pattern: " не " });
    expect(termPattern("上海")).toEqual({ column: "grams", pattern: "|上海 " });
    expect(termPattern("海")).toEqual({ column: "grams", pattern: "||海 " });
    expect(termPattern("foo.bar()")).toEqual({ column: "text", pattern: "foo . bar ( )" });
    expect(termPattern("🎉")).toEqual({ column: "text", pattern: " 🎉 " });
    expect(termPattern("   ")).toBe(null);
  });
});

describe("highlightRanges", () => {
  it("marks each term in the original text, folded, without overlaps", () => {
    const text = "Ёлка и ЁЛКИ: ёлочка";
    expect(highlightRanges(text, ["елк"]).map(([s, e]) => text.slice(s, e))).toEqual(["Ёлк", "ЁЛК"]);
    expect(highlightRanges("я не знаю, конечно", ["не"])).toEqual([[2, 4]]);
    expect(highlightRanges("abcabc", ["abc", "bca"])).toEqual([[0, 6]]);
    expect(highlightRanges("ＡＢＣ", ["abc"])).toEqual([[0, 3]]);
    expect(highlightRanges("go 👍🏽 now", ["👍🏽"])).toEqual([[3, 7]]);
  });
});

describe("startOfDay", () => {
  it("is midnight in the reader's time zone", () => {
    expect(startOfDay("2026-11-29", "UTC").toISOString()).toBe("2026-11-29T00:00:00.000Z");
    expect(startOfDay("2026-11-29", "Europe/Moscow").toISOString()).toBe("2026-11-28T21:00:00.000Z");
    expect(startOfDay("2026-11-29", "America/New_York").toISOString()).toBe("2026-11-29T05:00:00.000Z");
    // the day the clocks went forward in New York
    expect(startOfDay("2026-03-08", "America/New_York").toISOString()).toBe("2026-03-08T05:00:00.000Z");
  });
});
