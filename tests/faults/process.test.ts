// Processes that die or are told to stop in the middle of a message storm, on both providers:
// every message the server acknowledged is there afterwards, exactly once, in a gapless order.
import { describe, expect, it } from "vitest";
import { connect, everything, prepareStorm, startNode, storm } from "./helpers.ts";

describe.each(["sqlite", "postgres"] as const)("on %s", (provider) => {
  const prepared = () => prepareStorm(provider);

  it("kill -9 in a message storm: after a restart every acknowledged message is there once, seqs gapless", async () => {
    const { database, port, node, tokens, senders, roomId } = await prepared();
    const load = storm(senders, roomId);
    await new Promise((r) => setTimeout(r, 1500));
    node.child.kill("SIGKILL");
    await node.exited;
    await load.stop();
    expect(load.acked.size).toBeGreaterThan(100);

    const again = await startNode(database, port);
    const reader = await connect(again.url, tokens[0]);
    const stored = await everything(reader, roomId);
    const ids = stored.map((m) => m.clientMsgId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of load.acked) expect(ids, `acknowledged ${id}`).toContain(id);
    expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1));
  });

  it("SIGTERM in a message storm: the process exits 0 and everything it acknowledged is stored", async () => {
    const { database, port, node, tokens, senders, roomId } = await prepared();
    const load = storm(senders, roomId);
    await new Promise((r) => setTimeout(r, 1500));
    node.child.kill("SIGTERM");
    expect(await node.exited).toBe(0);
    await load.stop();
    expect(node.output.join("")).toContain("stopped cleanly");

    const again = await startNode(database, port);
    const reader = await connect(again.url, tokens[0]);
    const ids = (await everything(reader, roomId)).map((m) => m.clientMsgId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of load.acked) expect(ids, `acknowledged ${id}`).toContain(id);
  });
});
