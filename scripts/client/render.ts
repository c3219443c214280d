// How the terminal client prints what the server sends: one line per event, so a script can read it.
import type { ConversationSummary, RoomSummary, WireDirectMessage, WireMessageBase } from "../../server/protocol/index.ts";

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const [value, unit] =
    bytes < 1024 ** 2 ? [bytes / 1024, "KB"] : bytes < 1024 ** 3 ? [bytes / 1024 ** 2, "MB"] : [bytes / 1024 ** 3, "GB"];
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}

/** hh:mm in the local time zone */
export const time = (iso: string) => new Date(iso).toTimeString().slice(0, 5);

/** A message's lines: its text, and a shared file with the command that saves it. */
export function messageLines(m: Pick<WireMessageBase, "body" | "file">): string[] {
  const text = m.body ? m.body.split("\n") : [];
  if (m.file?.removed) text.push("[file removed]");
  else if (m.file) text.push(`[file] ${m.file.name} (${formatSize(m.file.size)}, ${m.file.type}) — /download ${m.file.id}`);
  return text;
}

/** A room message: author and first line, further lines indented below. */
export function roomMessage(m: WireMessageBase): string[] {
  const [first, ...more] = messageLines(m);
  return [`[${time(m.createdAt)}] ${m.author.username}: ${first}`, ...more.map((line) => `        ${line}`)];
}

/** A private message on one line, wherever you are. */
export function privateMessage(m: WireDirectMessage, me: string): string {
  const from = m.author.username === me ? "you" : m.author.username;
  return `[${time(m.createdAt)}] (private) ${from}: ${messageLines(m).join(" / ")}`;
}

export function lobbyLine(r: RoomSummary): string {
  const topic = r.topic ? ` — ${r.topic}` : "";
  return `  #${r.name}${topic} (${r.memberCount} members, ${r.onlineCount} online)`;
}

export function conversationLine(c: ConversationSummary): string {
  const unread = c.unread > 0 ? `, ${c.unread} unread` : "";
  return `  @${c.with.username} (${c.with.online ? "online" : "offline"}${unread})`;
}
