// The terminal client: `npm run client -- --url http://localhost:3000 --user alice` (or `komnata`).
// Written against the public protocol only (docs/protocol.md). Interactive in a terminal (the
// line being typed survives incoming messages); one line per event when piped, so it can be
// scripted: lines from stdin are commands or messages, in order.
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, statSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import readline from "node:readline";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { io, type Socket } from "socket.io-client";

type Ack<T> = ({ ok: true } & T) | { ok: false; error: { code: string; message: string } };
interface SharedFile {
  id: string;
  name: string;
  size: number;
  type: string;
}
interface Room {
  id: string;
  name: string;
  topic: string | null;
  memberCount: number;
  onlineCount: number;
  lastMessageAt: string | null;
}
interface DirectMessage {
  id: string;
  conversationId: string;
  seq: number;
  body: string;
  author: { id: string; username: string };
  createdAt: string;
  file?: SharedFile;
}
interface Conversation {
  id: string;
  with: { id: string; username: string; online: boolean };
  unread: number;
  lastMessageAt: string | null;
}
interface Message {
  id: string;
  roomId: string;
  seq: number;
  body: string;
  author: { id: string; username: string };
  createdAt: string;
  clientMsgId: string;
  file?: SharedFile;
}

const HELP = [
  "/rooms            list the rooms",
  "/create NAME      create a room and enter it",
  "/enter NAME       enter a room (you become a member)",
  "/exit             leave the current room",
  "/history          show older messages of the current room",
  "/dm USER TEXT     send a private message",
  "/dms              list your private conversations",
  "/upload PATH      share a file in the current room (/upload @USER PATH: privately)",
  "/download ID [PATH]  save a shared file (into PATH, a file or a folder; default: here)",
  "/quit             quit",
  "/help             this list",
  "anything else     is sent to the current room",
];

const { values } = parseArgs({
  options: { url: { type: "string", default: "http://localhost:3000" }, user: { type: "string" }, help: { type: "boolean" } },
});
if (values.help || !values.user) {
  console.log("usage: komnata --user NAME [--url http://localhost:3000]\n(password: KOMNATA_PASSWORD, or asked for)\n");
  console.log(HELP.join("\n"));
  process.exit(values.help ? 0 : 2);
}
const base = values.url.replace(/\/$/, "");
const username = values.user;
const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);

function askPassword(): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stdout.write("Password: ");
    stdin.setRawMode(true);
    stdin.resume();
    let typed = "";
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString("utf8")) {
        if (char === "\r" || char === "\n") {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off("data", onData);
          process.stdout.write("\n");
          resolve(typed);
          return;
        }
        if (char === "\u0003") process.exit(130);
        if (char === "\u007f") typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.on("data", onData);
  });
}

