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
  const result = { updated: 0, collisions: [] as string[] };
  /** Rewrites each stale key, oldest first, so that in a collision the older name keeps the new key. */
  const refresh = async (
    kind: string,
    rows: { id: string; name: string; key: string }[],
    save: (id: string, key: string) => Promise<unknown>,
  ) => {
    for (const row of rows) {
      const key = nameKeyOf(row.name);
      if (key === row.key) continue;
      try {
        await save(row.id, key);
        result.updated += 1;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        result.collisions.push(`${kind} ${row.name}`);
      }
    }
  };
  const users = await db.user.findMany({
    select: { id: true, username: true, usernameKey: true },
    orderBy: { createdAt: "asc" },
  });
  await refresh(
    "user",
    users.map((u) => ({ id: u.id, name: u.username, key: u.usernameKey })),
    (id, usernameKey) => db.user.update({ where: { id }, data: { usernameKey } }),
  );
  const rooms = await db.room.findMany({ select: { id: true, name: true, nameKey: true }, orderBy: { createdAt: "asc" } });
  await refresh(
    "room",
    rooms.map((r) => ({ id: r.id, name: r.name, key: r.nameKey })),
    (id, nameKey) => db.room.update({ where: { id }, data: { nameKey } }),
  );
  return result;
}
