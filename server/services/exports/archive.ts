// What an export zip holds, written as a stream: `messages.json` (or several, one per room or
// conversation), the files by name under `files/`, and an `index.html` that reads offline (no
// script, no outside address: every file link is relative). Messages are read a page at a time
// while the zip is written, twice (once for the JSON, once for the page), so a room of any size
// takes the memory of one page.
import { Readable } from "node:stream";
import yazl from "yazl";
import type { WireDirectMessage, WireMessage } from "../../protocol/index.ts";

/** A message as an export keeps it. */
export interface ExportedMessage {
  id: string;
  /** set in a person's export, where messages of several rooms are together */
  roomId?: string;
  seq: number;
  author: { id: string; username: string };
  createdAt: string;
  body: string;
  editedAt: string | null;
  /** earlier texts, oldest first */
  edits: { body: string; replacedAt: string }[];
  deletedAt: string | null;
  replyTo: { id: string; seq: number } | null;
  reactions: { emoji: string; users: string[] }[];
  /** where the file is in the zip; null: none, or removed */
  file: { name: string; size: number; type: string; path: string } | null;
  via?: { name: string; iconUrl: string | null };
}

/** One thread of an export: a room or a conversation, and how to read its messages page by page. */
export interface Thread {
  /** the JSON file it goes to (`messages.json`, `conversations/ana.json`) */
  path: string;
  title: string;
  /** what the JSON says about the thread beside its messages */
  about: Record<string, unknown>;
  /** pages of messages in seq order; `edits` of each page's ids */
  pages(): AsyncIterable<(WireMessage | WireDirectMessage)[]>;
  edits(ids: string[]): Promise<Map<string, { body: string; replacedAt: string }[]>>;
}

export const filePath = (file: { id: string; name: string }) => `files/${file.id}/${file.name}`;

export function exported(m: WireMessage | WireDirectMessage, edits: ExportedMessage["edits"]): ExportedMessage {
  return {
    id: m.id,
    ...("roomId" in m ? { roomId: m.roomId } : {}),
    seq: m.seq,
    author: m.author,
    createdAt: m.createdAt,
    body: m.body,
    editedAt: m.editedAt,
    edits,
    deletedAt: m.deletedAt,
    replyTo: m.replyTo && { id: m.replyTo.id, seq: m.replyTo.seq },
    reactions: m.reactions.map((r) => ({ emoji: r.emoji, users: r.users.map((u) => u.username) })),
    file: m.file && !m.file.removed ? { name: m.file.name, size: m.file.size, type: m.file.type, path: filePath(m.file) } : null,
    ...(m.via ? { via: m.via } : {}),
  };
}

async function* messagesOf(thread: Thread): AsyncGenerator<ExportedMessage> {
  for await (const page of thread.pages()) {
    const edits = await thread.edits(page.filter((m) => m.editedAt !== null).map((m) => m.id));
    for (const m of page) yield exported(m, edits.get(m.id) ?? []);
  }
}

/** A thread's JSON: its `about`, then its messages one by one, as text chunks. */
async function* threadJson(thread: Thread, exportedAt: string): AsyncGenerator<string> {
  const head = JSON.stringify({ format: "komnata-export/1", exportedAt, ...thread.about }, null, 2);
  yield `${head.slice(0, -2)},\n  "messages": [`;
  let first = true;
  for await (const m of messagesOf(thread)) {
    yield `${first ? "\n" : ",\n"}    ${JSON.stringify(m)}`;
    first = false;
  }
  yield "\n  ]\n}\n";
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);

