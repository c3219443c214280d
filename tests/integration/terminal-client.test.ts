// The terminal client, spawned against a real server and driven through stdin, beside a
// Socket.IO user in the same room.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { userChannel } from "../../server/realtime/context.ts";
import {
  closeSockets,
  collect,
  connectAs,
  createUser,
  ok,
  startServer,
  type TestServer,
  uniqueName,
  waitFor,
} from "../helpers/server.ts";

const root = path.resolve(import.meta.dirname, "..", "..");
let server: TestServer;
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  server = await startServer();
});
afterEach(() => {
  closeSockets();
  for (const c of children.splice(0)) c.kill("SIGKILL");
});
afterAll(async () => server.close());

/** The client as a person starts it; English unless `locale` (its environment, or flags) says otherwise. */
/** The client signed in as `username` with `password`, or (username null) with the API token in `password`. */
function startClient(username: string | null, password: string, locale: { env?: Record<string, string>; args?: string[] } = {}) {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(root, "scripts", "komnata-client.ts"),
      "--url",
      server.url,
      ...(username === null ? [] : ["--user", username]),
      ...(locale.args ?? []),
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        LC_ALL: "",
        LC_MESSAGES: "",
        LANG: "C.UTF-8",
        ...locale.env,
        ...(username === null ? { KOMNATA_TOKEN: password } : { KOMNATA_PASSWORD: password }),
      },
    },
  );
  children.push(child);
  const out: string[] = [];
  let partial = "";
  child.stdout.on("data", (chunk: Buffer) => {
    const text = partial + chunk.toString("utf8");
    const lines = text.split("\n");
    partial = lines.pop() ?? "";
    out.push(...lines);
  });
  const errors: string[] = [];
  child.stderr.on("data", (chunk: Buffer) => errors.push(chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    out,
    errors,
    send: (line: string) => child.stdin.write(`${line}\n`),
    end: () => child.stdin.end(),
    exited,
    saw: (pattern: RegExp, what: string) => waitFor(() => out.some((l) => pattern.test(l)), 15_000, what),
  };
}

