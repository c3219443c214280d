// The benchmark's harness on a tiny load: it must count expected and delivered messages
// exactly, and notice loss. No timing is asserted.
import { afterAll, describe, expect, it } from "vitest";
import { bodiesOf, RoomLoad, registerUsers, roomOf } from "../../bench/lib/load.ts";
import { startTarget, type Target } from "../../bench/lib/target.ts";
import { REQUIRED_QUERIES, searchBench } from "../../bench/search.ts";
import { createTestDatabase, usingPostgres } from "../helpers/database.ts";

const started: Target[] = [];
afterAll(async () => {
  await Promise.all(started.map((t) => t.stop()));
});

describe.skipIf(usingPostgres)("bench harness", () => {
  it("counts every delivery on the reference: 2 rooms x 3 members, 30 messages", async () => {
    const target = await startTarget("reference");
    started.push(target);
    const load = await RoomLoad.open(target, 2, 3, [], "tiny");
    const result = await load.run(100, 300, 2000);
    await load.close();
    expect(result.sent).toBe(30);
    expect(result.expected).toBe(90);
    expect(result.delivered).toBe(90);
    expect(result.lost).toBe(0);
    expect(result.duplicates).toBe(0);
    expect(result.latencyMs.count).toBe(90);
  });

  it("notices loss: a reference that drops every 5th broadcast loses exactly those", async () => {
    const target = await startTarget("reference", { REFERENCE_DROP_EVERY: "5" });
    started.push(target);
    const load = await RoomLoad.open(target, 2, 3, [], "lossy");
    const result = await load.run(100, 300, 500);
    await load.close();
    expect(result.sent).toBe(30);
    expect(result.lost).toBe(6 * 3);
    expect(result.delivered).toBe(90 - 18);
  });

  // two server processes (each a tsx start-up): on a loaded 2-core machine more than 20 s in all
  it("runs servers side by side in alternating slices, each server's slices adding up to its own step", {
    timeout: 60_000,
  }, async () => {
    const [whole, lossy] = await Promise.all([startTarget("reference"), startTarget("reference", { REFERENCE_DROP_EVERY: "5" })]);
    started.push(whole, lossy);
    const loads = {
      whole: await RoomLoad.open(whole, 2, 3, [], "whole"),
      lossy: await RoomLoad.open(lossy, 2, 3, [], "lossy"),
    };
    const result = await RoomLoad.sideBySide(loads, 100, 2, 200);
    await Promise.all(Object.values(loads).map((l) => l.close()));
    expect(result.whole).toMatchObject({ sent: 40, expected: 120, delivered: 120, lost: 0 });
    expect(result.whole.latencyMs.count).toBe(120);
    // the lossy one drops every 5th of its 40 broadcasts, whichever slice they fell in
    expect(result.lossy).toMatchObject({ sent: 40, expected: 120, delivered: 120 - 24, lost: 24 });
    expect(result.lossy.latencyMs.count).toBe(96);
  });

  it("counts every delivery on Komnata over the public protocol", async () => {
    const target = await startTarget("komnata");
    started.push(target);
    const users = await registerUsers(target.url, 6, "harness");
    const load = await RoomLoad.open(target, 2, 3, users, "tiny");
    const result = await load.run(50, 400, 3000);
    await load.close();
    expect(result.sent).toBe(20);
    expect(result.expected).toBe(60);
    expect(result.delivered).toBe(60);
    expect(result.lost).toBe(0);
    expect(result.ackErrors).toBe(0);
    expect(result.serverCpuMs).toBeGreaterThanOrEqual(0);
  });
});

describe("reading a delivery's bodies out of its text", () => {
  // shaped as the server sends them: a batch's roomId first, each message with its own after it
  const message = (body: string, roomId: string) => ({
    id: "m1",
    seq: 7,
    body,
    author: { id: "u1", username: "body" },
    replyTo: { id: "m0", seq: 6, author: { id: "u2", username: "x" }, excerpt: "the body", deleted: false },
    reactions: [{ emoji: "👍", userIds: ["u2"] }],
    roomId,
    mentions: { users: [], names: [], room: false, here: false },
  });

  it("finds every message's body, and the batch's room", () => {
    const batch = JSON.stringify([
      "messages:new",
      { roomId: "r1", messages: [message("1|2|3.5|4", "r1"), message("1|3|4.5|0", "r1")] },
    ]);
    expect(bodiesOf(`2${batch}`)).toEqual(["1|2|3.5|4", "1|3|4.5|0"]);
    expect(roomOf(`2${batch}`)).toBe("r1");
    const single = JSON.stringify(["message:new", message("", "r2")]);
    expect(bodiesOf(`2${single}`)).toEqual([""]);
    expect(roomOf(`2${single}`)).toBe("r2");
  });
});

describe("search benchmark", () => {
  it("seeds a corpus in which every timed query finds messages, on this provider", async () => {
    const database = await createTestDatabase();
    try {
      const result = await searchBench(database.url, 3000, 2);
      for (const name of REQUIRED_QUERIES) expect(result.queries[name].results, name).toBeGreaterThan(0);
      expect(result.size.index).toBeGreaterThan(0);
      expect(result.writeUs.index).toBeGreaterThan(0);
    } finally {
      await database.drop();
    }
  }, 60_000);
});