/** A path inside the zip as a relative link that works from index.html (each segment escaped). */
const href = (path: string) => path.split("/").map(encodeURIComponent).join("/");

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#1e293b}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2.5rem;border-bottom:1px solid #cbd5e1}
.m{margin:.6rem 0;padding:.2rem .5rem;border-radius:.4rem}.m:target{background:#fef3c7}
.who{font-weight:600}.at,.note{color:#64748b;font-size:.8rem}.body{white-space:pre-wrap;word-wrap:break-word}
.reply{border-left:2px solid #94a3b8;padding-left:.4rem;color:#64748b;font-size:.85rem}
.gone{font-style:italic;color:#64748b}.file::before{content:"📎 "}
@media (prefers-color-scheme:dark){body{background:#0f172a;color:#e2e8f0}.m:target{background:#422006}}`;

async function* threadHtml(thread: Thread): AsyncGenerator<string> {
  yield `<h2>${escapeHtml(thread.title)}</h2>\n`;
  let any = false;
  for await (const m of messagesOf(thread)) {
    any = true;
    const who = m.via?.name ? `${m.via.name} (via webhook)` : m.author.username;
    const parts = [
      `<div class="m" id="${escapeHtml(thread.path)}-${m.seq}"><span class="who">${escapeHtml(who)}</span> <span class="at">${escapeHtml(m.createdAt.replace("T", " ").slice(0, 16))} UTC</span>`,
      m.replyTo ? `<div class="reply"><a href="#${escapeHtml(thread.path)}-${m.replyTo.seq}">↩ #${m.replyTo.seq}</a></div>` : "",
      m.deletedAt ? `<div class="gone">deleted</div>` : `<div class="body">${escapeHtml(m.body)}</div>`,
      m.file
        ? `<div class="file"><a href="${href(m.file.path)}">${escapeHtml(m.file.name)}</a> <span class="note">${m.file.size} bytes</span></div>`
        : "",
      m.editedAt ? `<div class="note">edited</div>` : "",
      m.reactions.length > 0
        ? `<div class="note">${m.reactions.map((r) => `${escapeHtml(r.emoji)} ${escapeHtml(r.users.join(", "))}`).join(" · ")}</div>`
        : "",
      "</div>\n",
    ];
    yield parts.join("");
  }
  if (!any) yield `<p class="note">No messages.</p>\n`;
}

async function* indexHtml(title: string, exportedAt: string, threads: Thread[]): AsyncGenerator<string> {
  yield `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(title)}</h1><p class="note">Exported from Komnata on ${escapeHtml(exportedAt)}. Files are in the files folder beside this page.</p>\n`;
  for (const thread of threads) yield* threadHtml(thread);
  yield "</body></html>\n";
}

/** Text chunks as a byte stream, produced only as fast as the zip reads them. */
const streamOf = (chunks: AsyncIterable<string>) =>
  Readable.from(
    (async function* () {
      for await (const chunk of chunks) yield Buffer.from(chunk, "utf8");
    })(),
  );

export interface ArchiveFile {
  id: string;
  name: string;
  open(): Promise<Readable | null>;
}

/**
 * The zip: `extra` JSON files (a profile), each thread's JSON, index.html, then the files. Its
 * bytes come out of the returned stream as they are made.
 */
export function writeArchive(options: {
  title: string;
  threads: Thread[];
  files: ArchiveFile[];
  extra?: Record<string, unknown>;
}): Readable {
  const zip = new yazl.ZipFile();
  const exportedAt = new Date().toISOString();
  for (const [path, value] of Object.entries(options.extra ?? {})) {
    zip.addBuffer(Buffer.from(`${JSON.stringify(value, null, 2)}\n`), path);
  }
  for (const thread of options.threads) zip.addReadStream(streamOf(threadJson(thread, exportedAt)), thread.path);
  zip.addReadStream(streamOf(indexHtml(options.title, exportedAt, options.threads)), "index.html");
  for (const file of options.files) {
    const bytes = Readable.from(
      (async function* () {
        const source = await file.open();
        // a file removed while the export ran: left out (its message already says so)
        if (source) yield* source;
      })(),
    );
    // already compressed (pictures, archives, PDFs) or not: storing costs no time, deflating little
    zip.addReadStream(bytes, filePath(file), { compress: false });
  }
  zip.end();
  return zip.outputStream as Readable;
}
