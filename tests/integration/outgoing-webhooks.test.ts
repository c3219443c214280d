// Outgoing webhooks (issue 18), against a real HTTP target on this machine (WEBHOOK_ALLOW_PRIVATE:
// loopback is a private address, refused otherwise: integrations.test.ts checks that).
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { WireMessage } from "../../server/protocol/index.ts";
import { documented, schemaAt } from "../helpers/openapi.ts";
import {
  closeSockets,
  collect,
  createUser,
  ok,
  request,
  roomWith,
  settle,
  startServer,
  type TestServer,
  waitFor,
} from "../helpers/server.ts";

interface Delivery {
  headers: IncomingMessage["headers"];
  raw: string;
  // biome-ignore lint/suspicious/noExplicitAny: the payload's fields are checked one by one
  body: any;
}

let server: TestServer;
let target: Server;
let targetUrl: string;
const deliveries: Delivery[] = [];
/** How the target answers the next request (set per test). */
let answer: (delivery: Delivery, res: ServerResponse) => void = (_d, res) => res.writeHead(200).end();

beforeAll(async () => {
  server = await startServer({ WEBHOOK_ALLOW_PRIVATE: "true" });
  target = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const delivery = { headers: req.headers, raw, body: JSON.parse(raw) };
      deliveries.push(delivery);
      answer(delivery, res);
    });
  });
  await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hook`;
});
afterEach(() => {
  closeSockets();
  deliveries.length = 0;
  answer = (_d, res) => res.writeHead(200).end();
});
afterAll(async () => {
  target.closeAllConnections();
  await new Promise((resolve) => target.close(resolve));
  await server.close();
});

async function outgoingIn(triggers = ["deploy"]) {
  const owner = await createUser(server);
  const member = await createUser(server);
  const { roomId, sockets } = await roomWith(server, owner, member);
  const made = await ok(sockets[0], "webhook:create", { roomId, name: "Deployer", kind: "outgoing", url: targetUrl, triggers });
  return { roomId, sockets, ...made };
}

const json = (res: ServerResponse, body: unknown) =>
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));

describe("outgoing webhooks", () => {
  it("POSTs a message that starts with a trigger word or mentions the bot, signed; nothing else", async () => {
    const { roomId, sockets, webhook, signingSecret } = await outgoingIn();
    expect(webhook).toMatchObject({ kind: "outgoing", url: targetUrl, triggers: ["deploy"] });
    expect(signingSecret).toMatch(/^[0-9a-f]{64}$/);
    // its bot is a member, so it can be mentioned
    const { messages } = await ok(sockets[1], "room:history", { roomId });
    expect(messages).toEqual([]);

    await ok(sockets[1], "message:send", { roomId, body: "we should deploy soon", clientMsgId: "n1" });
    const sent = await ok(sockets[1], "message:send", { roomId, body: "Deploy main to staging", clientMsgId: "t1" });
    await waitFor(() => deliveries.length === 1, 5000, "the trigger's delivery");
    const [d] = deliveries;
    expect(d.body).toMatchObject({
      webhook_id: webhook.id,
      channel_id: roomId,
      text: "Deploy main to staging",
      trigger_word: "deploy",
      user_id: sent.message.author.id,
      message: { id: sent.message.id, seq: 2 },
    });
    // the signature: HMAC-SHA256 of "v1:{timestamp}:{body}" with the signing secret
    const timestamp = String(d.headers["x-komnata-timestamp"]);
    expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(30);
    const expected = `v1=${createHmac("sha256", signingSecret as string)
      .update(`v1:${timestamp}:${d.raw}`)
      .digest("hex")}`;
    expect(d.headers["x-komnata-signature"]).toBe(expected);
    expect(d.headers["x-komnata-delivery"]).toBe(d.body.delivery_id);
    // as docs/openapi.yaml describes it (its `webhooks` section)
    const validate = schemaAt("/webhooks/outgoingMessage/post/requestBody/content/application~1json/schema");
    expect(validate?.(d.body), documented.errorsText(validate?.errors)).toBe(true);

    await ok(sockets[1], "message:send", { roomId, body: `hey @${webhook.bot.username}, status?`, clientMsgId: "m1" });
    await waitFor(() => deliveries.length === 2, 5000, "the mention's delivery");
    expect(deliveries[1].body.trigger_word).toBe(`@${webhook.bot.username}`);
    await settle(...sockets);
    expect(deliveries).toHaveLength(2);
  });

  it("posts the target's answer back as the bot, replying to the message", async () => {
    const { roomId, sockets, webhook } = await outgoingIn();
    answer = (_d, res) => json(res, { text: "Deployed *v2* to <https://staging.example|staging>" });
    const heard = collect(sockets[1], "message:new");
    const sent = await ok(sockets[0], "message:send", { roomId, body: "deploy v2", clientMsgId: "a1" });
    await waitFor(() => heard.some((m) => m.author.id === webhook.bot.id), 5000, "the bot's answer");
    const reply = heard.find((m) => m.author.id === webhook.bot.id) as WireMessage;
    expect(reply.body).toBe("Deployed **v2** to [staging](https://staging.example)");
    expect(reply.replyTo).toMatchObject({ id: sent.message.id });
    // its own answer does not call it again
    await settle(...sockets);
    expect(deliveries).toHaveLength(1);
  });

  it("a slow target delays nothing: the sender's answer and everyone's copy come while it hangs", async () => {
    const { roomId, sockets } = await outgoingIn();
    const held: ServerResponse[] = [];
    answer = (_d, res) => held.push(res);
    const heard = collect(sockets[1], "message:new");
    const sent = await ok(sockets[0], "message:send", { roomId, body: "deploy now", clientMsgId: "s1" });
    await waitFor(() => deliveries.length === 1, 5000, "the delivery to start");
    const next = await ok(sockets[0], "message:send", { roomId, body: "and this goes on", clientMsgId: "s2" });
    await waitFor(() => heard.length === 2, 5000, "the other member's copies");
    expect(heard.map((m) => m.id)).toEqual([sent.message.id, next.message.id]);
    // the target has still not answered
    expect(held).toHaveLength(1);
    expect(held[0].writableEnded).toBe(false);
    held[0].writeHead(200).end();
  });

  it("a failing target is tried again, and its answer posted once", async () => {
    const { roomId, sockets, webhook } = await outgoingIn();
    answer = (_d, res) => {
      if (deliveries.length === 1) res.writeHead(503).end("busy");
      else json(res, { text: "done" });
    };
    await ok(sockets[0], "message:send", { roomId, body: "deploy again", clientMsgId: "f1" });
    await waitFor(() => deliveries.length === 2, 10_000, "the second try");
    expect(deliveries[1].body.delivery_id).toBe(deliveries[0].body.delivery_id);
    const fromBot = async () =>
      (await ok(sockets[0], "room:history", { roomId })).messages.filter((m) => m.author.id === webhook.bot.id);
    let answers = await fromBot();
    for (let i = 0; answers.length === 0 && i < 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      answers = await fromBot();
    }
    expect(answers.map((m) => m.body)).toEqual(["done"]);
  });

  it("only owners and admins make them, and a deleted one is not called", async () => {
    const { roomId, sockets, webhook } = await outgoingIn();
    const refused = await request(sockets[1], "webhook:create", { roomId, name: "x", kind: "outgoing", url: targetUrl });
    expect(refused.ok ? "ok" : refused.error.code).toBe("forbidden");
    const noUrl = await request(sockets[0], "webhook:create", { roomId, name: "x", kind: "outgoing" });
    expect(noUrl.ok ? "ok" : noUrl.error.code).toBe("invalid_input");
    await ok(sockets[0], "webhook:delete", { roomId, webhookId: webhook.id });
    await ok(sockets[0], "message:send", { roomId, body: "deploy after", clientMsgId: "d1" });
    // a later webhook's delivery shows the deleted one was passed over
    const later = await ok(sockets[0], "webhook:create", {
      roomId,
      name: "Later",
      kind: "outgoing",
      url: targetUrl,
      triggers: ["ping"],
    });
    await ok(sockets[0], "message:send", { roomId, body: "ping", clientMsgId: "d2" });
    await waitFor(() => deliveries.length === 1, 5000, "the later webhook's delivery");
    expect(deliveries.map((d) => d.body.webhook_id)).toEqual([later.webhook.id]);
  });
});
