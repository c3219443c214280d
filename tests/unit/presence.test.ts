// Who is online, with several tabs and several nodes (server/realtime/presence.ts): the picture
// every node keeps, and the changes it tells its own connections and the other nodes.
import { describe, expect, it } from "vitest";
import { Presence, type PresenceChange, type PresenceOp } from "../../server/realtime/presence.ts";

function watched() {
  const presence = new Presence();
  const changes: PresenceChange[] = [];
  const ops: PresenceOp[] = [];
  // each room whose online count changed, with the count then
  const counts: string[] = [];
  presence.onChange = (c) => changes.push(c);
  presence.onLocal = (op) => ops.push(op);
  presence.onRoomCount = (roomId) => counts.push(`${roomId}=${presence.onlineCount(roomId)}`);
  return { presence, changes, ops, counts };
}

const ann = { id: "u-ann", username: "ann" };
const bob = { id: "u-bob", username: "bob" };

describe("Presence", () => {
  it("keeps a user online until their last tab closes, and their tabs share one user object", () => {
    const { presence, changes, ops } = watched();
    const first = presence.connected({ ...ann }, ["r1", "r2"]);
    const second = presence.connected({ ...ann }, ["r1", "r2"]);
    expect(second).toBe(first);
    expect(presence.isOnline(ann.id)).toBe(true);
    expect(presence.onlineCount("r1")).toBe(1);
    expect(presence.localUserCount).toBe(1);
    expect(changes).toEqual([{ userId: ann.id, username: "ann", online: true, roomIds: ["r1", "r2"], conversationIds: [] }]);
    expect(ops).toEqual([{ op: "on", userId: ann.id, username: "ann", roomIds: ["r1", "r2"], conversationIds: [] }]);

    presence.disconnected(ann.id);
    expect(presence.isOnline(ann.id)).toBe(true);
    presence.disconnected(ann.id);
    expect(presence.isOnline(ann.id)).toBe(false);
    expect(presence.onlineCount("r1")).toBe(0);
    expect(presence.localUserCount).toBe(0);
    expect(presence.onlineUsers).toBe(0);
    expect(changes.at(-1)).toEqual({
      userId: ann.id,
      username: "ann",
      online: false,
      roomIds: ["r1", "r2"],
      conversationIds: [],
    });
    expect(ops.at(-1)).toEqual({ op: "off", userId: ann.id });
    // a close of a socket it never counted changes nothing
    presence.disconnected(ann.id);
    expect(changes).toHaveLength(2);
  });

  it("follows rooms joined and left while online, and forgets a room's count when its last member goes", () => {
    const { presence, ops, counts } = watched();
    presence.connected(ann, []);
    presence.connected(bob, ["r1"]);
    presence.joined(ann.id, "r1");
    presence.joined(ann.id, "r1");
    expect(presence.onlineCount("r1")).toBe(2);
    expect(presence.roomIdsOf(ann.id)).toEqual(["r1"]);
    presence.left(bob.id, "r1");
    expect(presence.onlineCount("r1")).toBe(1);
    expect(presence.roomIdsOf(bob.id)).toEqual([]);
    expect(ops.filter((o) => o.op === "join" || o.op === "leave")).toHaveLength(3);
    // someone offline joining changes no count
    presence.joined("u-nobody", "r1");
    expect(presence.onlineCount("r1")).toBe(1);
    // each change of a count is told once: joining twice, a second tab, leaving twice are not
    presence.connected(ann, ["r1"]);
    presence.left(bob.id, "r1");
    presence.disconnected(ann.id);
    presence.disconnected(ann.id);
    expect(counts).toEqual(["r1=1", "r1=2", "r1=1", "r1=0"]);
  });

  it("tells the people a user talks with privately, with the conversations started while online, on every node", () => {
    const { presence, changes, ops } = watched();
    presence.connected(ann, ["r1"], ["c1"]);
    expect(changes.at(-1)).toMatchObject({ userId: ann.id, online: true, roomIds: ["r1"], conversationIds: ["c1"] });
    expect(ops.at(-1)).toMatchObject({ op: "on", conversationIds: ["c1"] });
    // a new conversation: the other nodes hear of it too
    presence.talks(ann.id, "c2");
    presence.talks(ann.id, "c2");
    expect(ops.filter((o) => o.op === "talk")).toEqual([
      { op: "talk", userId: ann.id, conversationId: "c2" },
      { op: "talk", userId: ann.id, conversationId: "c2" },
    ]);
    expect(presence.localUsers()).toEqual([{ userId: ann.id, username: "ann", roomIds: ["r1"], conversationIds: ["c1", "c2"] }]);
    presence.disconnected(ann.id);
    expect(changes.at(-1)).toMatchObject({ userId: ann.id, online: false, conversationIds: ["c1", "c2"] });

    // bob, on node b, starts one there; a node that predates conversations sends none
    presence.apply("node-b", { op: "on", userId: bob.id, username: "bob", roomIds: [] });
    presence.apply("node-b", { op: "talk", userId: bob.id, conversationId: "c3" });
    presence.forgetNode("node-b");
    expect(changes.at(-1)).toMatchObject({ userId: bob.id, online: false, conversationIds: ["c3"] });
    // someone offline starting a conversation is nobody's change
    presence.talks("u-nobody", "c4");
    expect(presence.isOnline("u-nobody")).toBe(false);
  });

  it("counts a user online on any node, and only this node's users as local", () => {
    const { presence, changes } = watched();
    presence.apply("node-b", { op: "on", userId: bob.id, username: "bob", roomIds: ["r1"] });
    expect(presence.isOnline(bob.id)).toBe(true);
    expect(presence.onlineCount("r1")).toBe(1);
    expect(presence.localUserCount).toBe(0);
    expect(presence.localUsers()).toEqual([]);

    // bob opens a tab here too: no second "online", and still online when node b's tab goes
    presence.connected(bob, ["r1"]);
    expect(changes.filter((c) => c.online)).toHaveLength(1);
    expect(presence.localUsers()).toEqual([{ userId: bob.id, username: "bob", roomIds: ["r1"], conversationIds: [] }]);
    presence.apply("node-b", { op: "off", userId: bob.id });
    expect(presence.isOnline(bob.id)).toBe(true);
    presence.disconnected(bob.id);
    expect(presence.isOnline(bob.id)).toBe(false);
    expect(changes.map((c) => c.online)).toEqual([true, false]);

    // rooms joined on another node count here
    presence.apply("node-b", { op: "on", userId: ann.id, username: "ann", roomIds: [] });
    presence.apply("node-b", { op: "join", userId: ann.id, roomId: "r9" });
    expect(presence.onlineCount("r9")).toBe(1);
  });

  it("drops a node's users when the node is gone, and replaces what it had when it sends it in full", () => {
    const { presence, changes } = watched();
    presence.connected(ann, ["r1"]);
    presence.apply("node-b", { op: "on", userId: ann.id, username: "ann", roomIds: ["r1"] });
    presence.apply("node-b", { op: "on", userId: bob.id, username: "bob", roomIds: ["r1"] });
    expect(presence.onlineCount("r1")).toBe(2);

    presence.forgetNode("node-b");
    // ann is still here; bob was only on node b
    expect(presence.isOnline(ann.id)).toBe(true);
    expect(presence.isOnline(bob.id)).toBe(false);
    expect(presence.onlineCount("r1")).toBe(1);

    presence.replaceNode("node-c", [{ userId: bob.id, username: "bob", roomIds: ["r2"] }]);
    expect(presence.onlineCount("r2")).toBe(1);
    presence.replaceNode("node-c", []);
    expect(presence.isOnline(bob.id)).toBe(false);
    expect(presence.onlineUsers).toBe(1);
    expect(changes.filter((c) => c.userId === bob.id).map((c) => c.online)).toEqual([true, false, true, false]);
  });
});
