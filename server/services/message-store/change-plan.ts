// What a change to a stored message does (an edit, a deletion, a reaction), the same for both
// providers and testable without a database: who may, what it writes, which other messages change.
import type { PublicUser } from "../../protocol/index.ts";
import { MAX_REACTIONS_PER_MESSAGE } from "../../protocol/limits.ts";
import { AppError } from "../errors.ts";
import type { Changed, MessageChange, Outcome } from "../messages.ts";
import type { Row, RowWrite, Scope } from "./types.ts";
import { quoting, reactionsOf, toWrite } from "./wire.ts";

/** What a change needs read beside its message: the replies to it, and the original it replies to. */
export function relatedTo(row: Row | undefined, change: MessageChange) {
  const changesText = (change.kind === "edit" || change.kind === "delete") && row !== undefined && row.deletedAt === null;
  return {
    // their quotes show its text
    replies: changesText && Number(row.replyCount) > 0,
    // a deleted reply no longer counts
    originalId: changesText && change.kind === "delete" ? row.replyToId : null,
  };
}

/** What a change writes, once the store has taken its revs. */
export interface ChangeWrites<W> {
  outcome: Changed<W>;
  /** every message whose columns change, each with its new rev */
  rows: RowWrite[];
  /** the body it replaces, to keep (an edit's or a deletion's) */
  version: { messageId: string; body: string } | null;
}

/** The reactions of `row` with `change` (a reaction) made; null: nothing changes; an AppError: refused. */
function react(row: Row, change: { emoji: string; add: boolean; author: PublicUser }): string | null | AppError {
  const reactions = reactionsOf(row);
  const at = reactions.findIndex((r) => r.emoji === change.emoji);
  const mine = at !== -1 && reactions[at].users.some((u) => u.id === change.author.id);
  if (change.add === mine) return null;
  if (change.add) {
    if (at === -1) {
      if (reactions.length >= MAX_REACTIONS_PER_MESSAGE) {
        return new AppError("conflict", `A message can have at most ${MAX_REACTIONS_PER_MESSAGE} different reactions.`);
      }
      reactions.push({ emoji: change.emoji, count: 0, users: [] });
    }
    const r = reactions[at === -1 ? reactions.length - 1 : at];
    r.users.push({ id: change.author.id, username: change.author.username });
    r.count = r.users.length;
  } else {
    const r = reactions[at];
    r.users = r.users.filter((u) => u.id !== change.author.id);
    r.count = r.users.length;
    if (r.count === 0) reactions.splice(at, 1);
  }
  return reactions.length === 0 ? "" : JSON.stringify(reactions);
}

/**
 * What `change` does to `row` (the message as stored, if it exists), the same for both
 * providers: `done` when there is nothing to write (refused: no such message, a deleted one,
 * someone else's to edit or delete, too many reactions; or nothing new: the same body, a
 * reaction already there or not there); else `revs`, how many revs the store takes, and
 * `apply`, which gives what to write and the messages as they are after it. `related` is what
 * `relatedTo` asked for: the replies to the message (not deleted) and the original it replies to.
 */
export function planChange<W>(
  scope: Scope<W>,
  scopeId: string,
  row: Row | undefined,
  change: MessageChange,
  related: { replies: Row[]; original?: Row } = { replies: [] },
): { done: Outcome<W> } | { revs: number; apply(firstRev: number, at: Date): ChangeWrites<W> } {
  if (!row || row.deletedAt !== null) return { done: { refused: new AppError("not_found", "No such message.") } };
  const unchanged: { done: Outcome<W> } = {
    done: { message: scope.wire(scopeId, row), changed: false, removedFile: null, alsoChanged: [] },
  };
  if (change.kind === "pin") {
    if ((row.pinnedAt !== null) === change.pinned) return unchanged;
    return {
      revs: 1,
      apply(rev, at) {
        const now = { ...row, rev, pinnedAt: change.pinned ? at : null, pinnedById: change.pinned ? change.author.id : null };
        const outcome = { message: scope.wire(scopeId, now), changed: true, removedFile: null, alsoChanged: [] };
        return { outcome, rows: [toWrite(now)], version: null };
      },
    };
  }
  if (change.kind === "react") {
    const reactions = react(row, change);
    if (reactions === null) return unchanged;
    if (reactions instanceof AppError) return { done: { refused: reactions } };
    return {
      revs: 1,
      apply(rev) {
        const now = { ...row, rev, reactions: reactions === "" ? null : reactions };
        const outcome = { message: scope.wire(scopeId, now), changed: true, removedFile: null, alsoChanged: [] };
        return { outcome, rows: [toWrite(now)], version: null };
      },
    };
  }
  const moderated = change.kind === "delete" && change.moderator === true && row.authorId !== change.author.id;
  if (row.authorId !== change.author.id && !moderated) {
    const what = change.kind === "edit" ? "edit" : "delete";
    return { done: { refused: new AppError("forbidden", `Only its author can ${what} a message.`) } };
  }
  if (change.kind === "edit" && change.body === row.body) return unchanged;
  const { replies, original } = related;
  return {
    revs: 1 + replies.length + (original ? 1 : 0),
    apply(rev, at) {
      const now: Row =
        change.kind === "edit"
          ? { ...row, rev, body: change.body, editedAt: at, mentions: change.mentions ?? null }
          : {
              ...row,
              rev,
              body: "",
              deletedAt: at,
              deletedById: moderated ? change.author.id : null,
              pinnedAt: null,
              pinnedById: null,
              reactions: null,
              mentions: null,
              fileRemovedAt: row.fileId === null ? null : (row.fileRemovedAt ?? at),
            };
      // the replies quote it as it is now; a deleted reply no longer counts for its original
      const others = replies.map((reply, i) => ({ ...quoting(reply, now), rev: rev + 1 + i }));
      if (original) {
        others.push({ ...original, replyCount: Math.max(0, Number(original.replyCount) - 1), rev: rev + 1 + replies.length });
      }
      // a deletion takes its file's bytes with it (unless the uploader removed them already)
      const removedFile =
        change.kind === "delete" && row.fileId !== null && row.fileRemovedAt === null
          ? { id: row.fileId, thumbnail: row.thumbWidth !== null }
          : null;
      return {
        outcome: {
          message: scope.wire(scopeId, now),
          changed: true,
          removedFile,
          alsoChanged: others.map((other) => scope.wire(scopeId, other)),
        },
        rows: [toWrite(now), ...others.map(toWrite)],
        version: { messageId: row.id, body: row.body },
      };
    },
  };
}
