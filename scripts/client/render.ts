// How the terminal client prints what the server sends: one line per event, so a script can read
// it, in the client's language (words.ts).
import type {
  ConversationSummary,
  RoomSummary,
  SearchResult,
  WireDirectMessage,
  WireMessageBase,
} from "../../server/protocol/index.ts";
import { snippet } from "../../server/protocol/search.ts";
import type { Say } from "./words.ts";

/** "8 B", "2.4 MB" ("2,4 МБ"): the same units and rounding as the pages. */
export function formatSize(say: Say, bytes: number, locale: string): string {
  const n = (value: number, digits: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
  if (bytes < 1024) return say("format.size.B", { n: n(bytes, 0) });
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return say(`format.size.${units[unit]}`, { n: n(value, value < 10 ? 1 : 0) });
}

/** "👍 2  🎉 1": a message's reactions with their counts */
const reactionsLine = (m: Pick<WireMessageBase, "reactions">) => m.reactions.map((r) => `${r.emoji} ${r.count}`).join("  ");

/** How much of a file's id is printed: enough to be unique among the files anyone sees. */
export const SHORT_ID = 8;

/** hh:mm in the local time zone */
export const time = (iso: string) => new Date(iso).toTimeString().slice(0, 5);

/** `text` with each of `ranges` between stars. */
function starred(text: string, ranges: [number, number][]): string {
  let out = "";
  let at = 0;
  for (const [s, e] of ranges) {
    out += `${text.slice(at, s)}*${text.slice(s, e)}*`;
    at = e;
  }
  return out + text.slice(at);
}

/** Renders lines in one language. */
export class Render {
  constructor(
    readonly say: Say,
    readonly locale: string,
  ) {}

  size(bytes: number): string {
    return formatSize(this.say, bytes, this.locale);
  }

  /** A message's lines: its text, a shared file with the command that saves it, its reactions. */
  messageLines(
    m: Pick<WireMessageBase, "body" | "file" | "editedAt" | "deletedAt" | "deletedByModerator" | "reactions">,
  ): string[] {
    if (m.deletedAt) return [this.say(m.deletedByModerator ? "terminal.removedByModerator" : "terminal.deleted")];
    const text = m.body ? m.body.split("\n") : [];
    if (m.editedAt && text.length > 0) text[text.length - 1] += ` ${this.say("terminal.edited")}`;
    if (m.file?.removed) text.push(this.say("terminal.fileRemoved"));
    else if (m.file) {
      text.push(
        this.say("terminal.fileLine", {
          name: m.file.name,
          size: this.size(m.file.size),
          type: m.file.type,
          id: m.file.id.slice(0, SHORT_ID),
        }),
      );
    }
    if (m.reactions.length > 0) text.push(reactionsLine(m));
    return text;
  }

  /** What a change line is printed for: when it was edited, whether deleted, its reactions. */
  state(m: WireMessageBase): string[] {
    return [m.editedAt ?? "", m.deletedAt ? "deleted" : "", reactionsLine(m)];
  }

  /** A line for each thing that changed between two states of a message printed earlier. */
  changes(m: WireMessageBase, before: string[], now: string[]): string[] {
    const { username } = m.author;
    if (m.deletedAt) {
      if (before[1]) return [];
      const key = m.deletedByModerator ? "terminal.moderatorDeleted" : "terminal.deletedBy";
      return [this.say(key, { username, time: time(m.createdAt) })];
    }
    const lines: string[] = [];
    if (now[0] !== before[0]) lines.push(this.say("terminal.editedBy", { username, body: m.body.split("\n").join(" / ") }));
    if (now[2] !== before[2]) lines.push(this.say("terminal.reactionsOn", { seq: m.seq, reactions: now[2] || "—" }));
    return lines;
  }

  /** A room message: time, seq and author with the first line, further lines indented below. */
  roomMessage(m: WireMessageBase): string[] {
    const [first, ...more] = this.messageLines(m);
    const quote = m.replyTo
      ? [
          `        ${this.say("terminal.replyTo", { username: m.replyTo.author.username, seq: m.replyTo.seq, excerpt: m.replyTo.deleted ? this.say("terminal.deleted") : m.replyTo.excerpt })}`,
        ]
      : [];
    // a webhook's message under the name it asked for
    const author = m.via?.name ? `${m.via.name} (${this.say("terminal.viaWebhook")})` : m.author.username;
    return [`[${time(m.createdAt)} #${m.seq}] ${author}: ${first}`, ...quote, ...more.map((line) => `        ${line}`)];
  }

  /** A private message on one line, wherever you are. */
  privateMessage(m: WireDirectMessage, me: string): string {
    const from = m.author.username === me ? this.say("terminal.you") : m.author.username;
    return `[${time(m.createdAt)}] ${this.say("terminal.private")} ${from}: ${this.messageLines(m).join(" / ")}`;
  }

  /** A search result: when, where, who and the matching part (matches in *stars*), then the command that shows it in its place. */
  searchResult(r: SearchResult): string[] {
    const m = r.message;
    const where = r.room ? `#${r.room.name}` : `@${r.conversation?.with.username ?? "?"}`;
    const { text, ranges } = snippet(m.body, r.highlights.body);
    const file = m.file && !m.file.removed ? `📎 ${starred(m.file.name, r.highlights.file)}` : "";
    const body = [starred(text, ranges), file].filter(Boolean).join(" ");
    const at = new Date(m.createdAt).toLocaleString(this.locale, {
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
    });
    return [`  [${at}] ${where} #${m.seq} ${m.author.username}: ${body}`, `      /show ${where} ${m.seq}`];
  }

  lobbyLine(r: RoomSummary): string {
    const topic = r.topic ? ` — ${r.topic}` : "";
    return `  #${r.name}${topic} (${this.say("terminal.members", { count: r.memberCount })}, ${this.say("terminal.online", { count: r.onlineCount })})`;
  }

  conversationLine(c: ConversationSummary): string {
    const status = this.say(c.with.online ? "terminal.isOnline" : "terminal.isOffline");
    const unread = c.unread > 0 ? `, ${this.say("terminal.unread", { count: c.unread })}` : "";
    return `  @${c.with.username} (${status}${unread})`;
  }
}