async function signIn(password: string): Promise<string> {
  const res = await fetch(`${base}/api/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  }).catch(() => null);
  if (!res) throw new Error(`cannot reach ${base}`);
  const body = (await res.json().catch(() => ({}))) as { token?: string; error?: { message: string } };
  if (!res.ok || !body.token) throw new Error(body.error?.message ?? `sign-in failed (HTTP ${res.status})`);
  return body.token;
}

let rl: readline.Interface | null = null;

/** Prints one line without breaking the one being typed. */
function print(line: string): void {
  if (rl && interactive) {
    readline.clearLine(process.stdout, 0);
    readline.cursorTo(process.stdout, 0);
    process.stdout.write(`${line}\n`);
    rl.prompt(true);
  } else {
    process.stdout.write(`${line}\n`);
  }
}
const notice = (line: string) => print(`* ${line}`);
const time = (iso: string) => new Date(iso).toTimeString().slice(0, 5);

const password = process.env.KOMNATA_PASSWORD ?? (interactive ? await askPassword() : null);
if (password === null) {
  console.error("komnata: set KOMNATA_PASSWORD when input is not a terminal");
  process.exit(2);
}
let token: string;
try {
  token = await signIn(password);
} catch (error) {
  console.error(`komnata: ${(error as Error).message}`);
  process.exit(1);
}

const socket: Socket = io(base, { transports: ["websocket"], auth: { token }, reconnectionDelayMax: 5000 });
let current: Room | null = null;
const lastSeq = new Map<string, number>();
const oldestSeq = new Map<string, number>();
const roomNames = new Map<string, string>();
/** Sends without an ack yet, resent with the same clientMsgId after a reconnect (the server keeps one copy). */
const unacked = new Map<string, { roomId: string; body: string; clientMsgId: string }>();

async function call<T>(event: string, payload: unknown): Promise<T> {
  const reply = (await socket.timeout(15_000).emitWithAck(event, payload)) as Ack<T>;
  if (!reply.ok) throw new Error(reply.error.message);
  return reply;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const [value, unit] =
    bytes < 1024 ** 2 ? [bytes / 1024, "KB"] : bytes < 1024 ** 3 ? [bytes / 1024 ** 2, "MB"] : [bytes / 1024 ** 3, "GB"];
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}

/** A message's lines: its text, and a shared file with the command that saves it. */
function lines(m: { body: string; file?: SharedFile }): string[] {
  const text = m.body ? m.body.split("\n") : [];
  if (m.file) text.push(`[file] ${m.file.name} (${formatSize(m.file.size)}, ${m.file.type}) — /download ${m.file.id}`);
  return text;
}

function printMessage(m: Message): void {
  const [first, ...more] = lines(m);
  print(`[${time(m.createdAt)}] ${m.author.username}: ${first}`);
  for (const line of more) print(`        ${line}`);
}

function show(m: Message): void {
  if (m.seq <= (lastSeq.get(m.roomId) ?? 0)) return;
  lastSeq.set(m.roomId, m.seq);
  if (!oldestSeq.has(m.roomId)) oldestSeq.set(m.roomId, m.seq);
  printMessage(m);
}

function setPrompt(): void {
  rl?.setPrompt(current ? `#${current.name}> ` : "> ");
  if (interactive) rl?.prompt(true);
}

async function listRooms(): Promise<Room[]> {
  const { rooms } = await call<{ rooms: Room[] }>("room:list", {});
  for (const r of rooms) roomNames.set(r.id, r.name);
  return rooms;
}

async function printLobby(): Promise<void> {
  const rooms = await listRooms();
  if (rooms.length === 0) notice("No rooms yet. /create NAME makes the first one.");
  else notice(`Rooms (${rooms.length}):`);
  for (const r of rooms) {
    const topic = r.topic ? ` — ${r.topic}` : "";
    print(`  #${r.name}${topic} (${r.memberCount} members, ${r.onlineCount} online)`);
  }
}

async function enter(room: Room): Promise<void> {
  const joined = await call<{ room: Room; messages: Message[]; hasMore: boolean }>("room:join", { roomId: room.id });
  current = joined.room;
  roomNames.set(current.id, current.name);
  notice(`You are in #${current.name}${current.topic ? ` — ${current.topic}` : ""}`);
  oldestSeq.delete(current.id);
  lastSeq.set(current.id, (joined.messages[0]?.seq ?? 1) - 1);
  for (const m of joined.messages) show(m);
  setPrompt();
}

/** What the current room said while we were away, page by page, without duplicates. */
async function catchUp(): Promise<void> {
  if (!current) return;
  let hasMore = true;
  while (hasMore) {
    const page = await call<{ messages: Message[]; hasMore: boolean }>("room:history", {
      roomId: current.id,
      afterSeq: lastSeq.get(current.id) ?? 0,
      limit: 100,
    });
    for (const m of page.messages) show(m);
    hasMore = page.hasMore && page.messages.length > 0;
  }
}

async function send(body: string): Promise<void> {
  if (!current) {
    notice("You are not in a room: /enter NAME or /create NAME first.");
    return;
  }
  const item = { roomId: current.id, body, clientMsgId: randomBytes(9).toString("base64url") };
  unacked.set(item.clientMsgId, item);
  try {
    const { message } = await call<{ message: Message }>("message:send", item);
    unacked.delete(item.clientMsgId);
    show(message);
  } catch (error) {
    if (socket.connected) {
      unacked.delete(item.clientMsgId);
      notice(`not sent: ${(error as Error).message}`);
    } else notice("not sent yet: will retry when the connection is back");
  }
}

async function command(line: string): Promise<boolean> {
  const text = line.trim();
  if (!text) return true;
  if (!text.startsWith("/")) {
    await send(line);
    return true;
  }
  const [name, ...rest] = text.split(/\s+/);
  const arg = rest.join(" ");
  switch (name) {
    case "/help":
      for (const h of HELP) print(`  ${h}`);
      return true;
    case "/rooms":
      await printLobby();
      return true;
    case "/create": {
      if (!arg) {
        notice("usage: /create NAME");
        return true;
      }
      const { room } = await call<{ room: Room }>("room:create", { name: arg });
      await enter(room);
      return true;
    }
    case "/enter": {
      if (!arg) {
        notice("usage: /enter NAME");
        return true;
      }
      const room = (await listRooms()).find((r) => r.name.toLowerCase() === arg.replace(/^#/, "").toLowerCase());
      if (!room) {
        notice(`No room named "${arg}". /rooms lists them.`);
        return true;
      }
      await enter(room);
      return true;
    }
    case "/exit":
      if (!current) {
        notice("You are not in a room.");
        return true;
      }
      await call("room:leave", { roomId: current.id });
      notice(`You left #${current.name}.`);
      current = null;
      setPrompt();
      return true;
    case "/history": {
      if (!current) {
        notice("You are not in a room.");
        return true;
      }
      const before = oldestSeq.get(current.id);
      if (before === undefined || before <= 1) {
        notice("This is the beginning of the room.");
        return true;
      }
      const page = await call<{ messages: Message[]; hasMore: boolean }>("room:history", {
        roomId: current.id,
        beforeSeq: before,
        limit: 20,
      });
      notice(`Earlier in #${current.name}:`);
      for (const m of page.messages) printMessage(m);
      if (page.messages[0]) oldestSeq.set(current.id, page.messages[0].seq);
      if (!page.hasMore) notice("This is the beginning of the room.");
      return true;
    }
    case "/dm": {
      const [to, ...words] = rest;
      const body = words.join(" ");
      if (!to || !body) {
        notice("usage: /dm USER TEXT");
        return true;
      }
      const { message } = await call<{ message: DirectMessage }>("dm:send", {
        toUsername: to,
        body,
        clientMsgId: randomBytes(9).toString("base64url"),
      });
      printDirect(message);
      return true;
    }
    case "/dms": {
      const { conversations } = await call<{ conversations: Conversation[] }>("dm:list", {});
      if (conversations.length === 0) notice("No private conversations yet. /dm USER TEXT starts one.");
      for (const c of conversations) {
        const unread = c.unread > 0 ? `, ${c.unread} unread` : "";
        print(`  @${c.with.username} (${c.with.online ? "online" : "offline"}${unread})`);
      }
      return true;
    }
    case "/upload": {
      const [first, ...others] = rest;
      const to = first?.startsWith("@") ? first.slice(1) : null;
      const file = unquote((to ? others : rest).join(" "));
      if (!file || to === "") {
        notice("usage: /upload PATH (to the current room) or /upload @USER PATH");
        return true;
      }
      if (!to && !current) {
        notice("You are not in a room: /enter NAME first, or /upload @USER PATH to share privately.");
        return true;
      }
      await upload(file, to ? { to } : { roomId: (current as Room).id });
      return true;
    }
    case "/download": {
      const [id, ...where] = rest;
      if (!id) {
        notice("usage: /download ID [PATH]");
        return true;
      }
      await download(id, where.length > 0 ? unquote(where.join(" ")) : null);
      return true;
    }
    case "/quit":
      return false;
    default:
      notice(`Unknown command ${name}. /help lists them.`);
      return true;
  }
}

/** Private messages print wherever you are, each once. */
const seenDirect = new Set<string>();
function printDirect(m: DirectMessage): void {
  if (seenDirect.has(m.id)) return;
  seenDirect.add(m.id);
  const from = m.author.username === username ? "you" : m.author.username;
  print(`[${time(m.createdAt)}] (private) ${from}: ${lines(m).join(" / ")}`);
}

const unquote = (text: string) => text.trim().replace(/^(["'])(.*)\1$/, "$2");
// `npm run client` runs in the project folder; paths are meant from where it was typed
const here = process.env.INIT_CWD ?? process.cwd();
/** A path as the user typed it: `~` is home, relative is from where the client was started. */
const localPath = (p: string) => path.resolve(here, p === "~" || p.startsWith("~/") ? path.join(homedir(), p.slice(1)) : p);

const TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".pdf": "application/pdf",
  ".txt": "text/plain",
  ".md": "text/markdown",
  ".csv": "text/csv",
  ".json": "application/json",
  ".zip": "application/zip",
};

/** Streams a file to POST /api/files: the server makes it a message (shown when it arrives). */
async function upload(file: string, target: { roomId: string } | { to: string }): Promise<void> {
  const local = localPath(file);
  let size: number;
  try {
    const info = statSync(local);
    if (!info.isFile()) throw new Error("not a file");
    size = info.size;
  } catch {
    notice(`Cannot read ${file}: no such file.`);
    return;
  }
  const name = path.basename(local);
  const query = new URLSearchParams({ ...target, name, clientMsgId: randomBytes(9).toString("base64url") });
  notice(`Uploading ${name} (${formatSize(size)})…`);
  const res = await fetch(`${base}/api/files?${query}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": TYPES[path.extname(name).toLowerCase()] ?? "application/octet-stream",
      "content-length": String(size),
    },
    body: Readable.toWeb(createReadStream(local)) as ReadableStream,
    duplex: "half",
  } as RequestInit).catch(() => null);
  if (!res) {
    notice(`Not shared: cannot reach ${base}.`);
    return;
  }
  const body = (await res.json().catch(() => ({}))) as { message?: Message & DirectMessage; error?: { message: string } };
  if (!res.ok || !body.message?.file) {
    notice(`Not shared: ${body.error?.message ?? `HTTP ${res.status}`}`);
    return;
  }
  const { message } = body;
  notice(`Shared ${message.file?.name} (id ${message.file?.id}).`);
  if ("to" in target) printDirect(message);
  else show(message);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** A name from the server, made safe to create here: no folders, no control characters. */
function localName(raw: string): string {
  const name = raw.replace(CONTROL, "").replace(/[/\\]/g, "_").replace(/^\.+/, "").trim();
  return name || "download";
}

/** A path beside `wanted` that does not exist yet: "a.txt", then "a (1).txt", "a (2).txt"… */
function freePath(wanted: string): string {
  if (!existsSync(wanted)) return wanted;
  const ext = path.extname(wanted);
  const stem = wanted.slice(0, wanted.length - ext.length);
  for (let i = 1; ; i++) {
    const candidate = `${stem} (${i})${ext}`;
    if (!existsSync(candidate)) return candidate;
  }
}

/** Saves GET /api/files/ID: into a folder under its own name (never over another file), or to a path. */
async function download(id: string, where: string | null): Promise<void> {
  const res = await fetch(`${base}/api/files/${encodeURIComponent(id)}`, {
    headers: { authorization: `Bearer ${token}` },
  }).catch(() => null);
  if (!res) {
    notice(`Not saved: cannot reach ${base}.`);
    return;
  }
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => ({}))) as { error?: { message: string } };
    notice(`Not saved: ${body.error?.message ?? `HTTP ${res.status}`}`);
    return;
  }
  const disposition = res.headers.get("content-disposition") ?? "";
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  let name = "download";
  try {
    name = localName(encoded ? decodeURIComponent(encoded) : (/filename="([^"]*)"/.exec(disposition)?.[1] ?? name));
  } catch {
    // a malformed name: keep the default
  }
  const target = where ? localPath(where) : null;
  const isFolder = target !== null && existsSync(target) && statSync(target).isDirectory();
  const destination = target && !isFolder ? target : freePath(path.join(target ?? here, name));
  // written beside the destination first, so an interrupted download never leaves half a file
  const partial = `${destination}.${randomBytes(4).toString("hex")}.part`;
  try {
    await pipeline(Readable.fromWeb(res.body as import("node:stream/web").ReadableStream), createWriteStream(partial));
    await rename(partial, destination);
  } catch (error) {
    await rm(partial, { force: true });
    notice(`Not saved: ${(error as Error).message}`);
    return;
  }
  notice(`Saved ${name} (${formatSize(Number(res.headers.get("content-length") ?? 0))}) to ${destination}`);
}

let everConnected = false;
socket.on("connect", () => {
  if (!everConnected) {
    everConnected = true;
    notice(`Connected to ${base} as ${username}. /help lists the commands.`);
    void printLobby().catch((e: Error) => notice(e.message));
    return;
  }
  notice("Reconnected.");
  for (const item of unacked.values()) {
    socket.emit("message:send", item, (reply: Ack<{ message: Message }>) => {
      unacked.delete(item.clientMsgId);
      if (reply.ok) show(reply.message);
      else notice(`not sent: ${reply.error.message}`);
    });
  }
  void catchUp().catch((e: Error) => notice(e.message));
});
socket.on("disconnect", (reason) => {
  if (reason === "io client disconnect") return;
  notice("Connection lost; reconnecting…");
  if (reason === "io server disconnect") socket.connect();
});
socket.on("connect_error", (error: Error & { data?: { code?: string } }) => {
  if (error.data?.code === "unauthorized") {
    console.error("komnata: the server refused the session; sign in again");
    process.exit(1);
  }
});
socket.on("message:new", (m: Message) => {
  if (m.roomId === current?.id) show(m);
  else notice(`new message in #${roomNames.get(m.roomId) ?? "a room"} from ${m.author.username}`);
});
socket.on("dm:new", (m: DirectMessage) => printDirect(m));
socket.on("room:created", (room: Room) => {
  roomNames.set(room.id, room.name);
  notice(`#${room.name} was created.`);
});

rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: interactive });
setPrompt();
// Lines are handled one at a time, in order, so a script's commands run as written.
let queue = Promise.resolve(true);
let quitting = false;
async function quit(): Promise<void> {
  if (quitting) return;
  quitting = true;
  await queue;
  // a piped script ends with its input: let its last sends be acknowledged first
  const deadline = Date.now() + 10_000;
  while (unacked.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  socket.disconnect();
  rl?.close();
  process.exit(0);
}
rl.on("line", (line) => {
  queue = queue.then(async (keepGoing) => {
    if (!keepGoing) return false;
    if (!everConnected) await new Promise<void>((r) => socket.once("connect", () => r()));
    try {
      const more = await command(line);
      if (!more) void quit();
      return more;
    } catch (error) {
      notice((error as Error).message);
      return true;
    }
  });
});
rl.on("close", () => void quit());
