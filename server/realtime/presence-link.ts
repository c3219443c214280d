// Presence across nodes (with REDIS_URL): each node publishes what its own sockets change (a user
// came online here, went offline here, joined or left a room) on one Redis channel, and applies
// what the others publish (presence.ts keeps the whole picture). Every node also publishes a
// heartbeat every third of PRESENCE_TTL_MS; a node not heard for PRESENCE_TTL_MS (it died, or lost
// Redis) has its users dropped, so nobody stays online forever. A node heard for the first time
// (it started, or came back) is asked for its users in full, and answers anyone who asks.
import { randomUUID } from "node:crypto";
import type { Logger } from "../log.ts";
import type { RedisClient } from "../redis.ts";
import type { Presence, PresenceOp, PresenceUser } from "./presence.ts";

type Message = { n: string } & (
  | PresenceOp
  | { op: "beat" }
  | { op: "bye" }
  | { op: "hello"; to?: string }
  | { op: "snap"; users: PresenceUser[] }
);

export interface PresenceLink {
  /** this node's id among the nodes */
  node: string;
  close(): Promise<void>;
}

export async function linkPresence(
  presence: Presence,
  pub: RedisClient,
  sub: RedisClient,
  { channel, ttlMs, log }: { channel: string; ttlMs: number; log: Logger },
): Promise<PresenceLink> {
  const node = randomUUID();
  const lastHeard = new Map<string, number>();
  const publish = (message: Message) => {
    pub.publish(channel, JSON.stringify(message)).catch(() => undefined);
  };

  const onMessage = (raw: string) => {
    let message: Message;
    try {
      message = JSON.parse(raw) as Message;
    } catch {
      return;
    }
    const from = message.n;
    if (from === node) return;
    const known = lastHeard.has(from);
    lastHeard.set(from, Date.now());
    switch (message.op) {
      case "hello":
        if (message.to === undefined || message.to === node) publish({ n: node, op: "snap", users: presence.localUsers() });
        return;
      case "snap":
        presence.replaceNode(from, message.users);
        return;
      case "bye":
        lastHeard.delete(from);
        presence.forgetNode(from);
        return;
      case "beat":
        break;
      default:
        presence.apply(from, message);
    }
    // a node heard for the first time: what it has so far, in full
    if (!known) publish({ n: node, op: "hello", to: from });
  };

  presence.onLocal = (op) => publish({ n: node, ...op });
  await sub.subscribe(channel, onMessage);
  // everyone answers with what they have
  publish({ n: node, op: "hello" });

  const timer = setInterval(
    () => {
      publish({ n: node, op: "beat" });
      const silentSince = Date.now() - ttlMs;
      for (const [other, heard] of lastHeard) {
        if (heard >= silentSince) continue;
        lastHeard.delete(other);
        log.warn({ node: other }, "a node has not been heard from: its users are offline");
        presence.forgetNode(other);
      }
    },
    Math.max(100, Math.floor(ttlMs / 3)),
  );
  timer.unref();

  return {
    node,
    async close() {
      clearInterval(timer);
      presence.onLocal = () => undefined;
      await pub.publish(channel, JSON.stringify({ n: node, op: "bye" } satisfies Message)).catch(() => undefined);
      await sub.unsubscribe(channel, onMessage).catch(() => undefined);
    },
  };
}
