// docs/openapi.yaml against the real server (issue 18): the document is valid OpenAPI 3.1
// (@seriousme/openapi-schema-validator), and every operation in it is called here, each answer's
// status documented and its JSON body valid against the documented schema (Ajv, JSON Schema
// 2020-12, as OpenAPI 3.1 uses). An endpoint added to the server without its description, or a
// field that drifts from it, fails here.
import { Validator } from "@seriousme/openapi-schema-validator";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documented, openapi } from "../helpers/openapi.ts";
import {
  closeSockets,
  collect,
  connectAs,
  createUser,
  ok,
  roomWith,
  startServer,
  type TestServer,
  type TestUser,
  uniqueName,
  waitFor,
} from "../helpers/server.ts";

type Json = Record<string, unknown>;
const spec = openapi as Json;
const paths = spec.paths as Record<string, Record<string, Json>>;
const METHODS = ["get", "put", "post", "delete", "head", "patch"];

const ajv = documented;

/** A JSON pointer's piece. */
const esc = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

/** Follows a `$ref` to components (responses, requestBodies): the object, and its pointer. */
function deref(node: Json, pointer: string): { node: Json; pointer: string } {
  const ref = node.$ref;
  if (typeof ref !== "string") return { node, pointer };
  const parts = ref.slice(2).split("/");
  let target: unknown = spec;
  for (const p of parts) target = (target as Json)[p.replace(/~1/g, "/").replace(/~0/g, "~")];
  return { node: target as Json, pointer: ref.slice(1) };
}

let server: TestServer;
const called = new Set<string>();

interface Answer {
  status: number;
  text: string;
  res: Response;
  // biome-ignore lint/suspicious/noExplicitAny: answers of every shape, each checked against the document first
  json: any;
}

