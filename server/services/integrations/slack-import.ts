// A Slack export becomes Komnata rooms (`npm run admin -- import-slack PATH.zip`): each channel a
// new room (private channels private, archived ones archived) with its history in order, `seq`
// gapless from 1, original times, threads as replies, reactions, edits' times, and files when
// the export has them. People are matched by username (as sign-in folds names); anyone else
// becomes a deactivated account of that name (an admin can reactivate it and issue a password
// link); Slack's bots become bot accounts of the server's first admin. A channel is written a
// slice at a time and stays invisible (private, no members) until its last slice is in.
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { orderedId } from "../../db/ordered-id.ts";
import type { Db } from "../../db.ts";
import { safeFileName } from "../../files/names.ts";
import type { FileStorage } from "../../files/storage.ts";
import { findMentions, isOneEmoji, type PublicUser, type Reaction, storedMentions } from "../../protocol/index.ts";
import { keysOf, nameKeyOf } from "../name-keys.ts";
import { usernameFrom } from "./bots.ts";
import { hookMessage } from "./slack.ts";
import { openSlackExport, type SlackChannel, type SlackMessage, tsMs } from "./slack-export.ts";

/** Messages Slack writes about the channel itself, not from anyone: left out. */
const SYSTEM = new Set([
  "channel_join",
  "channel_leave",
  "channel_topic",
  "channel_purpose",
  "channel_name",
  "channel_archive",
  "channel_unarchive",
  "bot_add",
  "bot_remove",
  "pinned_item",
  "group_join",
  "group_leave",
]);
/** A slice of a channel written in one transaction. */
const SLICE = 1000;
const NO_PASSWORD = "!imported";
/** The largest file taken from an export (what PostgreSQL's File.size holds). */
const MAX_FILE_BYTES = 2047 * 1024 * 1024;

const require = createRequire(import.meta.url);
const SHORTCODES = require("emojibase-data/en/shortcodes/iamcal.json") as Record<string, string | string[]>;
const EMOJI = new Map<string, string>();
for (const [hex, names] of Object.entries(SHORTCODES)) {
  const emoji = String.fromCodePoint(...hex.split("-").map((h) => Number.parseInt(h, 16)));
  for (const name of Array.isArray(names) ? names : [names]) EMOJI.set(name, emoji);
}

/** A Slack reaction's name as ours: the emoji itself, or `:name:` for a custom one. */
export function reactionEmoji(name: string): string | null {
  const plain = name.replace(/::skin-tone-\d$/, "");
  const emoji = EMOJI.get(plain);
  if (emoji && isOneEmoji(emoji)) return emoji;
  return /^[a-z0-9_+-]{1,62}$/.test(plain) ? `:${plain}:` : null;
}

/** A Slack name as a Komnata username: its letters, digits, _ . -; 3 to 32 of them. */
function usernameOf(name: string, fallback: string): string {
  const cleaned = usernameFrom(name, 32);
  return cleaned.length >= 3 ? cleaned : fallback;
}

export interface ImportReport {
  rooms: { name: string; from: string; messages: number; files: number }[];
  matched: number;
  created: number;
}