describe("terminal client", () => {
  it("chats with a Socket.IO user in the same room, one line per event, and quits", async () => {
    const [term, web] = await Promise.all([createUser(server), createUser(server)]);
    const w = await connectAs(server, web);
    const client = startClient(term.username, term.password);
    await client.saw(/^\* Connected to .* as /, "the greeting");

    const roomName = uniqueName("tty");
    client.send(`/create ${roomName}`);
    await client.saw(new RegExp(`^\\* You are in #${roomName}`), "entering the room");
    const { rooms } = await ok(w, "room:list", {});
    const roomId = rooms.find((r) => r.name === roomName)?.id as string;
    await ok(w, "room:join", { roomId });

    const atWeb = collect(w, "message:new");
    client.send("hello from the terminal <b>plain</b>");
    await waitFor(() => atWeb.some((m) => m.body === "hello from the terminal <b>plain</b>"), 10_000, "web user receives");
    await client.saw(/\] \S+: hello from the terminal <b>plain<\/b>$/, "own message echoed once");

    const hi = await ok(w, "message:send", { roomId, body: "hi terminal", clientMsgId: "w1" });
    await client.saw(new RegExp(`\\] ${web.username}: hi terminal$`), "web message printed live");
    await ok(w, "message:edit", { roomId, messageId: hi.message.id, body: "hi, terminal" });
    await client.saw(new RegExp(`^\\* ${web.username} edited a message: hi, terminal$`), "the edit, live");

    const privateAtWeb = collect(w, "dm:new");
    client.send(`/dm ${web.username} psst, the deploy is at five`);
    await waitFor(() => privateAtWeb.some((m) => m.body === "psst, the deploy is at five"), 10_000, "the private message");
    await ok(w, "dm:send", { toUsername: term.username, body: "thanks!", clientMsgId: "pm1" });
    // a private message to me, and a mention of me, are marked with » and ring the bell (BEL, which prints nothing)
    await client.saw(new RegExp(`^» \\[.*\\(private\\) ${web.username}: thanks!\x07$`), "the private reply, marked");
    await ok(w, "message:send", { roomId, body: `@${term.username} can you check?`, clientMsgId: "w2" });
    await client.saw(new RegExp(`^» \\[.*\\] ${web.username}: @${term.username} can you check\\?\x07$`), "a mention, marked");
    await ok(w, "message:send", { roomId, body: "no one in particular", clientMsgId: "w3" });
    await client.saw(new RegExp(`^\\[.*\\] ${web.username}: no one in particular$`), "an ordinary line, unmarked");
    const elsewhere = (await ok(w, "room:create", { name: uniqueName("other") })).room;
    const t = await connectAs(server, term);
    await ok(t, "room:join", { roomId: elsewhere.id });
    client.send("/rooms");
    await client.saw(new RegExp(`^  #${elsewhere.name} `), "the other room listed");
    await ok(w, "message:send", { roomId: elsewhere.id, body: `@here @${term.username}`, clientMsgId: "w4" });
    await client.saw(new RegExp(`^» \\* ${web.username} mentioned you in #${elsewhere.name}\x07$`), "a mention elsewhere");

    client.send("/rooms");
    await client.saw(new RegExp(`^  #${roomName} \\(2 members, 2 online\\)$`), "lobby line");
    client.send("/nonsense");
    await client.saw(/^\* Unknown command \/nonsense/, "unknown command");
    client.send("/quit");
    expect(await client.exited).toBe(0);
    expect(client.out.filter((l) => l.includes("hello from the terminal")).length).toBe(1);
  });

  it("a bot runs it with its API token (KOMNATA_TOKEN), and a webhook's message shows under the webhook's name", async () => {
    const owner = await createUser(server);
    const o = await connectAs(server, owner);
    const roomName = uniqueName("bots");
    const { room } = await ok(o, "room:create", { name: roomName });
    const call = async (method: string, url: string, body?: unknown) => {
      const res = await fetch(`${server.url}${url}`, {
        method,
        headers: { authorization: `Bearer ${owner.token}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return res.status === 204 ? null : res.json();
    };
    const { bot } = await call("POST", "/api/bots", { username: uniqueName("ttybot") });
    await call("PUT", `/api/bots/${bot.id}/rooms/${room.id}`);
    const { secret } = await call("POST", "/api/tokens", { name: "terminal", botId: bot.id });
    const client = startClient(null, secret);
    await client.saw(new RegExp(`^\\* Connected to .* as ${bot.username}`), "the bot's greeting");
    client.send(`/enter ${roomName}`);
    await client.saw(new RegExp(`^\\* You are in #${roomName}`), "entering the room");
    const heard = collect(o, "message:new");
    client.send("beep from a bot");
    await waitFor(() => heard.some((m) => m.body === "beep from a bot" && m.author.id === bot.id), 10_000, "the bot's message");

    const { webhook } = await ok(o, "webhook:create", { roomId: room.id, name: "Monitor" });
    await fetch(`${server.url}${new URL(webhook.url).pathname}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "CPU *high*", username: "Grafana" }),
    });
    await client.saw(/\] Grafana \(via webhook\): CPU \*\*high\*\*$/, "the webhook's message under its name");
    client.send("/quit");
    expect(await client.exited).toBe(0);
  });

  it("searches with /search and shows a result in its place with /show", async () => {
    const [term, web] = await Promise.all([createUser(server), createUser(server)]);
    const w = await connectAs(server, web);
    const { room } = await ok(w, "room:create", { name: uniqueName("found") });
    for (let i = 1; i <= 14; i++) {
      await ok(w, "message:send", {
        roomId: room.id,
        body: i === 3 ? "the Ёлка party is on Friday" : `filler ${i}`,
        clientMsgId: `f${i}`,
      });
    }
    await ok(await connectAs(server, term), "room:join", { roomId: room.id });
    await ok(w, "dm:send", { toUsername: term.username, body: "елка lights are mine", clientMsgId: "d1" });
    const client = startClient(term.username, term.password);
    await client.saw(/^\* Connected to .* as /, "the greeting");

    client.send("/search елка");
    await client.saw(/^\* Messages with “елка”, newest first:$/, "the results heading");
    await client.saw(
      new RegExp(`^  \\[.*\\] @${web.username} #1 ${web.username}: \\*елка\\* lights are mine$`),
      "the private one",
    );
    await client.saw(
      new RegExp(`^  \\[.*\\] #${room.name} #3 ${web.username}: the \\*Ёлка\\* party is on Friday$`),
      "the room one",
    );
    await client.saw(new RegExp(`^      /show #${room.name} 3$`), "how to open it");

    client.send(`/show #${room.name} 3`);
    await client.saw(new RegExp(`^\\* In #${room.name} around #3:$`), "the place");
    await client.saw(new RegExp(`^» \\[.* #3\\] ${web.username}: the Ёлка party is on Friday$`), "the result, marked");
    await client.saw(new RegExp(`^\\[.* #8\\] ${web.username}: filler 8$`), "the messages after it");
    await client.saw(/^\* Later messages/, "more after them");

    client.send("/search has:nothing");
    await client.saw(/^\* This search cannot be read/, "a query it cannot read, said");
    client.send("/search zzzqqq");
    await client.saw(/^\* No messages match “zzzqqq”\.$/, "nothing found");
    client.send("/quit");
    expect(await client.exited).toBe(0);
  });

  it("reconnects by itself after the connection drops and prints what it missed once, in order", async () => {
    const [term, web] = await Promise.all([createUser(server), createUser(server)]);
    const w = await connectAs(server, web);
    const client = startClient(term.username, term.password);
    await client.saw(/^\* Connected/, "the greeting");
    const roomName = uniqueName("drop");
    client.send(`/create ${roomName}`);
    await client.saw(/^\* You are in #/, "entering the room");
    const roomId = (await ok(w, "room:list", {})).rooms.find((r) => r.name === roomName)?.id as string;
    await ok(w, "room:join", { roomId });

    // Drop the client's transport from the server side (as a network failure would), and talk
    // while it is away.
    const sockets = await server.komnata.io.in(userChannel(term.id)).fetchSockets();
    expect(sockets.length).toBe(1);
    const local = server.komnata.io.of("/").sockets.get(sockets[0].id);
    if (!local) throw new Error("the client's socket is not on this node");
    local.conn.close();
    await client.saw(/^\* Connection lost; reconnecting/, "the drop notice");
    for (let i = 1; i <= 5; i++) await ok(w, "message:send", { roomId, body: `while away ${i}`, clientMsgId: `away${i}` });
    await client.saw(/^\* Reconnected\.$/, "the reconnect notice");
    await client.saw(/while away 5$/, "the missed messages");
    // a round trip through the server: whatever it sent before this echo has been printed
    client.send("back now");
    await client.saw(/: back now$/, "the client's own message echoed");
    const missed = client.out.filter((l) => l.includes("while away"));
    expect(missed.map((l) => l.replace(/^.*while away /, ""))).toEqual(["1", "2", "3", "4", "5"]);
    client.end();
    expect(await client.exited).toBe(0);
  });

  it("shares files with /upload and saves them with /download, byte-identical, never over another file", async () => {
    const [term, web] = await Promise.all([createUser(server), createUser(server)]);
    const w = await connectAs(server, web);
    const client = startClient(term.username, term.password);
    await client.saw(/^\* Connected/, "the greeting");
    const roomName = uniqueName("share");
    client.send(`/create ${roomName}`);
    await client.saw(/^\* You are in #/, "entering the room");
    const roomId = (await ok(w, "room:list", {})).rooms.find((r) => r.name === roomName)?.id as string;
    await ok(w, "room:join", { roomId });
    const atWeb = collect(w, "message:new");

    const dir = mkdtempSync(path.join(tmpdir(), "komnata-tty-"));
    const data = randomBytes(150_000);
    writeFileSync(path.join(dir, "build log.txt"), data);
    client.send(`/upload ${path.join(dir, "build log.txt")}`);
    await client.saw(/^\* Shared build log\.txt \(id [0-9a-f-]+\)\.$/, "the upload");
    await waitFor(() => atWeb.some((m) => m.file?.name === "build log.txt"), 10_000, "the web user sees the file");
    const shared = atWeb.find((m) => m.file)?.file;
    expect(shared).toMatchObject({ size: 150_000, type: "text/plain" });
    await client.saw(
      new RegExp(`: \\[file\\] build log\\.txt \\(146 KB, text/plain\\) — /download ${shared?.id.slice(0, 8)}$`),
      "the file message with its download command",
    );

    // into a folder, under its own name; a second copy never overwrites the first
    const saved = mkdtempSync(path.join(tmpdir(), "komnata-saved-"));
    client.send(`/download ${shared?.id} ${saved}`);
    await client.saw(/^\* Saved build log\.txt \(146 KB\) to /, "the first download");
    client.send(`/download ${shared?.id} ${saved}`);
    await client.saw(/build log \(1\)\.txt$/, "the second download");
    expect(readdirSync(saved).sort()).toEqual(["build log (1).txt", "build log.txt"]);
    expect(readFileSync(path.join(saved, "build log.txt")).equals(data)).toBe(true);
    expect(readFileSync(path.join(saved, "build log (1).txt")).equals(data)).toBe(true);

    // a file it cannot see, a file that is not there
    client.send("/download 00000000-0000-0000-0000-000000000000");
    await client.saw(/^\* Not saved: No such file \(or it was removed\)\.$/, "the refusal");
    client.send(`/upload ${path.join(dir, "missing.pdf")}`);
    await client.saw(/^\* Cannot read .*missing\.pdf: no such file\.$/, "the missing file");
    client.send("/quit");
    expect(await client.exited).toBe(0);
    rmSync(dir, { recursive: true, force: true });
    rmSync(saved, { recursive: true, force: true });
  });

  it("speaks Russian under LANG=ru_RU.UTF-8 (and English again with --lang en)", async () => {
    const [me, other] = await Promise.all([createUser(server), createUser(server)]);
    const client = startClient(me.username, me.password, { env: { LANG: "ru_RU.UTF-8" } });
    await client.saw(/^\* Подключено к .* как /, "the greeting");
    const roomName = uniqueName("ру");
    client.send(`/create ${roomName}`);
    await client.saw(new RegExp(`^\\* Вы в #${roomName}$`), "entering the room");
    client.send("/frobnicate");
    await client.saw(/^\* Нет команды \/frobnicate\. \/help покажет список\.$/, "an unknown command");
    client.send("/help");
    await client.saw(/^ {2}\/create НАЗВАНИЕ +создать комнату и войти в неё$/, "the help");
    // a refusal by the server, in words of the client's language
    client.send(`/dm nobody_${Date.now()} привет`);
    await client.saw(/^\* Пользователя «nobody_\d+» нет\.$/, "the refusal");
    const w = await connectAs(server, other);
    await ok(w, "dm:send", { toUsername: me.username, body: "как дела?", clientMsgId: "ru1" });
    client.send("/dms");
    await client.saw(new RegExp(`^ {2}@${other.username} \\(в сети, 1 непрочитанное\\)$`), "the conversation line");
    client.send("/quit");
    expect(await client.exited).toBe(0);

    // the flag wins over the environment
    const english = startClient(me.username, me.password, { env: { LANG: "ru_RU.UTF-8" }, args: ["--lang", "en"] });
    await english.saw(/^\* Connected to .* as /, "the English greeting");
    english.send("/quit");
    expect(await english.exited).toBe(0);
  });

  it("refuses wrong credentials with a clear message and a failing exit code", async () => {
    const user = await createUser(server);
    const client = startClient(user.username, "not the password");
    expect(await client.exited).toBe(1);
    expect(client.errors.join("")).toContain("komnata: Wrong username or password.");
  });
});
