// Two nodes on one PostgreSQL, sharing broadcasts through Redis (issue 9). A node killed in a
// storm loses nothing its clients were told was stored; a Redis that goes away and comes back
// leaves every client, live or by fetching the gaps it notices, with every message.
import { type ChildProcess, spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { Api } from "../../scripts/client/api.ts";
import { Session } from "../../scripts/client/session.ts";
import { request } from "../../server/protocol/index.ts";
import { createTestDatabase } from "../helpers/database.ts";
import { connect, databases, everything, signUp, startNode, storm, takePort } from "./helpers.ts";

const redises: ChildProcess[] = [];
afterEach(() => {
  for (const r of redises.splice(0)) r.kill("SIGKILL");
});

/** A Redis of the test's own (the machine's stays untouched), on `port`. */
async function startRedis(port: number): Promise<ChildProcess> {
  const redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  redises.push(redis);
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const probe = spawn("redis-cli", ["-p", String(port), "ping"], { stdio: ["ignore", "pipe", "ignore"] });
      let out = "";
      probe.stdout.on("data", (c: Buffer) => (out += c.toString()));
      probe.on("exit", () => resolve(out.includes("PONG")));
    });
    if (up) return redis;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("redis did not start");
}

describe("two nodes", () => {
  it("one killed in a storm: its clients move to the other and every acknowledged message is there once", async () => {
    const database = await createTestDatabase("postgres");
    databases.push(database);
    const redisPort = await takePort();
    await startRedis(redisPort);
    const env = { REDIS_URL: `redis://127.0.0.1:${redisPort}`, SEND_RATE_PER_USER: "100000" };
    const [one, two] = [await startNode(database, await takePort(), env), await startNode(database, await takePort(), env)];
    const tokens = await Promise.all(Array.from({ length: 6 }, (_, i) => signUp(one.url, `pair${i}_${redisPort}`)));
    const senders = await Promise.all(tokens.map((t, i) => connect(i % 2 ? two.url : one.url, t)));
    const { room } = await request(senders[0], "room:create", { name: `pair-${redisPort}` });
    for (const s of senders.slice(1)) await request(s, "room:join", { roomId: room.id });

    const load = storm(senders, room.id);
    await new Promise((r) => setTimeout(r, 1500));
    one.child.kill("SIGKILL");
    await one.exited;
    await load.stop();
    expect(load.acked.size).toBeGreaterThan(50);

    // the killed node's clients come back through the other one, as behind a load balancer
    const moved = await connect(two.url, tokens[0]);
    const ids = (await everything(moved, room.id)).map((m) => m.clientMsgId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of load.acked) expect(ids, `acknowledged ${id}`).toContain(id);
  });

  it("a node killed: its users go offline on the other within PRESENCE_TTL_MS, and the others are told", async () => {
    const database = await createTestDatabase("postgres");
    databases.push(database);
    const redisPort = await takePort();
    await startRedis(redisPort);
    const env = { REDIS_URL: `redis://127.0.0.1:${redisPort}`, PRESENCE_TTL_MS: "1500" };
    const [one, two] = [await startNode(database, await takePort(), env), await startNode(database, await takePort(), env)];
    const [aliceToken, bobToken] = await Promise.all([
      signUp(one.url, `gone_a_${redisPort}`),
      signUp(one.url, `gone_b_${redisPort}`),
    ]);
    const bob = await connect(two.url, bobToken);
    const { room } = await request(bob, "room:create", { name: `gone-${redisPort}` });
    const alice = await connect(one.url, aliceToken);
    await request(alice, "room:join", { roomId: room.id });
    const aliceId = (await request(alice, "room:join", { roomId: room.id })).room.members.find(
      (m) => m.username === `gone_a_${redisPort}`,
    )?.id;
    const changes: { userId: string; online: boolean }[] = [];
    bob.on("presence:changed", (c) => changes.push(c));
    const onTwo = async () => (await request(bob, "room:join", { roomId: room.id })).room;
    expect((await onTwo()).onlineCount).toBe(2);

    // no goodbye: the process is gone, and its heartbeats with it
    one.child.kill("SIGKILL");
    await one.exited;
    const killedAt = Date.now();
    while (!changes.some((c) => c.userId === aliceId && !c.online) && Date.now() - killedAt < 10_000)
      await new Promise((r) => setTimeout(r, 100));
    expect(changes).toContainEqual(expect.objectContaining({ userId: aliceId, online: false }));
    expect(Date.now() - killedAt).toBeLessThan(5000);
    const after = await onTwo();
    expect(after.onlineCount).toBe(1);
    expect(after.members.find((m) => m.id === aliceId)?.online).toBe(false);
  });

  // both adapters (docs/decisions/010-redis-adapter.md): whatever one delivers late or not at
  // all, clients fetch by seq
  it.each(["pubsub", "streams"])(
    "Redis stopped in the middle and started again (%s adapter): every client ends with every message",
    async (adapter) => {
      const database = await createTestDatabase("postgres");
      databases.push(database);
      const redisPort = await takePort();
      let redis = await startRedis(redisPort);
      const env = { REDIS_URL: `redis://127.0.0.1:${redisPort}`, REDIS_ADAPTER: adapter, SEND_RATE_PER_USER: "100000" };
      const nodes = [await startNode(database, await takePort(), env), await startNode(database, await takePort(), env)];
      const tokens = await Promise.all(Array.from({ length: 4 }, (_, i) => signUp(nodes[0].url, `redis${i}_${redisPort}`)));
      // readers: the terminal client's session (its gap handling is what is tested), one per node
      const readers = await Promise.all(
        tokens.slice(0, 2).map(async (token, i) => {
          const api = new Api(nodes[i].url);
          const socket = api.connect(token);
          const lines: string[] = [];
          const session = new Session(
            socket,
            api,
            token,
            `redis${i}_${redisPort}`,
            { print: (l) => lines.push(l), setPrompt() {} },
            tmpdir(),
          );
          await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
          socket.on("message:new", (m) => session.show(m));
          return { session, lines, socket };
        }),
      );
      const senders = await Promise.all(tokens.slice(2).map((t, i) => connect(nodes[i].url, t)));
      const { room } = await request(senders[0], "room:create", { name: `redis-${redisPort}` });
      for (const s of senders.slice(1)) await request(s, "room:join", { roomId: room.id });
      for (const r of readers) await r.session.enter(room);

      const load = storm(senders, room.id);
      await new Promise((r) => setTimeout(r, 700));
      redis.kill("SIGKILL");
      await new Promise((r) => setTimeout(r, 2000));
      redis = await startRedis(redisPort);
      await new Promise((r) => setTimeout(r, 1500));
      await load.stop();
      // one more message, after Redis is back, shows every client how far the room has gone
      await request(senders[0], "message:send", { roomId: room.id, body: "the last one", clientMsgId: "last" });

      const stored = await everything(senders[1], room.id);
      const printed = (r: (typeof readers)[number]) => r.lines.filter((l) => / storm s\d+-\d+$| the last one$/.test(l)).length;
      const deadline = Date.now() + 20_000;
      while (readers.some((r) => printed(r) < stored.length) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      for (const r of readers) expect(printed(r)).toBe(stored.length);
      for (const r of readers) r.socket.disconnect();
    },
  );
});