export async function importSlack(
  path: string,
  { db, storage, log }: { db: Db; storage: FileStorage; log: (line: string) => void },
): Promise<ImportReport> {
  const slack = await openSlackExport(path);
  try {
    const admin = await db.user.findFirst({ where: { isAdmin: true, deactivatedAt: null }, orderBy: { createdAt: "asc" } });
    if (!admin) throw new Error("This server has no admin yet: make its first account before importing.");
    const adminId = admin.id;
    const report: ImportReport = { rooms: [], matched: 0, created: 0 };

    // people (and Slack's bots): matched by name, else made, deactivated
    const people = new Map<string, PublicUser>();
    const takeName = async (wanted: string) => {
      for (let n = 1; ; n++) {
        const name = n === 1 ? wanted : `${wanted.slice(0, 28)}-${n}`;
        if ((await db.user.count({ where: { usernameKey: nameKeyOf(name) } })) === 0) return name;
      }
    };
    for (const u of slack.users) {
      const existing = await db.user.findFirst({
        where: { usernameKey: { in: keysOf(u.name) } },
        select: { id: true, username: true },
      });
      if (existing && !u.is_bot) {
        people.set(u.id, existing);
        report.matched++;
        continue;
      }
      const username = await takeName(usernameOf(u.name, `slack-${u.id.toLowerCase()}`));
      const made = await db.user.create({
        data: {
          id: randomUUID(),
          username,
          usernameKey: nameKeyOf(username),
          passwordHash: NO_PASSWORD,
          displayName: (u.profile?.real_name || u.real_name || "").slice(0, 64) || null,
          deactivatedAt: new Date(),
          botOwnerId: u.is_bot ? adminId : null,
        },
        select: { id: true, username: true },
      });
      people.set(u.id, made);
      report.created++;
    }
    const botByName = new Map<string, PublicUser>();
    const authorOf = async (m: SlackMessage): Promise<PublicUser> => {
      const person = m.user ? people.get(m.user) : undefined;
      if (person) return person;
      const name = usernameOf(m.bot_profile?.name ?? m.username ?? "slack-bot", "slack-bot");
      let bot = botByName.get(name);
      if (!bot) {
        const username = await takeName(name);
        bot = await db.user.create({
          data: {
            id: randomUUID(),
            username,
            usernameKey: nameKeyOf(username),
            passwordHash: NO_PASSWORD,
            deactivatedAt: new Date(),
            botOwnerId: adminId,
          },
          select: { id: true, username: true },
        });
        botByName.set(name, bot);
      }
      return bot;
    };
    const mentionNames = (text: string) =>
      text
        .replace(/<@(\w+)(?:\|[^>]*)?>/g, (whole, id: string) => (people.get(id) ? `@${people.get(id)?.username}` : whole))
        .replace(/<#\w+\|([^>]+)>/g, "#$1");

    for (const channel of slack.channels) report.rooms.push(await importChannel(channel));
    return report;

    async function importChannel(channel: SlackChannel) {
      let name = channel.name.slice(0, 64);
      // a name taken here: general-slack, general-slack-2…
      for (let n = 1; (await db.room.count({ where: { nameKey: nameKeyOf(name) } })) > 0; n++) {
        name = `${channel.name.slice(0, 54)}-slack${n > 1 ? `-${n}` : ""}`;
      }
      const roomId = randomUUID();
      const members = [...new Set(channel.members ?? [])].flatMap((id) => people.get(id) ?? []);
      const createdAt = new Date((channel.created ?? Date.now() / 1000) * 1000);
      // invisible while it fills: private, nobody in it
      await db.room.create({
        data: {
          id: roomId,
          name,
          nameKey: nameKeyOf(name),
          topic: (channel.topic?.value || channel.purpose?.value || "").slice(0, 256) || null,
          createdById: (channel.creator && people.get(channel.creator)?.id) || adminId,
          createdAt,
          activityAt: createdAt,
          visibility: "private",
        },
      });
      const messages = (await slack.messages(channel)).filter(
        (m) => (m.type ?? "message") === "message" && !SYSTEM.has(m.subtype ?? ""),
      );
      const idOfTs = new Map<string, string>();
      const replies = new Map<string, number>();
      let seq = 0;
      let files = 0;
      for (let at = 0; at < messages.length; at += SLICE) {
        const rows = [];
        const fileRows = [];
        for (const m of messages.slice(at, at + SLICE)) {
          const author = await authorOf(m);
          const converted = hookMessage({
            text: mentionNames(m.text ?? ""),
            attachments: m.attachments,
            blocks: m.text ? undefined : m.blocks,
          });
          let body = converted?.body ?? "";
          const id = orderedId(tsMs(m.ts));
          let fileId: string | null = null;
          const [first, ...more] = m.files ?? [];
          const bytes = first ? await slack.file(first) : null;
          if (first && bytes) {
            const staged = await storage.stage(bytes, MAX_FILE_BYTES);
            fileId = randomUUID();
            await staged.commit(fileId);
            const fileName = safeFileName(first.name ?? first.title ?? "file");
            fileRows.push({
              id: fileId,
              name: fileName,
              nameKey: fileName.toLowerCase(),
              size: staged.size,
              mimeType: first.mimetype || "application/octet-stream",
              sha256: staged.sha256,
              uploaderId: author.id,
              roomId,
              createdAt: new Date(tsMs(m.ts)),
            });
            files++;
          }
          const missing = [...(fileId ? more : (m.files ?? []))].map((f) => f.name ?? f.title ?? "file");
          if (missing.length > 0) body = `${body}${body ? "\n\n" : ""}_(files not in the export: ${missing.join(", ")})_`;
          if (!body && !fileId) continue;
          seq++;
          idOfTs.set(m.ts, id);
          const parent = m.thread_ts && m.thread_ts !== m.ts ? idOfTs.get(m.thread_ts) : undefined;
          if (parent) replies.set(parent, (replies.get(parent) ?? 0) + 1);
          const reactions: Reaction[] = (m.reactions ?? []).flatMap((r) => {
            const emoji = reactionEmoji(r.name);
            const users = (r.users ?? []).flatMap((u) => people.get(u) ?? []);
            return emoji && users.length > 0 ? [{ emoji, count: users.length, users }] : [];
          });
          const found = findMentions(body, members);
          rows.push({
            id,
            roomId,
            seq,
            rev: seq,
            authorId: author.id,
            body: body.slice(0, 4000),
            clientMsgId: `slack-${m.ts.replace(/\D/g, "")}`,
            createdAt: new Date(tsMs(m.ts)),
            editedAt: m.edited?.ts ? new Date(tsMs(m.edited.ts)) : null,
            fileId,
            replyToId: parent ?? null,
            reactions: reactions.length > 0 ? JSON.stringify(reactions) : null,
            mentions: storedMentions(found, () => false, members),
            ...(m.username && !m.user
              ? { via: JSON.stringify({ name: m.username.slice(0, 64), iconUrl: m.icons?.image_48 ?? null }) }
              : {}),
          });
        }
        await db.$transaction([db.file.createMany({ data: fileRows }), db.message.createMany({ data: rows })]);
      }
      // reply counts, the room's counters, the members; then it is seen
      for (const [id, count] of replies) await db.message.update({ where: { id }, data: { replyCount: count } });
      const last = messages.length > 0 ? new Date(tsMs(messages[messages.length - 1].ts)) : null;
      const owner = members.find((p) => p.id === (channel.creator && people.get(channel.creator)?.id)) ?? members[0];
      await db.$transaction([
        db.membership.createMany({
          data: members.map((p) => ({ roomId, userId: p.id, lastReadSeq: seq, role: p.id === owner?.id ? "owner" : "member" })),
        }),
        db.room.update({
          where: { id: roomId },
          data: {
            lastSeq: seq,
            rev: seq,
            lastMessageAt: seq > 0 ? last : null,
            activityAt: last ?? createdAt,
            visibility: channel.private ? "private" : "public",
            archivedAt: channel.is_archived ? new Date() : null,
          },
        }),
        // found by search: the server folds these entries' text (search backfill)
        db.$executeRaw`INSERT INTO "SearchText" ("messageId", "roomId", "conversationId", "authorId", "createdAt", "fileType", "text")
          SELECT m.id, m."roomId", NULL, m."authorId", m."createdAt",
            (SELECT f."mimeType" FROM "File" f WHERE f.id = m."fileId"), ''
          FROM "Message" m WHERE m."roomId" = ${roomId} ORDER BY m.seq`,
      ]);
      log(
        `#${channel.name} → #${name}: ${seq} messages, ${files} files${channel.private ? " (private)" : ""}${channel.is_archived ? " (archived)" : ""}`,
      );
      return { name, from: channel.name, messages: seq, files };
    }
  } finally {
    slack.close();
  }
}