/** A request to the server; its answer is checked against the operation `template` documents. */
async function call(
  method: string,
  template: string,
  url: string,
  { token, json, body, headers = {} }: { token?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const res = await fetch(`${server.url}${url}`, {
    method: method.toUpperCase(),
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(json === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: json === undefined ? body : JSON.stringify(json),
  });
  const operation = paths[template]?.[method];
  expect(operation, `${method.toUpperCase()} ${template} is not in docs/openapi.yaml`).toBeDefined();
  const responses = operation.responses as Record<string, Json>;
  const documented = responses[String(res.status)];
  const text = method === "head" ? "" : await res.text();
  expect(
    documented,
    `${method.toUpperCase()} ${template} answered ${res.status}, which is not documented: ${text}`,
  ).toBeDefined();
  const { node: response, pointer } = deref(documented, `/paths/${esc(template)}/${method}/responses/${res.status}`);
  const content = response.content as Record<string, Json> | undefined;
  const type = (res.headers.get("content-type") ?? "").split(";")[0];
  if (content?.["application/json"] && method !== "head") {
    expect(type, `${method.toUpperCase()} ${template} ${res.status}`).toBe("application/json");
    const validate = ajv.getSchema(`openapi#${pointer}/content/application~1json/schema`);
    expect(validate).toBeDefined();
    const value = JSON.parse(text);
    const valid = validate?.(value);
    expect(valid, `${method.toUpperCase()} ${template} ${res.status}: ${ajv.errorsText(validate?.errors)}\n${text}`).toBe(true);
  } else if (content?.["text/plain"]) {
    expect(type).toBe("text/plain");
    const validate = ajv.getSchema(`openapi#${pointer}/content/text~1plain/schema`);
    expect(validate?.(text), `${template} answered "${text}"`).toBe(true);
  }
  called.add(`${method} ${template}`);
  const parsed = type === "application/json" && text ? JSON.parse(text) : {};
  return { status: res.status, text, res, json: parsed };
}

let admin: TestUser;
beforeAll(async () => {
  server = await startServer();
  // the first account on a server is its admin
  admin = await createUser(server);
});
afterAll(async () => {
  closeSockets();
  await server.close();
});

const PNG = () =>
  sharp({ create: { width: 400, height: 300, channels: 3, background: "#336699" } })
    .png()
    .toBuffer();

/**
 * The paths a server route answers, with `{}` for each part it takes from the path: a group of
 * plain alternatives (`(deactivate|reactivate)`) gives one path per alternative.
 */
function pathsOf(route: string | RegExp): string[] {
  if (typeof route === "string") return [route];
  const source = route.source.replace(/^\^/, "").replace(/\$$/, "");
  const out: string[][] = [[""]];
  for (let i = 0; i < source.length; ) {
    if (source[i] === "(") {
      let depth = 0;
      let j = i;
      for (; j < source.length; j++) {
        if (source[j] === "\\") j++;
        else if (source[j] === "(") depth++;
        else if (source[j] === ")" && --depth === 0) break;
      }
      const inner = source.slice(i + 1, j);
      out.push(/^[\w-]+(\|[\w-]+)+$/.test(inner) ? inner.split("|") : ["{}"]);
      i = j + 1;
    } else if (source[i] === "\\") {
      out.push([source[i + 1]]);
      i += 2;
    } else {
      out.push([source[i]]);
      i += 1;
    }
  }
  return out.reduce<string[]>((acc, options) => acc.flatMap((a) => options.map((o) => a + o)), [""]);
}

/** Whether a documented path (with `{name}` parameters) covers a server path. */
function covers(documented: string, path: string): boolean {
  const pattern = documented.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+");
  return new RegExp(`^${pattern}$`).test(path.replace(/\{\}/g, "x"));
}

describe("docs/openapi.yaml", () => {
  it("describes every route the server has, with every method", () => {
    const missing: string[] = [];
    for (const route of server.komnata.routes) {
      for (const path of pathsOf(route.path)) {
        for (const method of Object.keys(route.methods)) {
          const found = Object.entries(paths).some(
            ([documented, item]) => covers(documented, path) && method.toLowerCase() in item,
          );
          if (!found) missing.push(`${method} ${path}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(spec);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(spec.openapi).toMatch(/^3\.1\./);
  });

  it("describes every answer the server gives, for every operation it lists", async () => {
    // accounts
    const username = uniqueName("api");
    const reg = await call("post", "/api/register", "/api/register", { json: { username, password: "correct horse battery" } });
    expect(reg.status).toBe(201);
    expect((await call("post", "/api/register", "/api/register", { json: { username, password: "x" } })).status).toBe(400);
    const signIn = await call("post", "/api/token", "/api/token", { json: { username, password: "correct horse battery" } });
    const token = signIn.json.token as string;
    const userId = reg.json.user.id;
    expect((await call("post", "/api/token", "/api/token", { json: { username, password: "wrong one!" } })).status).toBe(401);
    expect((await call("get", "/api/me", "/api/me", { token })).json).toMatchObject({ user: { id: userId }, isAdmin: false });
    expect((await call("get", "/api/me", "/api/me")).status).toBe(401);
    await call("post", "/api/locale", "/api/locale", { token, json: { locale: "ru" } });
    expect((await call("post", "/api/locale", "/api/locale", { json: { locale: "xx" } })).status).toBe(400);
    await call("put", "/api/avatar", "/api/avatar", { token, body: await PNG(), headers: { "content-type": "image/png" } });
    const avatar = await call("get", "/api/users/{userId}/avatar", `/api/users/${userId}/avatar?v=1`, { token });
    expect(avatar.res.headers.get("content-type")).toBe("image/webp");
    await call("delete", "/api/avatar", "/api/avatar", { token });
    expect((await call("get", "/api/users/{userId}/avatar", `/api/users/${userId}/avatar`, { token })).status).toBe(404);

    // integrations
    const { roomId, sockets } = await roomWith(server, { id: userId, username, password: "correct horse battery", token });
    const botMade = await call("post", "/api/bots", "/api/bots", {
      token,
      json: { username: uniqueName("bot"), displayName: "CI" },
    });
    const botId = botMade.json.bot.id;
    expect((await call("post", "/api/bots", "/api/bots", { token, json: { username } })).status).toBe(409);
    await call("put", "/api/bots/{botId}/rooms/{roomId}", `/api/bots/${botId}/rooms/${roomId}`, { token });
    await call("get", "/api/bots", "/api/bots", { token });
    const botPicture = await call("put", "/api/bots/{botId}/avatar", `/api/bots/${botId}/avatar`, {
      token,
      body: await PNG(),
      headers: { "content-type": "image/png" },
    });
    expect(botPicture.json.profile).toMatchObject({ id: botId, bot: true, avatarUrl: expect.stringContaining(botId) });
    expect(
      (await call("put", "/api/bots/{botId}/avatar", `/api/bots/${botId}/avatar`, { token: admin.token, body: "x" })).status,
    ).toBe(404);
    const made = await call("post", "/api/tokens", "/api/tokens", { token, json: { name: "script", roomIds: [roomId] } });
    const secret = made.json.secret as string;
    const botToken = await call("post", "/api/tokens", "/api/tokens", { token, json: { name: "bot", botId } });
    expect((await call("post", "/api/tokens", "/api/tokens", { token, json: { name: "" } })).status).toBe(400);
    expect((await call("get", "/api/tokens", "/api/tokens", { token })).json.tokens).toHaveLength(2);

    // messages, in a room and a conversation
    const post = (json: unknown, auth = secret) =>
      call("post", "/api/rooms/{roomId}/messages", `/api/rooms/${roomId}/messages`, { token: auth, json });
    const first = await post({ body: "hello **there**", clientMsgId: "o1" });
    expect(first.status).toBe(201);
    expect((await post({ body: "hello **there**", clientMsgId: "o1" })).status).toBe(200);
    const firstId = first.json.message.id;
    await post({ body: "a reply", clientMsgId: "o2", replyTo: firstId }, botToken.json.secret as string);
    expect((await post({ body: "", clientMsgId: "o3" })).status).toBe(400);
    expect((await post({ body: "x", clientMsgId: "o4" }, "kmn_nothing")).status).toBe(401);
    const page = await call("get", "/api/rooms/{roomId}/messages", `/api/rooms/${roomId}/messages?afterSeq=0&limit=10`, {
      token,
    });
    expect((page.json.messages as unknown[]).length).toBe(2);
    const stranger = await createUser(server);
    expect(
      (await call("get", "/api/rooms/{roomId}/messages", `/api/rooms/${roomId}/messages`, { token: stranger.token })).status,
    ).toBe(403);
    expect((await call("get", "/api/rooms/{roomId}/messages", "/api/rooms/nowhere/messages", { token })).status).toBe(404);
    const dm = await ok(sockets[0], "dm:send", { toUsername: stranger.username, body: "hi", clientMsgId: "c1" });
    const conversation = `/api/conversations/${dm.message.conversationId}/messages`;
    const dmPost = await call("post", "/api/conversations/{conversationId}/messages", conversation, {
      token,
      json: { body: "over http", clientMsgId: "c2" },
    });
    expect(dmPost.status).toBe(201);
    await call("get", "/api/conversations/{conversationId}/messages", conversation, { token: stranger.token });
    expect((await call("get", "/api/conversations/{conversationId}/messages", conversation, { token: admin.token })).status).toBe(
      403,
    );

    // an incoming webhook
    const { webhook } = await ok(sockets[0], "webhook:create", { roomId, name: "Alerts" });
    const hookPath = new URL(webhook.url).pathname;
    const hook = (body: string) =>
      call("post", "/hooks/{secret}", hookPath, { body, headers: { "content-type": "application/json" } });
    expect((await hook('{"text":"Deploy *finished*"}')).text).toBe("ok");
    expect((await hook("{")).text).toBe("invalid_payload");
    expect((await call("post", "/hooks/{secret}", `/hooks/${"B".repeat(24)}`, { body: "{}" })).text).toBe("no_service");

    // files
    const uploaded = await call("post", "/api/files", `/api/files?roomId=${roomId}&name=chart.png&clientMsgId=f1`, {
      token,
      body: await PNG(),
      headers: { "content-type": "image/png" },
    });
    expect(uploaded.status).toBe(201);
    const fileId = uploaded.json.message.file.id;
    expect((await call("get", "/api/files/{fileId}", `/api/files/${fileId}`, { token })).status).toBe(200);
    expect(
      (await call("get", "/api/files/{fileId}", `/api/files/${fileId}`, { token, headers: { range: "bytes=0-9" } })).status,
    ).toBe(206);
    await call("head", "/api/files/{fileId}", `/api/files/${fileId}`, { token });
    for (const form of ["thumbnail", "preview"]) {
      await call("get", `/api/files/{fileId}/${form}`, `/api/files/${fileId}/${form}`, { token });
      await call("head", `/api/files/{fileId}/${form}`, `/api/files/${fileId}/${form}`, { token });
    }
    expect((await call("get", "/api/files/{fileId}/view", `/api/files/${fileId}/view`, { token })).status).toBe(404);
    const pdf = await call("post", "/api/files", `/api/files?roomId=${roomId}&name=report.pdf&clientMsgId=f3`, {
      token,
      body: "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n",
      headers: { "content-type": "application/pdf" },
    });
    const pdfId = pdf.json.message.file.id;
    const view = await call("get", "/api/files/{fileId}/view", `/api/files/${pdfId}/view`, { token });
    expect(view.res.headers.get("content-type")).toBe("application/pdf");
    await call("head", "/api/files/{fileId}/view", `/api/files/${pdfId}/view`, { token });
    expect((await call("get", "/api/files/{fileId}", `/api/files/${fileId}`, { token: stranger.token })).status).toBe(404);
    const noRoom = await call("post", "/api/files", "/api/files?name=x.txt&clientMsgId=f2", { token, body: "x" });
    expect(noRoom.status).toBe(400);

    // exports
    const done = collect(sockets[0], "export:done");
    const asked = await call("post", "/api/rooms/{roomId}/export", `/api/rooms/${roomId}/export`, { token });
    expect(asked.status).toBe(202);
    expect(
      (await call("post", "/api/rooms/{roomId}/export", `/api/rooms/${roomId}/export`, { token: stranger.token })).status,
    ).toBe(403);
    await waitFor(() => done.length === 1, 20_000, "the export");
    await call("get", "/api/exports", "/api/exports", { token });
    const zip = await call("get", "/api/exports/{exportId}/download", `/api/exports/${asked.json.export.id}/download`, { token });
    expect(zip.res.headers.get("content-type")).toBe("application/zip");
    const mineAsked = await call("post", "/api/me/export", "/api/me/export", { token: stranger.token });
    expect(mineAsked.status).toBe(202);
    expect(
      (
        await call("get", "/api/exports/{exportId}/download", `/api/exports/${asked.json.export.id}/download`, {
          token: stranger.token,
        })
      ).status,
    ).toBe(404);

    // push, emoji, health
    await call("get", "/api/push/key", "/api/push/key", { token });
    const subscription = {
      endpoint: "https://push.example.com/send/abc",
      keys: { p256dh: "B".repeat(87), auth: "A".repeat(22) },
    };
    await call("post", "/api/push/subscriptions", "/api/push/subscriptions", { token, json: subscription });
    await call("delete", "/api/push/subscriptions", "/api/push/subscriptions", {
      token,
      json: { endpoint: subscription.endpoint },
    });
    await call("get", "/api/emoji/{locale}/{file}.json", "/api/emoji/en/data.json");
    await call("head", "/api/emoji/{locale}/{file}.json", "/api/emoji/ru/messages.json");
    expect((await call("get", "/api/health", "/api/health")).json.ok).toBe(true);

    // administration
    expect((await call("get", "/api/admin/users", "/api/admin/users", { token })).status).toBe(403);
    await call("get", "/api/admin/users", `/api/admin/users?query=${username}`, { token: admin.token });
    await call("get", "/api/admin/rooms", "/api/admin/rooms?limit=5", { token: admin.token });
    await call("get", "/api/admin/settings", "/api/admin/settings", { token: admin.token });
    await call("put", "/api/admin/settings", "/api/admin/settings", { token: admin.token, json: { uploadLimitMb: null } });
    const invite = await call("post", "/api/admin/invites", "/api/admin/invites", { token: admin.token, json: { maxUses: 2 } });
    await call("get", "/api/admin/invites", "/api/admin/invites", { token: admin.token });
    const inviteToken = invite.json.invite.token;
    await call("delete", "/api/admin/invites/{token}", `/api/admin/invites/${inviteToken}`, { token: admin.token });
    await call("put", "/api/admin/users/{userId}/admin", `/api/admin/users/${stranger.id}/admin`, {
      token: admin.token,
      json: { isAdmin: false },
    });
    await call("post", "/api/admin/users/{userId}/deactivate", `/api/admin/users/${stranger.id}/deactivate`, {
      token: admin.token,
    });
    await call("post", "/api/admin/users/{userId}/reactivate", `/api/admin/users/${stranger.id}/reactivate`, {
      token: admin.token,
    });
    const reset = await call(
      "post",
      "/api/admin/users/{userId}/reset-password",
      `/api/admin/users/${stranger.id}/reset-password`,
      {
        token: admin.token,
      },
    );
    const resetToken = String(reset.json.url).split("/reset/")[1];
    await call("post", "/api/password-reset", "/api/password-reset", { json: { token: resetToken, password: "a new password" } });
    expect(
      (
        await call("post", "/api/password-reset", "/api/password-reset", {
          json: { token: resetToken, password: "again and again" },
        })
      ).status,
    ).toBe(403);

    // the rest that ends sessions and deletes, last
    const changed = await call("post", "/api/password", "/api/password", {
      token,
      json: { oldPassword: "correct horse battery", newPassword: "another horse battery" },
    });
    const fresh = changed.json.token as string;
    await call("delete", "/api/bots/{botId}/rooms/{roomId}", `/api/bots/${botId}/rooms/${roomId}`, { token: fresh });
    await call("delete", "/api/bots/{botId}", `/api/bots/${botId}`, { token: fresh });
    await call("delete", "/api/tokens/{tokenId}", `/api/tokens/${made.json.token.id}`, { token: fresh });
    expect((await call("delete", "/api/tokens/{tokenId}", "/api/tokens/none", { token: fresh })).status).toBe(404);
    await call("post", "/api/logout", "/api/logout", { token: fresh });
    await call("post", "/api/logout-all", "/api/logout-all", { token: stranger.token });
    expect((await connectAs(server, admin)).connected).toBe(true);

    // every operation the document lists was called above
    const listed = Object.entries(paths).flatMap(([template, item]) =>
      METHODS.filter((m) => m in item).map((m) => `${m} ${template}`),
    );
    expect(listed.filter((op) => !called.has(op))).toEqual([]);
  });
});
