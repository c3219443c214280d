// Sign-outs made outside this process reach its connections here: `npm run admin` in a shell
// (deactivate, reset-password), or another node when no Redis links them. Every second the
// accounts whose sessions were cut since the last look are read, and each of their connections on
// this node is checked again as at its handshake (sessions.check); those that no longer pass are
// closed. Sign-outs made on a node close their connections at once without waiting for this
// (notifier.endSessions).
import type { Logger } from "pino";
import type { Db } from "../db.ts";
import type { HotReads } from "../services/message-store/index.ts";
import type { SessionService } from "../services/sessions.ts";
import { type KomnataServer, userChannel } from "./context.ts";

/** How often another process's sign-outs are looked for. */
export const REVOCATION_POLL_MS = 1000;

export interface RevocationWatch {
  stop(): void;
}

export async function watchRevocations(
  {
    db,
    reads,
    io,
    sessions,
    log,
  }: { db: Db; reads: Pick<HotReads, "signedOutSince">; io: KomnataServer; sessions: SessionService; log: Logger },
  everyMs = REVOCATION_POLL_MS,
): Promise<RevocationWatch> {
  // what was cut before this node started concerns no connection of it
  const start = await db.user.aggregate({ _max: { sessionsValidAfter: true } });
  let since = start._max.sessionsValidAfter ?? new Date(0);
  let looking = false;

  const look = async () => {
    // `gte`: a second sign-out in the same millisecond as the last one seen is not missed. A
    // prepared statement (hot-reads.ts), not Prisma's query builder, which would compile the
    // query on the event loop every second.
    const cut = await reads.signedOutSince(since);
    for (const { id, sessionsValidAfter } of cut) {
      if (sessionsValidAfter > since) since = sessionsValidAfter;
      for (const socket of await io.local.in(userChannel(id)).fetchSockets()) {
        const { user, sid, authTime } = socket.data;
        if ((await sessions.check({ user, sid, authTime })) === null) socket.disconnect(true);
      }
    }
  };
  const timer = setInterval(() => {
    if (looking) return;
    looking = true;
    look()
      .catch((error: unknown) => log.warn({ err: error }, "looking for sign-outs made elsewhere failed"))
      .finally(() => {
        looking = false;
      });
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
