// The terminal client's commands: one table, each with its usage line and what it does. A line
// that is not a command is a message to the current room.
import { statSync } from "node:fs";
import path from "node:path";
import { newClientMsgId, type UploadQuery, type WireMessage } from "../../server/protocol/index.ts";
import { GOVERNANCE_COMMANDS } from "./governance.ts";
import { contentType, freePath, localPath, unquote } from "./local-files.ts";
import { SHORT_ID } from "./render.ts";
import type { Session } from "./session.ts";
import type { Say } from "./words.ts";

export interface Command {
  /** its messages: `terminal.commands.<key>.usage` ("/enter NAME") and `.help` */
  key: string;
  /** `args` are the words after the command; `rest` is everything after it, as typed. Resolves false to quit. */
  run(session: Session, args: string[], rest: string): Promise<unknown>;
}

/** The seq in "5" or "#5" (as messages are printed), or null. */
const seqOf = (word: string | undefined) =>
  word !== undefined && /^#?[1-9]\d{0,8}$/.test(word) ? Number(word.replace("#", "")) : null;

const inRoom = (session: Session): boolean => {
  if (session.current) return true;
  session.notice(session.t("notInRoom"));
  return false;
};

export const COMMANDS: Record<string, Command> = {
  "/rooms": {
    key: "rooms",
    run: async (session, _args, text) => void (await session.printLobby(text || undefined)),
  },
  "/create": {
    key: "create",
    run: async (session, _args, name) => {
      if (!name) return void session.notice(usage(session, "create"));
      const { room } = await session.call("room:create", { name });
      await session.enter(room);
    },
  },
  "/enter": {
    key: "enter",
    run: async (session, _args, name) => {
      if (!name) return void session.notice(usage(session, "enter"));
      const wanted = name.replace(/^#/, "").toLowerCase();
      const room = (await session.listRooms(wanted)).rooms.find((r) => r.name.toLowerCase() === wanted);
      if (!room) return void session.notice(session.t("noRoomNamed", { name }));
      await session.enter(room);
    },
  },
  "/leave": {
    key: "leave",
    run: async (session) => {
      if (inRoom(session)) await session.leave();
    },
  },
  "/history": {
    key: "history",
    run: async (session) => {
      if (inRoom(session)) await session.older();
    },
  },
  "/dm": {
    key: "dm",
    run: async (session, [to, ...words]) => {
      const body = words.join(" ");
      if (!to) return void session.notice(usage(session, "dm"));
      // a name alone: that conversation so far
      if (!body) return session.conversationWith(to.replace(/^@/, ""));
      const { message } = await session
        .call("dm:send", { toUsername: to, body, clientMsgId: newClientMsgId() })
        .catch((error: unknown) => {
          throw new Error(session.problem(error, "conversation", { username: to }));
        });
      session.showDirect(message);
    },
  },
  "/dms": {
    key: "dms",
    run: async (session) => {
      const { conversations } = await session.call("dm:list", {});
      if (conversations.length === 0) session.notice(session.t("noConversations"));
      for (const c of conversations) session.print(session.render.conversationLine(c));
    },
  },
  "/upload": {
    key: "upload",
    run: async (session, [first, ...others], rest) => {
      const to = first?.startsWith("@") ? first.slice(1) : null;
      const typed = unquote(to !== null ? others.join(" ") : rest);
      if (!typed || to === "") return void session.notice(session.t("uploadUsage"));
      if (to === null && !session.current) return void session.notice(session.t("notInRoomUpload"));
      await upload(session, typed, to !== null ? { to } : { roomId: session.current?.id });
    },
  },
  "/download": {
    key: "download",
    run: async (session, [id, ...where]) => {
      if (!id) return void session.notice(usage(session, "download"));
      await download(session, session.fileId(id), where.length > 0 ? unquote(where.join(" ")) : null);
    },
  },
  "/unshare": {
    key: "unshare",
    run: async (session, [id]) => {
      if (!id) return void session.notice(usage(session, "unshare"));
      const fileId = session.fileId(id);
      await session.call("file:remove", { fileId }).catch((error: unknown) => {
        throw new Error(session.problem(error, "removeFile"));
      });
      session.notice(session.t("removedFile", { id: fileId.slice(0, SHORT_ID) }));
    },
  },
  "/reply": {
    key: "reply",
    run: async (session, [seq, ...words]) => {
      const body = words.join(" ");
      if (!inRoom(session)) return;
      const n = seqOf(seq);
      if (n === null || !body) return void session.notice(usage(session, "reply"));
      const original = await session.messageAt(n);
      if (!original) return void session.notice(session.t("noMessage", { seq }));
      await session.send(body, original.id);
    },
  },
  "/react": {
    key: "react",
    run: async (session, [seq, emoji]) => {
      if (!inRoom(session)) return;
      const n = seqOf(seq);
      if (n === null || !emoji) return void session.notice(usage(session, "react"));
      const message = await session.messageAt(n);
      if (!message) return void session.notice(session.t("noMessage", { seq }));
      // the same emoji again takes yours back, as a click on it does in the browser
      // names are unique ignoring case, and --user may have been typed in any
      const me = session.username.toLowerCase();
      const mine = message.reactions.some((r) => r.emoji === emoji && r.users.some((u) => u.username.toLowerCase() === me));
      const payload = { roomId: message.roomId, messageId: message.id, emoji };
      const { message: now } = await session.call(mine ? "reaction:remove" : "reaction:add", payload).catch((error: unknown) => {
        throw new Error(session.problem(error, "react"));
      });
      session.showChange(now as WireMessage);
    },
  },
  "/search": {
    key: "search",
    // a query: its newest results; nothing: the next results of the last one
    run: async (session, _args, query) => session.search(query || null),
  },
  "/show": {
    key: "show",
    run: async (session, [where, seq]) => {
      const n = seqOf(seq);
      if (!where || !/^[#@]./.test(where) || n === null) return void session.notice(usage(session, "show"));
      await session.showAround(where, n);
    },
  },
  ...GOVERNANCE_COMMANDS,
  "/quit": { key: "quit", run: async () => false },
  // what many expect "exit" to mean (leaving a room is /leave)
  "/exit": { key: "exit", run: async () => false },
  "/help": {
    key: "help",
    run: async (session) => {
      for (const line of helpLines(session.say)) session.print(`  ${line}`);
    },
  },
};

/** "usage: /create NAME", in the session's language. */
function usage(session: Session, key: string): string {
  return session.t("usage", { usage: session.t(`commands.${key}.usage`) });
}

export function helpLines(say: Say): string[] {
  const lines = Object.values(COMMANDS).map((c) => [
    say(`terminal.commands.${c.key}.usage`),
    say(`terminal.commands.${c.key}.help`),
  ]);
  lines.push([say("terminal.anythingElse"), say("terminal.anythingElseHelp")]);
  const width = Math.max(...lines.map(([u]) => u.length)) + 2;
  return lines.map(([u, help]) => `${u.padEnd(width)}${help}`);
}

/** What Tab completes: a command's name, or the id of a file printed so far after /download and /unshare. */
export function complete(session: Session, line: string): [string[], string] {
  const file = /^\/(?:download|unshare)\s+(\S*)$/.exec(line);
  if (file) return [session.fileIdsStartingWith(file[1]), file[1]];
  if (/^\/\S*$/.test(line)) return [Object.keys(COMMANDS).filter((name) => name.startsWith(line)), line];
  return [[], line];
}

/**
 * Runs one line typed or piped in; resolves false when the session should end. A command that
 * fails says why in a notice: a refused request by its code, anything else (a local file) by
 * its message.
 */
export async function runLine(session: Session, line: string): Promise<boolean> {
  const text = line.trim();
  if (!text) return true;
  try {
    if (!text.startsWith("/")) {
      await session.send(line);
      return true;
    }
    const [name, ...args] = text.split(/\s+/);
    const command = COMMANDS[name];
    if (!command) {
      session.notice(session.t("unknownCommand", { name }));
      return true;
    }
    return (await command.run(session, args, args.join(" "))) !== false;
  } catch (error) {
    session.notice(error instanceof Error && !("code" in error) ? error.message : session.problem(error));
    return true;
  }
}

async function upload(session: Session, typed: string, target: Omit<UploadQuery, "name" | "clientMsgId">): Promise<void> {
  const file = localPath(session.here, typed);
  let size: number;
  try {
    const info = statSync(file);
    if (!info.isFile()) throw new Error("not a file");
    size = info.size;
  } catch {
    return void session.notice(session.t("cannotRead", { path: typed }));
  }
  const name = path.basename(file);
  session.notice(session.t("uploading", { name, size: session.render.size(size) }));
  const sent = await session.api.upload(
    session.token,
    { path: file, name, size, type: contentType(name) },
    { ...target, name, clientMsgId: newClientMsgId() },
  );
  if (!sent.ok) return void session.notice(session.t("notShared", { reason: session.problem(sent, "upload") }));
  const { message } = sent;
  session.notice(session.t("shared", { name: message.file?.name ?? name, id: message.file?.id.slice(0, SHORT_ID) ?? "?" }));
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
  if (!saved.ok) {
    // a failure to write here says what the system said (no permission, a full disk)
    const reason = saved.code === "local" ? saved.reason : session.problem(saved, "download");
    return void session.notice(session.t("notSaved", { reason }));
  }
  session.notice(session.t("saved", { name: saved.name, size: session.render.size(saved.size), path: saved.path }));
}
