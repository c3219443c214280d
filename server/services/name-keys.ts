// What makes two names the same name: case, Unicode compatibility forms and characters that look
// alike (Unicode's UTS #39 confusables: Cyrillic "а" and Latin "a", "0" and "O", fullwidth
// letters). User.usernameKey and Room.nameKey hold this key, so "аlice" (with a Cyrillic а)
// cannot be registered beside "alice", nor "gеneral" beside "general".
import { rectifyConfusion } from "unicode-confusables";
import type { Db } from "../db.ts";
import { isUniqueViolation } from "./errors.ts";

export function nameKeyOf(name: string): string {
  const folded = name.normalize("NFKC").trim().toLowerCase();
  return rectifyConfusion(folded).normalize("NFKC").toLowerCase();
}

/**
 * The keys a name may be stored under: its key, and for accounts and rooms made before keys
 * folded look-alikes (docs/decisions/009-name-keys.md), the plain lower-case name.
 */
export function keysOf(name: string): string[] {
  const legacy = name.normalize("NFKC").trim().toLowerCase();
  const key = nameKeyOf(name);
  return key === legacy ? [key] : [key, legacy];
}

/**
 * Brings every account's and room's key up to date with nameKeyOf (run at start: keys written by
 * an older version folded only case). Where two existing names now fold together, the newer one
 * keeps its old key, so both can still sign in; it is reported.
 */
export async function refreshNameKeys(db: Db): Promise<{ updated: number; collisions: string[] }> {
  let updated = 0;
  const collisions: string[] = [];
  const users = await db.user.findMany({
    select: { id: true, username: true, usernameKey: true },
    orderBy: { createdAt: "asc" },
  });
  for (const u of users) {
    const key = nameKeyOf(u.username);
    if (key === u.usernameKey) continue;
    try {
      await db.user.update({ where: { id: u.id }, data: { usernameKey: key } });
      updated += 1;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      collisions.push(`user ${u.username}`);
    }
  }
  const rooms = await db.room.findMany({ select: { id: true, name: true, nameKey: true }, orderBy: { createdAt: "asc" } });
  for (const r of rooms) {
    const key = nameKeyOf(r.name);
    if (key === r.nameKey) continue;
    try {
      await db.room.update({ where: { id: r.id }, data: { nameKey: key } });
      updated += 1;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      collisions.push(`room ${r.name}`);
    }
  }
  return { updated, collisions };
}
