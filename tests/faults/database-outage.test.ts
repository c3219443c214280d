// PostgreSQL going away in the middle of a storm and coming back (issue 9). The machine's
// PostgreSQL is shared, so the test stops a relay in front of it instead: every open connection
// is cut and new ones are refused, which is what a stopped PostgreSQL looks like to its clients.
// The node must keep running, answer honestly meanwhile, and lose nothing it acknowledged.
import { afterEach, expect, it } from "vitest";
import { type ProtocolSocket, request, sendRequest } from "../../server/protocol/index.ts";
import { createTestDatabase } from "../helpers/database.ts";
import { connect, databases, everything, signUp, startNode, takePort } from "./helpers.ts";
import { Relay } from "./relay.ts";

const relays: Relay[] = [];
afterEach(async () => {
  for (const r of relays.splice(0)) await r.stop();
});

/** Sends one message after another (waiting a little after a refusal, as a client would). */
function steadySender(socket: ProtocolSocket, roomId: string, name: string) {
  const acked = new Set<string>();
  const refusals: { code: string; message: string }[] = [];
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const clientMsgId = `${name}-${i}`;
      const reply = await sendRequest(socket, "message:send", { roomId, body: clientMsgId, clientMsgId }, 10_000).catch(
        () => null,
      );
      if (reply?.ok) acked.add(clientMsgId);
      else {
        if (reply) refusals.push(reply.error);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  })();
  return {
    acked,
    refusals,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

async function waitForHealth(url: string, status: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${url}/api/health`).catch(() => null);
    if (res?.status === status) return;
    if (Date.now() > deadline) throw new Error(`health did not become ${status} (last: ${res?.status ?? "no answer"})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

it("PostgreSQL stopped in a storm and started again: the node answers unavailable meanwhile, then carries on with nothing lost", async () => {
  const database = await createTestDatabase("postgres");
  databases.push(database);
  const real = new URL(database.url);
  const relay = new Relay(await takePort(), { host: real.hostname, port: Number(real.port || 5432) });
  relays.push(relay);
  await relay.start();
  const through = new URL(database.url);
  through.port = String(relay.port);
  const node = await startNode(database, await takePort(), {
    DATABASE_URL: through.toString(),
    DATABASE_TIMEOUT_MS: "2000",
  });
  const tokens = await Promise.all(Array.from({ length: 4 }, (_, i) => signUp(node.url, `outage${i}_${relay.port}`)));
  const sockets = await Promise.all(tokens.map((t) => connect(node.url, t)));
  const { room } = await request(sockets[0], "room:create", { name: `outage-${relay.port}` });
  for (const s of sockets.slice(1)) await request(s, "room:join", { roomId: room.id });

  const senders = sockets.map((s, i) => steadySender(s, room.id, `o${i}`));
  await new Promise((r) => setTimeout(r, 1000));
  await relay.stop();
  // (the node's log, to say why when an assertion fails)
  const log = () => node.output.join("").slice(-4000);
  await waitForHealth(node.url, 503, 15_000).catch((e: Error) => {
    throw new Error(`${e.message}: ${log()}`);
  });
  // a new connection meanwhile is told why, in words, with nothing of the database's own
  const refused = await connect(node.url, tokens[0]).then(
    () => null,
    (error: Error & { data?: { code: string } }) => error,
  );
  expect(refused?.data?.code, log()).toBe("unavailable");
  await new Promise((r) => setTimeout(r, 3000));
  await relay.start();
  await waitForHealth(node.url, 200, 30_000);

  // sends go through again on the connections that stayed open
  const before = senders.map((s) => s.acked.size);
  const deadline = Date.now() + 30_000;
  while (senders.some((s, i) => s.acked.size <= before[i]) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  await Promise.all(senders.map((s) => s.stop()));
  expect(node.child.exitCode).toBeNull();
  expect(senders.map((s, i) => s.acked.size > before[i])).toEqual([true, true, true, true]);
  expect(sockets.every((s) => s.connected)).toBe(true);

  // every refusal said the database was away, and nothing of how it is reached
  const refusals = senders.flatMap((s) => s.refusals);
  expect(refusals.length).toBeGreaterThan(0);
  for (const r of refusals) {
    expect(r.code, log()).toBe("unavailable");
    expect(r.message).not.toMatch(/127\.0\.0\.1|ECONN|postgres|prisma/i);
  }
  // and every acknowledged message is there once, in a gapless order
  const stored = await everything(sockets[0], room.id);
  const ids = stored.map((m) => m.clientMsgId);
  expect(new Set(ids).size).toBe(ids.length);
  for (const s of senders) for (const id of s.acked) expect(ids, `acknowledged ${id}`).toContain(id);
  expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1));
  expect(node.output.join("")).not.toMatch(/uncaught|unhandled/i);
});
