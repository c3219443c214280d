// How new messages reach connections, frame by frame (docs/protocol.md, "How new messages
// arrive"): the sending connection gets its message in its ack only; messages of a room stored
// together come as one `messages:new`; and `oneByOne` turns both back into one `message:new`
// per message for clients that want that.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Payload, sendRequest, type WireDirectMessage, type WireMessage } from "../../server/protocol/index.ts";
import {
  type ClientSocket,
  closeSockets,
  connectAs,
  createUser,
  ok,
  rawSocket,
  settle,
  startServer,
  type TestServer,
  type TestUser,
  uniqueName,
  waitFor,
} from "../helpers/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

/** Every new-message frame a raw socket gets, as it came. */
function frames(socket: ClientSocket) {
  const got: ({ one: WireMessage } | { batch: Payload<"messages:new"> })[] = [];
  socket.on("message:new", (m) => got.push({ one: m }));
  socket.on("messages:new", (b) => got.push({ batch: b }));
  return {
    got,
    /** the messages, in the order they came */
    messages: () => got.flatMap((f) => ("one" in f ? [f.one] : f.batch.messages)),
    batches: () => got.flatMap((f) => ("batch" in f ? [f.batch] : [])),
  };
}

async function roomWith(members: TestUser[]): Promise<string> {
  const owner = await connectAs(server, members[0]);
  const roomId = (await ok(owner, "room:create", { name: uniqueName("delivery-") })).room.id;
  for (const m of members.slice(1)) await ok(await connectAs(server, m), "room:join", { roomId });
  return roomId;
}

describe("the sender's copy", () => {
  it("is its ack: the sending connection gets no message:new, every other one (the sender's other tab too) does", async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const roomId = await roomWith([alice, bob]);
    const [aliceTab, aliceOtherTab, bobTab] = await Promise.all([
      rawSocket(server, alice),
      rawSocket(server, alice),
      rawSocket(server, bob),
    ]);
    const [atSender, atOtherTab, atBob] = [frames(aliceTab), frames(aliceOtherTab), frames(bobTab)];

    const reply = await sendRequest(aliceTab, "message:send", { roomId, body: "mine", clientMsgId: "d-1" });
    if (!reply.ok) throw new Error(reply.error.message);
    await waitFor(() => atBob.messages().length === 1 && atOtherTab.messages().length === 1, 5000, "delivery");
    await settle(aliceTab, aliceOtherTab, bobTab);

    expect(reply.message).toMatchObject({ body: "mine", roomId, seq: 1 });
    expect(atSender.got).toEqual([]);
    expect(atOtherTab.got).toEqual([{ one: reply.message }]);
    expect(atBob.got).toEqual([{ one: reply.message }]);
  });

  it("is its ack in a private conversation too", async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const [aliceTab, aliceOtherTab, bobTab] = await Promise.all([
      rawSocket(server, alice),
      rawSocket(server, alice),
      rawSocket(server, bob),
    ]);
    const seen = [aliceTab, aliceOtherTab, bobTab].map((s) => {
      const got: WireDirectMessage[] = [];
      s.on("dm:new", (m) => got.push(m));
      return got;
    });
    const reply = await sendRequest(aliceTab, "dm:send", { toUsername: bob.username, body: "psst", clientMsgId: "d-2" });
    if (!reply.ok) throw new Error(reply.error.message);
    await waitFor(() => seen[1].length === 1 && seen[2].length === 1, 5000, "dm delivery");
    await settle(aliceTab);
    expect(seen[0]).toEqual([]);
    expect(seen[1]).toEqual([reply.message]);
    expect(seen[2]).toEqual([reply.message]);
  });
});

describe("messages stored together", () => {
  it("come as one messages:new, in order, each message once per connection, the senders' own among them", async () => {
    const people = await Promise.all(Array.from({ length: 6 }, () => createUser(server)));
    const reader = await createUser(server);
    const roomId = await roomWith([...people, reader]);
    const senders = await Promise.all(people.map((p) => rawSocket(server, p)));
    const readerTab = await rawSocket(server, reader);
    const atReader = frames(readerTab);
    const atSenders = senders.map(frames);

    // every sender writes three at once: they reach the server together and are stored together
    const acks = await Promise.all(
      senders.flatMap((s, i) =>
        [0, 1, 2].map((k) => sendRequest(s, "message:send", { roomId, body: `m${i}-${k}`, clientMsgId: `b-${i}-${k}` })),
      ),
    );
    const sent = acks.map((a) => {
      if (!a.ok) throw new Error(a.error.message);
      return a.message;
    });
    await waitFor(() => atReader.messages().length === sent.length, 5000, "every message at the reader");
    await settle(readerTab, ...senders);

    // the reader: every message once, in seq order, and fewer frames than messages
    const seqs = atReader.messages().map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(atReader.messages().map((m) => m.id))).toEqual(new Set(sent.map((m) => m.id)));
    expect(atReader.messages()).toHaveLength(sent.length);
    expect(atReader.batches().length).toBeGreaterThan(0);
    expect(atReader.got.length).toBeLessThan(sent.length);
    for (const batch of atReader.batches()) {
      expect(batch.roomId).toBe(roomId);
      expect(batch.messages.length).toBeGreaterThan(1);
    }

    // a sender: every other message once; its own only inside batches (never as message:new)
    for (const [i, at] of atSenders.entries()) {
      const mine = new Set(sent.filter((m) => m.author.id === people[i].id).map((m) => m.id));
      const singles = at.got.flatMap((f) => ("one" in f ? [f.one] : []));
      expect(singles.filter((m) => mine.has(m.id))).toEqual([]);
      const others = at.messages().filter((m) => !mine.has(m.id));
      expect(others.map((m) => m.id).sort()).toEqual(
        sent
          .filter((m) => !mine.has(m.id))
          .map((m) => m.id)
          .sort(),
      );
    }
  });
});

describe("oneByOne", () => {
  it("hands every message to message:new listeners once: batches, and my own sends through request", async () => {
    const people = await Promise.all(Array.from({ length: 4 }, () => createUser(server)));
    const roomId = await roomWith(people);
    // connectAs sockets have oneByOne on, as the browser's and the terminal client's do
    const sockets = await Promise.all(people.map((p) => connectAs(server, p)));
    const heard = sockets.map(() => [] as WireMessage[]);
    for (const [i, s] of sockets.entries()) s.on("message:new", (m) => heard[i].push(m));

    const sent = await Promise.all(
      sockets.flatMap((s, i) =>
        [0, 1, 2, 3].map(
          async (k) => (await ok(s, "message:send", { roomId, body: `o${i}-${k}`, clientMsgId: `o-${i}-${k}` })).message,
        ),
      ),
    );
    await waitFor(() => heard.every((h) => h.length >= sent.length), 5000, "every message at every socket");
    await settle(...sockets);
    const ids = sent.map((m) => m.id).sort();
    for (const h of heard) expect(h.map((m) => m.id).sort()).toEqual(ids);

    // a retry of a stored send answers the same message: it is not handed over twice
    await ok(sockets[0], "message:send", { roomId, body: "o0-0", clientMsgId: "o-0-0" });
    await settle(sockets[0]);
    expect(heard[0]).toHaveLength(sent.length);
  });
});
