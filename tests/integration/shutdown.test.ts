import { describe, expect, it } from "vitest";
import { openDatabase } from "../../server/db.ts";
import type { Ack, Replies } from "../../server/protocol/index.ts";
import { createTestDatabase } from "../helpers/database.ts";
import { connectAs, createUser, ok, startServer, waitFor } from "../helpers/server.ts";

describe("graceful close", () => {
  it("acknowledges only what it stored, stores all it acknowledged, and tells late senders why", async () => {
    const database = await createTestDatabase();
    const server = await startServer({}, database);
    try {
      const alice = await createUser(server);
      const a = await connectAs(server, alice);
      const { room } = await ok(a, "room:create", { name: "closing" });
      const replies: Ack<Replies["message:send"]>[] = [];
      for (let i = 0; i < 200; i++) {
        a.emit("message:send", { roomId: room.id, body: `m${i}`, clientMsgId: `m${i}` }, (reply) => replies.push(reply));
      }
      const gone = new Promise((resolve) => a.once("disconnect", resolve));
      // close once the first sends are stored, while later ones are still arriving
      await waitFor(() => replies.length > 0, 5000, "a first ack");
      await server.komnata.close();
      await gone;

      const reopened = await openDatabase(database.url);
      const stored = await reopened.db.message.findMany({ where: { roomId: room.id }, select: { clientMsgId: true } });
      await reopened.close();
      const acked = replies.flatMap((r) => (r.ok ? [r.message.clientMsgId] : []));
      expect(acked.length).toBeGreaterThan(0);
      expect(stored.map((m) => m.clientMsgId).sort()).toEqual([...acked].sort());
      for (const r of replies) {
        if (!r.ok) expect(r.error.code === "rate_limited" || /shutting down/.test(r.error.message)).toBe(true);
      }
    } finally {
      await database.drop();
    }
  });
});
