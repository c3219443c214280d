// The terminal client's command table, run in this process against a real server: what each
// command prints, without spawning the client (terminal-client.test.ts drives the real process).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Api } from "../../scripts/client/api.ts";
import { complete, helpLines, runLine } from "../../scripts/client/commands.ts";
import { Session } from "../../scripts/client/session.ts";
import {
  closeSockets,
  collect,
  connectAs,
  createUser,
  ok,
  settle,
  startServer,
  type TestServer,
  type TestUser,
  uniqueName,
  waitFor,
} from "../helpers/server.ts";

let server: TestServer;
const sessions: Session[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  server = await startServer();
});
afterEach(() => {
  closeSockets();
  for (const s of sessions.splice(0)) s.socket.disconnect();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
afterAll(async () => server.close());

/** A signed-in session whose printed lines (and prompt) are kept for the test to read. */
async function sessionFor(user: TestUser) {
  const api = new Api(server.url);
  const signedIn = await api.signIn(user.username, user.password);
  if (!signedIn.ok) throw new Error(signedIn.reason);
  const lines: string[] = [];
  let prompt = "";
  const here = mkdtempSync(path.join(tmpdir(), "komnata-cmd-"));
  dirs.push(here);
  const socket = api.connect(signedIn.token);
  const output = {
    print: (line: string) => lines.push(line),
    setPrompt: (p: string) => {
      prompt = p;
    },
  };
  const session = new Session(socket, api, signedIn.token, user.username, output, here);
  sessions.push(session);
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return {
    session,
    lines,
    here,
    prompt: () => prompt,
    /** runs a line and returns what it printed */
    run: async (line: string) => {
      const from = lines.length;
      const more = await runLine(session, line);
      return { more, printed: lines.slice(from) };
    },
  };
}

describe("terminal commands", () => {
  it("/help lists every command with its usage, and an unknown one says so", async () => {
    const t = await sessionFor(await createUser(server));
    const { printed } = await t.run("/help");
    expect(printed).toEqual(helpLines(t.session.say).map((l) => `  ${l}`));
    for (const usage of ["/rooms", "/create NAME", "/enter NAME", "/upload PATH", "/download ID [PATH]", "/quit"]) {
      expect(printed.some((l) => l.trim().startsWith(usage))).toBe(true);
    }
    expect((await t.run("/frobnicate now")).printed).toEqual(["* Unknown command /frobnicate. /help lists them."]);
  });

  it("says how to use a command given without its argument, and needs a room for room commands", async () => {
    const t = await sessionFor(await createUser(server));
    expect((await t.run("/create")).printed).toEqual(["* usage: /create NAME"]);
    expect((await t.run("/dm")).printed).toEqual(["* usage: /dm USER [TEXT]"]);
    expect((await t.run("/download")).printed).toEqual(["* usage: /download ID [PATH]"]);
    expect((await t.run("/leave")).printed).toEqual(["* You are not in a room."]);
    expect((await t.run("/history")).printed).toEqual(["* You are not in a room."]);
    expect((await t.run("hello?")).printed).toEqual(["* You are not in a room: /enter NAME or /create NAME first."]);
    expect((await t.run("/upload notes.txt")).printed).toEqual([
      "* You are not in a room: /enter NAME first, or /upload @USER PATH to share privately.",
    ]);
    expect((await t.run("/enter no-such-room")).printed).toEqual(['* No room named "no-such-room". /rooms lists them.']);
  });

  it("creates, enters, talks, pages back and leaves a room, as another member sees it", async () => {
    const [me, other] = await Promise.all([createUser(server), createUser(server)]);
    const t = await sessionFor(me);
    const name = uniqueName("cmd");
    expect((await t.run(`/create ${name}`)).printed).toEqual([`* You are in #${name}`]);
    expect(t.prompt()).toBe(`#${name}> `);
    const w = await connectAs(server, other);
    const roomId = t.session.current?.id as string;
    await ok(w, "room:join", { roomId });
    const atOther = collect(w, "message:new");

    for (let i = 1; i <= 25; i++) await t.run(`line ${i}`);
    await waitFor(() => atOther.length === 25, 5000, "the other member to get all 25");
    expect(atOther.map((m) => m.body)).toEqual(Array.from({ length: 25 }, (_, i) => `line ${i + 1}`));
    expect(t.lines.filter((l) => / line \d+$/.test(l))).toHaveLength(25);

    // a fresh session sees the newest page on entering, and /history goes back before it
    const again = await sessionFor(me);
    await again.run(`/enter #${name.toUpperCase()}`);
    expect(again.lines.filter((l) => / line \d+$/.test(l))).toHaveLength(25);
    expect((await again.run("/history")).printed).toEqual(["* This is the beginning of the room."]);

    expect((await t.run("/leave")).printed).toEqual([`* You left #${name}.`]);
    expect(t.prompt()).toBe("> ");
    const { room } = await ok(w, "room:join", { roomId });
    expect(room.members.map((m) => m.id)).not.toContain(me.id);
  });

  it("/dm sends privately and /dms lists the conversation with its unread count for the other side", async () => {
    const [me, other] = await Promise.all([createUser(server), createUser(server)]);
    const t = await sessionFor(me);
    const { printed } = await t.run(`/dm ${other.username} are you there?`);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/^\[\d\d:\d\d\] \(private\) you: are you there\?$/);
    const them = await sessionFor(other);
    expect((await them.run("/dms")).printed).toEqual([`  @${me.username} (online, 1 unread)`]);
    // a name alone shows the conversation so far, and reads it
    const shown = await them.run(`/dm @${me.username.toUpperCase()}`);
    expect(shown.printed[0]).toBe(`* Your conversation with ${me.username}:`);
    expect(shown.printed[1]).toMatch(new RegExp(`\\(private\\) ${me.username}: are you there\\?$`));
    expect((await them.run("/dms")).printed).toEqual([`  @${me.username} (online)`]);
    expect((await them.run("/dm nobody-has-this-name")).printed).toEqual(["* No user named “nobody-has-this-name”."]);
  });

  it("/exit quits like /quit (leaving a room is /leave), and /help says so", async () => {
    const t = await sessionFor(await createUser(server));
    await t.run(`/create ${uniqueName("stay")}`);
    const help = (await t.run("/help")).printed.join("\n");
    expect(help).toMatch(/\/leave\s+leave the current room/);
    expect(help).toMatch(/\/exit\s+quit, as \/quit \(to leave a room: \/leave\)/);
    expect(await t.run("/exit")).toEqual({ more: false, printed: [] });
    expect(t.session.current).not.toBeNull();
  });

  it("/upload shares a file from a path relative to where the client started, and /download saves it beside it", async () => {
    const t = await sessionFor(await createUser(server));
    await t.run(`/create ${uniqueName("files")}`);
    writeFileSync(path.join(t.here, "notes.md"), "# notes\n");
    const shared = await t.run("/upload notes.md");
    expect(shared.printed[0]).toBe("* Uploading notes.md (8 B)…");
    // ids are printed short, like git's: the first 8 characters
    const id = /\(id ([0-9a-f-]+)\)/.exec(shared.printed[1])?.[1] as string;
    expect(id).toHaveLength(8);
    expect(shared.printed[1]).toBe(`* Shared notes.md (id ${id}).`);
    expect(shared.printed[2]).toMatch(new RegExp(`\\[file\\] notes\\.md \\(8 B, text/markdown\\) — /download ${id}$`));

    // Tab completes it, and a shorter prefix still names it
    expect(complete(t.session, `/download ${id.slice(0, 3)}`)[0]).toEqual([expect.stringMatching(new RegExp(`^${id}`))]);
    expect(complete(t.session, "/unsh")).toEqual([["/unshare"], "/unsh"]);
    const saved = await t.run(`/download ${id.slice(0, 5)}`);
    expect(saved.printed).toEqual([`* Saved notes.md (8 B) to ${path.join(t.here, "notes (1).md")}`]);
    expect(readFileSync(path.join(t.here, "notes (1).md"), "utf8")).toBe("# notes\n");

    expect((await t.run(`/unshare ${id}`)).printed).toEqual([`* Removed file ${id}.`]);
    expect((await t.run(`/download ${id}`)).printed).toEqual(["* Not saved: No such file (or it was removed)."]);
    // history shows where it was
    const room = t.session.current?.name as string;
    await t.run("/leave");
    const back = await t.run(`/enter ${room}`);
    expect(back.printed.some((line) => line.endsWith(": [file removed]"))).toBe(true);
  });

  it("prints a message that arrives out of order, fetches what a gap left out, and prints nothing twice", async () => {
    const me = await createUser(server);
    const t = await sessionFor(me);
    const name = uniqueName("gaps");
    await t.run(`/create ${name}`);
    await t.run("one");
    const roomId = t.session.current?.id as string;
    // stored without being delivered to this session: what a lost or late delivery looks like
    const author = { id: me.id, username: me.username };
    const [, , third] = await server.komnata.stores.rooms.storeBatch(roomId, [
      { author, body: "two (never delivered)", clientMsgId: "g2" },
      { author, body: "three (late)", clientMsgId: "g3" },
      { author, body: "four (arrives first)", clientMsgId: "g4" },
    ]);
    const bodies = () => t.lines.filter((l) => /\] \S+: /.test(l)).map((l) => l.replace(/^.*?: /, ""));
    t.session.show(third.message);
    await waitFor(() => bodies().length === 4, 5000, "the gap to be fetched");
    expect(bodies()).toEqual(["one", "four (arrives first)", "two (never delivered)", "three (late)"]);
    // the late copies, delivered now, print nothing again
    const page = await ok(t.session.socket, "room:history", { roomId, limit: 10 });
    for (const m of page.messages) t.session.show(m);
    expect(bodies()).toHaveLength(4);
    await t.run("five");
    expect(bodies()).toEqual(["one", "four (arrives first)", "two (never delivered)", "three (late)", "five"]);
  });

  it("prints edits and deletions of messages it showed, once each, live or after a reconnect", async () => {
    const me = await createUser(server);
    const t = await sessionFor(me);
    const name = uniqueName("edits");
    await t.run(`/create ${name}`);
    await t.run("one");
    await t.run("two");
    await t.run("three");
    const roomId = t.session.current?.id as string;
    const other = await connectAs(server, me);
    const { messages } = await ok(other, "room:history", { roomId });
    // as komnata-client.ts wires it
    t.session.socket.on("message:updated", (m) => t.session.showChange(m));
    const from = t.lines.length;
    await ok(other, "message:edit", { roomId, messageId: messages[0].id, body: "uno" });
    await ok(other, "message:delete", { roomId, messageId: messages[1].id });
    await waitFor(() => t.lines.length >= from + 2, 5000, "the changes");
    expect(t.lines.slice(from)).toEqual([
      `* ${me.username} edited a message: uno`,
      expect.stringMatching(new RegExp(`^\\* ${me.username} deleted a message from \\d\\d:\\d\\d$`)),
    ]);
    // away: another edit; back: only that one is printed, nothing twice
    t.session.socket.off("message:updated");
    await ok(other, "message:edit", { roomId, messageId: messages[2].id, body: "tres" });
    const before = t.lines.length;
    await t.session.resume();
    expect(t.lines.slice(before)).toEqual([`* ${me.username} edited a message: tres`]);
    // the history shows them as they are
    await t.run("/exit");
    const back = await t.run(`/enter ${name}`);
    expect(back.printed.slice(1).map((l) => l.replace(/^\[\d\d:\d\d /, "["))).toEqual([
      `[#1] ${me.username}: uno (edited)`,
      `[#2] ${me.username}: [message deleted]`,
      `[#3] ${me.username}: tres (edited)`,
    ]);
  });

  it("/reply N answers message #N with its quote, /react N toggles a reaction, and others' reactions print once", async () => {
    const [me, other] = await Promise.all([createUser(server), createUser(server)]);
    const t = await sessionFor(me);
    const name = uniqueName("re");
    await t.run(`/create ${name}`);
    t.session.socket.on("message:new", (m) => t.session.show(m));
    t.session.socket.on("message:updated", (m) => t.session.showChange(m));
    await t.run("Deploy at five?\nThe checklist is in the doc.");
    const roomId = t.session.current?.id as string;
    const w = await connectAs(server, other);
    await ok(w, "room:join", { roomId });

    const replied = await t.run("/reply #1 yes, at five");
    expect(replied.printed.map((l) => l.replace(/^\[\d\d:\d\d /, "["))).toEqual([
      `[#2] ${me.username}: yes, at five`,
      `        ↳ in reply to ${me.username} (#1): Deploy at five?`,
    ]);
    const { messages } = await ok(w, "room:history", { roomId });
    expect(messages.map((m) => [m.seq, m.replyCount, m.replyTo?.seq ?? null])).toEqual([
      [1, 1, null],
      [2, 0, 1],
    ]);

    expect((await t.run("/react 2 🚀")).printed).toEqual(["* reactions on #2: 🚀 1"]);
    expect((await t.run("/react 2 🚀")).printed).toEqual(["* reactions on #2: —"]);
    const from = t.lines.length;
    await ok(w, "reaction:add", { roomId, messageId: messages[0].id, emoji: "👍" });
    await waitFor(() => t.lines.length > from, 5000, "the reaction line");
    await settle(t.session.socket, w);
    expect(t.lines.slice(from)).toEqual(["* reactions on #1: 👍 1"]);

    expect((await t.run("/reply 9 hello?")).printed).toEqual(["* No message #9 in this room."]);
    expect((await t.run("/react x 👍")).printed).toEqual(["* usage: /react N EMOJI"]);
    expect((await t.run("/react 1 nope")).printed).toEqual(["* A reaction is one emoji."]);
  });

  it("/quit ends the session", async () => {
    const t = await sessionFor(await createUser(server));
    expect(await t.run("/quit")).toEqual({ more: false, printed: [] });
  });
});

describe("governing rooms from the terminal", () => {
  it("/private, /invite by name, /invites, /accept, /role, /kick, an invite link with /join, /ban and /archive", async () => {
    const [ann, bob, cat] = await Promise.all([createUser(server), createUser(server), createUser(server)]);
    const a = await sessionFor(ann);
    const b = await sessionFor(bob);
    const c = await sessionFor(cat);
    const name = uniqueName("tprivate");
    expect((await a.run(`/private ${name}`)).printed).toEqual([`* You are in #${name}`]);
    expect(a.session.current).toMatchObject({ visibility: "private", role: "owner" });
    expect((await a.run(`/invite ${bob.username}`)).printed).toEqual([`* Invited ${bob.username} to #${name}.`]);
    expect((await b.run("/invites")).printed).toEqual([
      `  ${ann.username} invited you to #${name}: /accept ${name} or /decline ${name}`,
    ]);
    expect((await b.run(`/accept ${name}`)).printed[0]).toBe(`* You are in #${name}`);
    expect((await b.run("/invites")).printed).toEqual(["* No invitations."]);

    // owner-only and admin powers, refused in words when not had
    expect((await b.run(`/kick ${ann.username}`)).printed).toEqual(["* You are not allowed to do that."]);
    await a.run(`/enter ${name}`);
    expect((await a.run(`/role ${bob.username} admin`)).printed).toEqual([`* ${bob.username} is now admin of #${name}.`]);
    expect((await a.run(`/role ${bob.username} king`)).printed).toEqual(["* usage: /role NAME owner|admin|member"]);

    // a link, for cat
    const link = (await b.run("/invite")).printed[0];
    expect(link).toMatch(new RegExp(`^\\* Invite link to #${name} \\(for a week\\): http.*/invite/[\\w-]+$`));
    expect((await c.run(`/join ${link.split(" ").at(-1)}`)).printed[0]).toBe(`* You are in #${name}`);
    await b.run(`/enter ${name}`);
    expect((await b.run(`/kick ${cat.username}`)).printed).toEqual([`* Removed ${cat.username} from #${name}.`]);
    expect((await b.run(`/ban ${cat.username}`)).printed).toEqual([`* Banned ${cat.username} from #${name}.`]);
    expect((await c.run(`/join ${link.split(" ").at(-1)}`)).printed).toEqual([
      "* This invite link has expired, was used up or revoked, or you were banned from the room. Ask for a new one.",
    ]);
    expect((await b.run(`/unban ${cat.username}`)).printed).toEqual([`* Lifted the ban of ${cat.username} in #${name}.`]);

    // pins, by number as messages are printed
    const said = (await b.run("pin this")).printed;
    expect(said).toHaveLength(1);
    const seq = Number(/#(\d+)/.exec(said[0])?.[1]);
    expect((await a.run(`/pin ${seq}`)).printed).toEqual([`* Pinned #${seq}.`]);
    const pins = (await b.run("/pins")).printed;
    expect(pins[0]).toBe(`* Pinned in #${name}, the latest first:`);
    expect(pins[1]).toContain("pin this");
    // cat was removed: the private room is not there for her
    expect((await c.run(`/pin ${seq}`)).printed).toEqual(["* It is not there any more."]);
    expect((await a.run(`/unpin ${seq}`)).printed).toEqual([`* Unpinned #${seq}.`]);
    expect((await b.run("/pins")).printed).toEqual([`* Nothing is pinned in #${name}.`]);

    expect((await a.run("/archive")).printed).toEqual([`* #${name} is archived: read-only.`]);
    // the other member's session heard it: it says so, and does not try
    b.session.roomUpdated((await ok(await connectAs(server, bob), "room:get", { roomId: b.session.current?.id ?? "" })).room);
    expect((await b.run("this cannot be sent")).printed).toEqual([`* #${name} is archived: nothing can be written in it.`]);
    expect((await a.run("/archive off")).printed).toEqual([`* #${name} is no longer archived.`]);
  });
});
