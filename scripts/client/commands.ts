// The terminal client's commands: one table, each with its usage line and what it does. A line
// that is not a command is a message to the current room.
import { statSync } from "node:fs";
import path from "node:path";
import type { UploadQuery } from "../../server/protocol/index.ts";
import { contentType, freePath, localPath, unquote } from "./local-files.ts";
import { conversationLine, formatSize } from "./render.ts";
import { newClientMsgId, type Session } from "./session.ts";

export interface Command {
  /** e.g. "/enter NAME" */
  usage: string;
  help: string;
  /** `args` are the words after the command; `rest` is everything after it, as typed. Resolves false to quit. */
  run(session: Session, args: string[], rest: string): Promise<unknown>;
}

const inRoom = (session: Session): boolean => {
  if (session.current) return true;
  session.notice("You are not in a room.");
  return false;
};

export const COMMANDS: Record<string, Command> = {
  "/rooms": {
    usage: "/rooms [TEXT]",
    help: "list the rooms (those whose name has TEXT)",
    run: async (session, _args, text) => void (await session.printLobby(text || undefined)),
  },
  "/create": {
    usage: "/create NAME",
    help: "create a room and enter it",
    run: async (session, _args, name) => {
      if (!name) return void session.notice("usage: /create NAME");
      const { room } = await session.call("room:create", { name });
      await session.enter(room);
    },
  },
  "/enter": {
    usage: "/enter NAME",
    help: "enter a room (you become a member)",
    run: async (session, _args, name) => {
      if (!name) return void session.notice("usage: /enter NAME");
      const wanted = name.replace(/^#/, "").toLowerCase();
      const room = (await session.listRooms(wanted)).rooms.find((r) => r.name.toLowerCase() === wanted);
      if (!room) return void session.notice(`No room named "${name}". /rooms lists them.`);
      await session.enter(room);
    },
  },
  "/exit": {
    usage: "/exit",
    help: "leave the current room",
    run: async (session) => {
      if (inRoom(session)) await session.leave();
    },
  },
  "/history": {
    usage: "/history",
    help: "show older messages of the current room",
    run: async (session) => {
      if (inRoom(session)) await session.older();
    },
  },
  "/dm": {
    usage: "/dm USER TEXT",
    help: "send a private message",
    run: async (session, [to, ...words]) => {
      const body = words.join(" ");
      if (!to || !body) return void session.notice("usage: /dm USER TEXT");
      const { message } = await session.call("dm:send", { toUsername: to, body, clientMsgId: newClientMsgId() });
      session.showDirect(message);
    },
  },
  "/dms": {
    usage: "/dms",
    help: "list your private conversations",
    run: async (session) => {
      const { conversations } = await session.call("dm:list", {});
      if (conversations.length === 0) session.notice("No private conversations yet. /dm USER TEXT starts one.");
      for (const c of conversations) session.print(conversationLine(c));
    },
  },
  "/upload": {
    usage: "/upload PATH",
    help: "share a file in the current room (/upload @USER PATH: privately)",
    run: async (session, [first, ...others], rest) => {
      const to = first?.startsWith("@") ? first.slice(1) : null;
      const typed = unquote(to !== null ? others.join(" ") : rest);
      if (!typed || to === "") return void session.notice("usage: /upload PATH (to the current room) or /upload @USER PATH");
      if (to === null && !session.current) {
        return void session.notice("You are not in a room: /enter NAME first, or /upload @USER PATH to share privately.");
      }
      await upload(session, typed, to !== null ? { to } : { roomId: session.current?.id });
    },
  },
  "/download": {
    usage: "/download ID [PATH]",
    help: "save a shared file (into PATH, a file or a folder; default: here)",
    run: async (session, [id, ...where]) => {
      if (!id) return void session.notice("usage: /download ID [PATH]");
      await download(session, id, where.length > 0 ? unquote(where.join(" ")) : null);
    },
  },
  "/unshare": {
    usage: "/unshare ID",
    help: "remove a file you shared (for everyone; its message stays)",
    run: async (session, [id]) => {
      if (!id) return void session.notice("usage: /unshare ID");
      await session.call("file:remove", { fileId: id });
      session.notice(`Removed file ${id}.`);
    },
  },
  "/quit": { usage: "/quit", help: "quit", run: async () => false },
  "/help": {
    usage: "/help",
    help: "this list",
    run: async (session) => {
      for (const line of helpLines()) session.print(`  ${line}`);
    },
  },
};

export function helpLines(): string[] {
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.usage.length)) + 2;
  return [
    ...Object.values(COMMANDS).map((c) => `${c.usage.padEnd(width)}${c.help}`),
    `${"anything else".padEnd(width)}is sent to the current room`,
  ];
}

/** Runs one line typed or piped in; resolves false when the session should end. */
export async function runLine(session: Session, line: string): Promise<boolean> {
  const text = line.trim();
  if (!text) return true;
  if (!text.startsWith("/")) {
    await session.send(line);
    return true;
  }
  const [name, ...args] = text.split(/\s+/);
  const command = COMMANDS[name];
  if (!command) {
    session.notice(`Unknown command ${name}. /help lists them.`);
    return true;
  }
  return (await command.run(session, args, args.join(" "))) !== false;
}

async function upload(session: Session, typed: string, target: Omit<UploadQuery, "name" | "clientMsgId">): Promise<void> {
  const file = localPath(session.here, typed);
  let size: number;
  try {
    const info = statSync(file);
    if (!info.isFile()) throw new Error("not a file");
    size = info.size;
  } catch {
    return void session.notice(`Cannot read ${typed}: no such file.`);
  }
  const name = path.basename(file);
  session.notice(`Uploading ${name} (${formatSize(size)})…`);
  const sent = await session.api.upload(
    session.token,
    { path: file, name, size, type: contentType(name) },
    { ...target, name, clientMsgId: newClientMsgId() },
  );
  if (!sent.ok || !sent.message.file) return void session.notice(`Not shared: ${sent.ok ? "no file" : sent.reason}`);
  const { message } = sent;
  session.notice(`Shared ${message.file?.name} (id ${message.file?.id}).`);
  if ("roomId" in message) session.show(message);
  else session.showDirect(message);
}

/** Saves a file: into a folder under its own name (never over another file), or to a path. */
async function download(session: Session, id: string, where: string | null): Promise<void> {
  const target = where ? localPath(session.here, where) : null;
  const saved = await session.api.download(session.token, id, (name) => {
    let isFolder = false;
    try {
      isFolder = target !== null && statSync(target).isDirectory();
    } catch {
      // not there yet: a file to create
    }
    return target && !isFolder ? target : freePath(path.join(target ?? session.here, name));
  });
  if (!saved.ok) return void session.notice(`Not saved: ${saved.reason}`);
  session.notice(`Saved ${saved.name} (${formatSize(saved.size)}) to ${saved.path}`);
}
