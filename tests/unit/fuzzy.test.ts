import { describe, expect, it } from "vitest";
import { fuzzyMatch } from "@/app/lib/fuzzy";

const rank = (query: string, names: string[]) =>
  names
    .map((name) => ({ name, match: fuzzyMatch(query, name) }))
    .filter((x) => x.match !== null)
    .sort((a, b) => (b.match?.score ?? 0) - (a.match?.score ?? 0))
    .map((x) => x.name);

describe("the quick switcher's matching", () => {
  it("finds the letters in order anywhere, ignoring case, spaces and accents", () => {
    expect(fuzzyMatch("gnrl", "general")?.positions).toEqual([0, 2, 4, 6]);
    expect(fuzzyMatch("GEN", "general")).not.toBeNull();
    expect(fuzzyMatch("cafe", "Café crème")).not.toBeNull();
    expect(fuzzyMatch("ёлка", "елка")).not.toBeNull();
    expect(fuzzyMatch("rg", "general")).toBeNull();
    expect(fuzzyMatch("xyz", "general")).toBeNull();
    expect(fuzzyMatch("my room", "my_room")).not.toBeNull();
  });

  it("puts the whole name, then its start, then a word's start, then scattered letters first", () => {
    expect(rank("dev", ["web-dev", "dreamvault", "devops", "dev", "a-very-long-name-devtools"])).toEqual([
      "dev",
      "devops",
      "web-dev",
      "a-very-long-name-devtools",
      "dreamvault",
    ]);
    expect(rank("fb", ["foo_bar", "fabric", "xfbx"])[0]).toBe("foo_bar");
  });

  it("marks letters side by side where it can, so what is shown in bold reads as a piece", () => {
    expect(fuzzyMatch("al", "a_cal")?.positions).toEqual([3, 4]);
    expect(fuzzyMatch("ops", "devops")?.positions).toEqual([3, 4, 5]);
  });

  it("counts positions in characters, emoji included", () => {
    expect(fuzzyMatch("ch", "🚀 chat")?.positions).toEqual([2, 3]);
  });

  it("matches everything, unmarked, for nothing typed", () => {
    expect(fuzzyMatch("  ", "anything")).toEqual({ score: 0, positions: [] });
  });
});
