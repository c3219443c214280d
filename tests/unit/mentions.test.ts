import { describe, expect, it } from "vitest";
import { findMentions, mentionedWords, mentionsUser, splitMentions, withoutCode } from "../../server/protocol/mentions.ts";

const readers = [
  { id: "a", username: "alice" },
  { id: "b", username: "Bob.Smith" },
  { id: "c", username: "Вера" },
  { id: "r", username: "room" },
  { id: "d", username: "dash-" },
];

describe("mentions", () => {
  it("finds people who can read it by name, in any case, once each, in order", () => {
    expect(findMentions("@bob.smith and @ALICE, then @alice again", readers)).toEqual({
      users: ["b", "a"],
      names: ["bob.smith", "alice"],
      room: false,
      here: false,
    });
  });

  it("reads names in any script", () => {
    expect(findMentions("привет, @вера!", readers).users).toEqual(["c"]);
    expect(findMentions("@ВЕРА", readers).users).toEqual(["c"]);
  });

  it("takes trailing dots and dashes as punctuation unless they are part of a name", () => {
    expect(findMentions("thanks @alice.", readers).users).toEqual(["a"]);
    expect(findMentions("ask @alice...", readers).users).toEqual(["a"]);
    expect(findMentions("@dash- is a name", readers).users).toEqual(["d"]);
    expect(findMentions("(@alice) [@bob.smith]", readers).users).toEqual(["a", "b"]);
  });

  it("ignores unknown names, e-mail addresses, a lone @ and @@", () => {
    expect(findMentions("@nobody alice@example.com @ @@alice x@alice", readers)).toEqual({
      users: [],
      names: [],
      room: false,
      here: false,
    });
  });

  it("finds nobody inside code, inline or fenced", () => {
    expect(findMentions("run `@alice` then ``a ` @bob.smith``", readers).users).toEqual([]);
    expect(findMentions("```\n@alice\n```\nbut @bob.smith", readers).users).toEqual(["b"]);
    expect(findMentions("~~~ts\nconst x = '@alice';\n~~~", readers).users).toEqual([]);
    // an unclosed fence runs to the end
    expect(findMentions("```\n@alice", readers).users).toEqual([]);
    expect(withoutCode("a `b` c")).toBe("a   c");
  });

  it("knows @room and @here, which win over a person of that name", () => {
    expect(findMentions("@room and @Here", readers)).toEqual({ users: [], names: [], room: true, here: true });
    expect(mentionedWords("hi @Room, @here.")).toEqual(["room", "here."]);
    expect(findMentions("hi @here.", readers).here).toBe(true);
  });

  it("calls for a user by name, for everyone with @room, for those online with @here", () => {
    const named = findMentions("@alice", readers);
    expect(mentionsUser(named, "a")).toBe(true);
    expect(mentionsUser(named, "b")).toBe(false);
    expect(mentionsUser(findMentions("@room", readers), "b")).toBe(true);
    expect(mentionsUser(findMentions("@here", readers), "b", true)).toBe(true);
    expect(mentionsUser(findMentions("@here", readers), "b", false)).toBe(false);
    expect(mentionsUser(undefined, "a")).toBe(false);
  });
});

describe("showing mentions", () => {
  it("cuts text into plain pieces and the mentions it resolves, punctuation left outside", () => {
    const known = (name: string) => ["alice", "bob.smith"].includes(name);
    expect(splitMentions("hi @Alice. and @nobody, @here!", known)).toEqual([
      { text: "hi " },
      { mention: "@Alice", name: "alice" },
      { text: ". and @nobody, " },
      { mention: "@here", name: "here" },
      { text: "!" },
    ]);
    expect(splitMentions("@bob.smith", known)).toEqual([{ mention: "@bob.smith", name: "bob.smith" }]);
    expect(splitMentions("plain", known)).toEqual([{ text: "plain" }]);
  });
});
