// Shared files over real HTTP and Socket.IO: upload, download, who may, limits, hostile names.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MAX_THUMBNAIL_SOURCE_PIXELS, thumbnailStats } from "../../server/files/thumbnails.ts";
import type { WireMessage } from "../../server/protocol/index.ts";
import { MAX_UPLOADS_PER_USER } from "../../server/protocol/index.ts";
import {
  closeSockets,
  collect,
  connectAs,
  createUser,
  ok,
  request,
  startServer,
  type TestServer,
  type TestUser,
  waitFor,
} from "../helpers/server.ts";

const LIMIT_MB = 1;
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ MAX_UPLOAD_MB: String(LIMIT_MB) });
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

let sends = 0;

interface UploadReply {
  status: number;
  headers: Headers;
  body: { message: WireMessage & { conversationId?: string }; error: { code: string; message: string } };
}

async function upload(
  user: TestUser | null,
  target: Record<string, string>,
  name: string,
  data: Uint8Array,
  options: { type?: string; clientMsgId?: string; headers?: Record<string, string> } = {},
): Promise<UploadReply> {
  sends += 1;
  const query = new URLSearchParams({ ...target, name, clientMsgId: options.clientMsgId ?? `up${sends}` });
  const res = await fetch(`${server.url}/api/files?${query}`, {
    method: "POST",
    headers: {
      ...(user ? { authorization: `Bearer ${user.token}` } : {}),
      ...(options.type ? { "content-type": options.type } : {}),
      ...options.headers,
    },
    body: new Blob([new Uint8Array(data)]),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as UploadReply["body"] };
}

async function download(user: TestUser | null, fileId: string, suffix = "", method = "GET") {
  const res = await fetch(`${server.url}/api/files/${fileId}${suffix}`, {
    method,
    headers: user ? { authorization: `Bearer ${user.token}` } : {},
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** A room owned by `owner` with `members` in it. */
async function roomWith(owner: TestUser, ...members: TestUser[]): Promise<string> {
  const o = await connectAs(server, owner);
  const { room } = await ok(o, "room:create", { name: `files-${randomBytes(4).toString("hex")}` });
  for (const m of members) await ok(await connectAs(server, m), "room:join", { roomId: room.id });
  return room.id;
}

const uploads = () => path.join(server.database.dir, "uploads");
/** Every stored blob (staging excluded) and every staged leftover. */
function storedFiles(): { blobs: string[]; staged: string[] } {
  const dir = uploads();
  if (!existsSync(dir)) return { blobs: [], staged: [] };
  const blobs = readdirSync(dir)
    .filter((d) => d !== ".staging")
    .flatMap((d) => readdirSync(path.join(dir, d)));
  const staging = path.join(dir, ".staging");
  return { blobs, staged: existsSync(staging) ? readdirSync(staging) : [] };
}

const db = () => server.komnata.database.db;

describe("shared files", () => {
  it("an upload becomes a message in the room, and members download it byte-identical", async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const roomId = await roomWith(alice, bob);
    const b = await connectAs(server, bob);
    const seen = collect(b, "message:new");
    const data = randomBytes(300_000);

    const up = await upload(alice, { roomId }, "Quarterly report.pdf", data, { type: "application/pdf" });
    expect(up.status).toBe(201);
    const { message } = up.body;
    expect(message).toMatchObject({
      roomId,
      seq: 1,
      body: "",
      author: { id: alice.id, username: alice.username },
      file: { name: "Quarterly report.pdf", size: 300_000, type: "application/pdf", thumbnail: null },
    });
    await waitFor(() => seen.length === 1, 5000, "message:new");
    expect(seen[0]).toEqual(message);

    const got = await download(bob, message.file?.id as string);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(data)).toBe(true);
    expect(got.headers.get("content-type")).toBe("application/pdf");
    expect(got.headers.get("content-length")).toBe("300000");
    expect(got.headers.get("content-disposition")).toBe(
      `attachment; filename="Quarterly report.pdf"; filename*=UTF-8''Quarterly%20report.pdf`,
    );
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    expect(got.headers.get("content-security-policy")).toMatch(/^sandbox/);

    // a resumed download gets the rest, if the file is still the one it started
    const id = message.file?.id as string;
    const part = async (headers: Record<string, string>) => {
      const res = await fetch(`${server.url}/api/files/${id}`, { headers: { authorization: `Bearer ${bob.token}`, ...headers } });
      return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
    };
    const middle = await part({ range: "bytes=100000-199999" });
    expect(middle.status).toBe(206);
    expect(middle.headers.get("content-range")).toBe("bytes 100000-199999/300000");
    expect(middle.bytes.equals(data.subarray(100_000, 200_000))).toBe(true);
    const rest = await part({ range: "bytes=250000-", "if-range": got.headers.get("etag") as string });
    expect(rest.status).toBe(206);
    expect(rest.bytes.equals(data.subarray(250_000))).toBe(true);
    expect((await part({ range: "bytes=-10" })).bytes.equals(data.subarray(-10))).toBe(true);
    expect((await part({ range: "bytes=300000-" })).status).toBe(416);
    const changed = await part({ range: "bytes=0-9", "if-range": '"another version"' });
    expect(changed.status).toBe(200);
    expect(changed.bytes.length).toBe(300_000);
    expect((await part({ "if-none-match": got.headers.get("etag") as string })).status).toBe(304);

    // metadata, history and the Files view agree
    const row = await db().file.findUniqueOrThrow({ where: { id: message.file?.id } });
    expect(row).toMatchObject({
      name: "Quarterly report.pdf",
      size: 300_000,
      mimeType: "application/pdf",
      sha256: createHash("sha256").update(data).digest("hex"),
      uploaderId: alice.id,
      roomId,
      conversationId: null,
    });
    const history = await ok(b, "room:history", { roomId, limit: 50 });
    expect(history.messages).toEqual([message]);
    const listed = await ok(b, "file:list", { roomId });
    expect(listed).toEqual({
      ok: true,
      files: [
        {
          ...message.file,
          uploader: { id: alice.id, username: alice.username },
          createdAt: message.createdAt,
          room: { id: roomId, name: expect.stringMatching(/^files-/) },
          conversation: null,
        },
      ],
      hasMore: false,
    });

    // a retry with the same clientMsgId (its answer was lost) stores nothing twice
    const before = storedFiles().blobs.length;
    const again = await upload(alice, { roomId }, "Quarterly report.pdf", data, {
      type: "application/pdf",
      clientMsgId: message.clientMsgId,
    });
    expect(again.status).toBe(200);
    expect(again.body.message).toEqual(message);
    expect(await db().file.count({ where: { roomId } })).toBe(1);
    expect(storedFiles().blobs.length).toBe(before);
  });

  it("refuses everyone outside the room: a non-member gets 404, a stranger 401", async () => {
    const [alice, carol] = await Promise.all([createUser(server), createUser(server)]);
    const roomId = await roomWith(alice);
    const { message } = (await upload(alice, { roomId }, "secret.txt", Buffer.from("the plan"), { type: "text/plain" })).body;
    const fileId = message.file?.id as string;

    expect((await download(carol, fileId)).status).toBe(404);
    expect((await download(carol, fileId, "", "HEAD")).status).toBe(404);
    expect((await download(carol, fileId, "/thumbnail")).status).toBe(404);
    expect((await download(null, fileId)).status).toBe(401);
    expect((await download(alice, "00000000-0000-0000-0000-000000000000")).status).toBe(404);
    // a non-member can neither share into the room nor list what it holds
    const refused = await upload(carol, { roomId }, "spam.txt", Buffer.from("hi"));
    expect(refused.status).toBe(403);
    expect((await upload(null, { roomId }, "spam.txt", Buffer.from("hi"))).status).toBe(401);
    const c = await connectAs(server, carol);
    const listed = await request(c, "file:list", { roomId });
    expect(listed).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await db().file.count({ where: { roomId } })).toBe(1);

    // once she joins, she can
    await ok(c, "room:join", { roomId });
    const got = await download(carol, fileId);
    expect(got.status).toBe(200);
    expect(got.bytes.toString()).toBe("the plan");
  });

  it("takes the browser's session cookie only from our own pages", async () => {
    const alice = await createUser(server);
    const roomId = await roomWith(alice);
    const cookie = `next-auth.session-token=${alice.token}`;
    const from = (origin?: string) =>
      upload(null, { roomId }, "a.txt", Buffer.from("x"), { headers: { cookie, ...(origin ? { origin } : {}) } });
    expect((await from("https://evil.example")).status).toBe(403);
    expect((await from()).status).toBe(403);
    const fine = await from(server.url);
    expect(fine.status).toBe(201);
    // reading needs no Origin: a link or an <img> sends none
    const res = await fetch(`${server.url}/api/files/${fine.body.message.file?.id}`, { headers: { cookie } });
    expect(res.status).toBe(200);
  });

  it(`refuses more than MAX_UPLOAD_MB (${LIMIT_MB}) with 413 and keeps nothing`, async () => {
    const alice = await createUser(server);
    const roomId = await roomWith(alice);
    const limit = LIMIT_MB * 1024 * 1024;
    const before = storedFiles().blobs.length;

    // declared too large: refused before the body is read
    const declared = await upload(alice, { roomId }, "big.bin", randomBytes(limit + 1));
    expect(declared.status).toBe(413);
    expect(declared.body.error).toMatchObject({ code: "too_large", message: expect.stringContaining("1 MB") });

    // streamed with no length: refused as the limit is passed
    const streamed = await rawUpload(alice, { roomId, name: "stream.bin", clientMsgId: "s1" }, (req) => {
      for (let i = 0; i < 40; i++) req.write(randomBytes(64 * 1024));
      req.end();
    });
    expect(streamed.status).toBe(413);

    expect(await db().file.count({ where: { roomId } })).toBe(0);
    expect(await db().message.count({ where: { roomId } })).toBe(0);
    expect(storedFiles()).toEqual({ blobs: expect.any(Array), staged: [] });
    expect(storedFiles().blobs.length).toBe(before);

    // exactly the limit is fine
    expect((await upload(alice, { roomId }, "edge.bin", randomBytes(limit))).status).toBe(201);
  });

  it("an upload cut off halfway leaves no file and no row", async () => {
    const alice = await createUser(server);
    const roomId = await roomWith(alice);
    const blobsBefore = storedFiles().blobs.length;
    const refusedBefore = server.logs.filter((l) => l.msg === "http request refused").length;
    const query = new URLSearchParams({ roomId, name: "cut.bin", clientMsgId: "cut1" });
    await new Promise<void>((resolve) => {
      const req = http.request(`${server.url}/api/files?${query}`, {
        method: "POST",
        headers: { authorization: `Bearer ${alice.token}`, "content-length": "500000" },
      });
      req.on("error", () => resolve());
      req.write(randomBytes(200_000), () => setTimeout(() => req.destroy(), 100));
    });
    // the server notices and answers (to nobody) that the upload was interrupted
    await waitFor(
      () => server.logs.filter((l) => l.msg === "http request refused").length > refusedBefore,
      5000,
      "the server to notice the cut",
    );
    expect(storedFiles().staged).toEqual([]);
    expect(storedFiles().blobs.length).toBe(blobsBefore);
    expect(await db().file.count({ where: { roomId } })).toBe(0);
    expect(await db().message.count({ where: { roomId } })).toBe(0);
  });

  it(`takes at most ${MAX_UPLOADS_PER_USER} uploads from one user at once`, async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const roomId = await roomWith(alice, bob);
    // four uploads that have sent their headers and part of their bodies, and wait
    const open = Array.from({ length: MAX_UPLOADS_PER_USER }, (_, i) => {
      const query = new URLSearchParams({ roomId, name: `slow${i}.bin`, clientMsgId: `slow${i}` });
      const req = http.request(`${server.url}/api/files?${query}`, {
        method: "POST",
        headers: { authorization: `Bearer ${alice.token}`, "content-length": "100000" },
      });
      req.on("error", () => undefined);
      req.write(randomBytes(1000));
      return req;
    });
    await waitFor(() => storedFiles().staged.length === MAX_UPLOADS_PER_USER, 5000, "the uploads to start");
    const fifth = await upload(alice, { roomId }, "one-too-many.txt", Buffer.from("x"));
    expect(fifth.status).toBe(429);
    expect(fifth.headers.get("retry-after")).toBe("1");
    // someone else is not held up by Alice's uploads
    expect((await upload(bob, { roomId }, "bob.txt", Buffer.from("x"))).status).toBe(201);
    for (const req of open) req.destroy();
    await waitFor(() => storedFiles().staged.length === 0, 5000, "the cut uploads to be cleaned up");
    expect((await upload(alice, { roomId }, "now-fine.txt", Buffer.from("x"))).status).toBe(201);
  });

  it("stores and serves hostile names safely", async () => {
    const alice = await createUser(server);
    const roomId = await roomWith(alice);
    const cases: [string, string][] = [
      ["../../etc/passwd", "_.._etc_passwd"],
      ["..\\..\\windows\\win.ini", "_.._windows_win.ini"],
      ["a\u0000b.txt", "ab.txt"],
      ["evil\r\nSet-Cookie: x=1.txt", "evilSet-Cookie_ x=1.txt"],
      ['say "hi"; filename=x.exe', "say _hi_; filename=x.exe"],
      ["CON.txt", "_CON.txt"],
      ["nul", "_nul"],
      ["  .hidden.  ", "hidden"],
      ["...", "file"],
      ["Отчёт 2026 — финал.docx", "Отчёт 2026 — финал.docx"],
    ];
    const long = `${"я".repeat(300)}.pdf`;
    for (const [raw, stored] of [...cases, [long, ""] as [string, string]]) {
      const up = await upload(alice, { roomId }, raw, Buffer.from("x"));
      expect(up.status, raw).toBe(201);
      const name = up.body.message.file?.name as string;
      if (raw === long) {
        expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
        expect(name.endsWith("я.pdf")).toBe(true);
      } else expect(name, raw).toBe(stored);
      const got = await download(alice, up.body.message.file?.id as string);
      const disposition = got.headers.get("content-disposition") as string;
      expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%!._~-]+$/);
      const encoded = disposition.split("filename*=UTF-8''")[1];
      expect(decodeURIComponent(encoded)).toBe(name);
    }
    // on disk only the server's ids: no name ever reaches the file system
    for (const blob of storedFiles().blobs) expect(blob).toMatch(/^[0-9a-f-]{36}(\.thumb)?$/);
  });

  it("makes thumbnails one at a time, and none of a picture too large to decode safely", async () => {
    const alice = await createUser(server);
    const roomId = await roomWith(alice);
    const square = (size: number) =>
      sharp({ create: { width: size, height: size, channels: 3, background: "#cc6633" } })
        .png({ compressionLevel: 9 })
        .toBuffer();
    thumbnailStats.peak = 0;
    const pictures = await Promise.all([900, 1000, 1100, 1200].map(square));
    const shared = await Promise.all(
      pictures.map((png, i) => upload(alice, { roomId }, `p${i}.png`, png, { type: "image/png" })),
    );
    expect(shared.map((r) => r.body.message.file?.thumbnail?.width)).toEqual([320, 320, 320, 320]);
    expect(thumbnailStats.peak).toBe(1);

    // 7000 x 7000 is 49 MP, compressed to a few KB: shared, but not decoded for a thumbnail
    const huge = await square(7000);
    expect(huge.length).toBeLessThan(LIMIT_MB * 1024 * 1024);
    const up = await upload(alice, { roomId }, "huge.png", huge, { type: "image/png" });
    expect(up.status).toBe(201);
    expect(up.body.message.file).toMatchObject({ type: "image/png", thumbnail: null });
    expect(7000 * 7000).toBeGreaterThan(MAX_THUMBNAIL_SOURCE_PIXELS);
  });

  it("makes thumbnails of pictures, and never serves anything a browser would render", async () => {
    const alice = await createUser(server);
    const roomId = await roomWith(alice);
    const png = await sharp({ create: { width: 1200, height: 800, channels: 3, background: "#3366cc" } })
      .png()
      .toBuffer();
    const photo = await upload(alice, { roomId }, "photo.png", png, { type: "image/png" });
    expect(photo.body.message.file).toMatchObject({ type: "image/png", thumbnail: { width: 320, height: 213 } });
    const thumb = await download(alice, photo.body.message.file?.id as string, "/thumbnail");
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toBe("image/webp");
    expect(thumb.headers.get("content-disposition")).toMatch(/^inline; /);
    expect(thumb.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: "webp", width: 320, height: 213 });

    // HTML wearing a .png name and type: no thumbnail, and a download that is only ever a download
    const html = Buffer.from("<html><script>alert(document.cookie)</script></html>");
    const fake = await upload(alice, { roomId }, "cat.png", html, { type: "image/png" });
    expect(fake.body.message.file?.thumbnail).toBeNull();
    const served = await download(alice, fake.body.message.file?.id as string);
    expect(served.headers.get("content-disposition")).toMatch(/^attachment; /);
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("content-security-policy")).toMatch(/^sandbox/);
    expect((await download(alice, fake.body.message.file?.id as string, "/thumbnail")).status).toBe(404);

    // SVG can carry script: never a thumbnail, and served as opaque bytes
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>');
    const drawing = await upload(alice, { roomId }, "logo.svg", svg, { type: "image/svg+xml" });
    expect(drawing.body.message.file).toMatchObject({ type: "image/svg+xml", thumbnail: null });
    const svgServed = await download(alice, drawing.body.message.file?.id as string);
    expect(svgServed.headers.get("content-type")).toBe("application/octet-stream");
    expect(svgServed.bytes.equals(svg)).toBe(true);

    // a picture sent without a type is recognised by its bytes
    const untyped = await upload(alice, { roomId }, "scan", png);
    expect(untyped.body.message.file).toMatchObject({ type: "image/png", thumbnail: { width: 320 } });
  });

  it("shows a picture in the viewer as a preview made here, and a real PDF in the browser's viewer, sandboxed", async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const roomId = await roomWith(alice);
    const wide = await sharp({ create: { width: 3000, height: 1000, channels: 3, background: "#cc6633" } })
      .png()
      .toBuffer();
    const photo = (await upload(alice, { roomId }, "panorama.png", wide)).body.message.file;
    const id = photo?.id as string;
    const preview = await download(alice, id, "/preview");
    expect(preview.status).toBe(200);
    expect(preview.headers.get("content-type")).toBe("image/webp");
    expect(preview.headers.get("content-disposition")).toMatch(/^inline; filename="panorama\.preview\.webp"/);
    expect(preview.headers.get("x-content-type-options")).toBe("nosniff");
    expect(preview.headers.get("content-security-policy")).toBe("sandbox; default-src 'none'");
    expect(await sharp(preview.bytes).metadata()).toMatchObject({ format: "webp", width: 2048, height: 683 });
    // made once and kept
    expect(storedFiles().blobs).toContain(`${id}.preview`);
    const again = await download(alice, id, "/preview");
    expect(again.headers.get("etag")).toBe(preview.headers.get("etag"));
    expect(again.bytes.equals(preview.bytes)).toBe(true);
    // a small picture keeps its size; someone outside the room gets nothing; a file that is no picture has none
    const small = await sharp({ create: { width: 400, height: 300, channels: 3, background: "#fff" } })
      .jpeg()
      .toBuffer();
    const smallId = (await upload(alice, { roomId }, "small.jpg", small)).body.message.file?.id as string;
    expect(await sharp((await download(alice, smallId, "/preview")).bytes).metadata()).toMatchObject({ width: 400, height: 300 });
    expect((await download(bob, id, "/preview")).status).toBe(404);
    const text = (await upload(alice, { roomId }, "notes.txt", Buffer.from("hello"))).body.message.file?.id as string;
    expect((await download(alice, text, "/preview")).status).toBe(404);

    // a PDF: inline for the browser's viewer, in a sandbox without scripts; its download stays a download
    const pdfBytes = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
    const pdf = (await upload(alice, { roomId }, "Report.pdf", pdfBytes, { type: "application/pdf" })).body.message.file;
    const view = await download(alice, pdf?.id as string, "/view");
    expect(view.status).toBe(200);
    expect(view.headers.get("content-type")).toBe("application/pdf");
    expect(view.headers.get("content-disposition")).toMatch(/^inline; filename="Report\.pdf"/);
    expect(view.headers.get("content-security-policy")).toBe("sandbox allow-same-origin; default-src 'none'");
    expect(view.headers.get("x-content-type-options")).toBe("nosniff");
    expect(view.bytes.equals(pdfBytes)).toBe(true);
    expect((await download(alice, pdf?.id as string)).headers.get("content-disposition")).toMatch(/^attachment; /);
    expect((await download(bob, pdf?.id as string, "/view")).status).toBe(404);
    // HTML calling itself a PDF, and a picture, are not opened inline
    const html = Buffer.from("<html><script>alert(document.cookie)</script></html>");
    const fake = (await upload(alice, { roomId }, "invoice.pdf", html, { type: "application/pdf" })).body.message.file;
    const refused = await download(alice, fake?.id as string, "/view");
    expect(refused.status).toBe(404);
    expect(refused.headers.get("content-type")).toMatch(/^application\/json/);
    expect((await download(alice, id, "/view")).status).toBe(404);
  });

  it("shares files in a private conversation with its two participants only", async () => {
    const [alice, bob, carol] = await Promise.all([createUser(server), createUser(server), createUser(server)]);
    const b = await connectAs(server, bob);
    const seen = collect(b, "dm:new");
    const up = await upload(alice, { to: bob.username }, "notes.txt", Buffer.from("for your eyes"), { type: "text/plain" });
    expect(up.status).toBe(201);
    const { message } = up.body;
    const conversationId = message.conversationId as string;
    expect(message).toMatchObject({ seq: 1, file: { name: "notes.txt", size: 13 } });
    await waitFor(() => seen.length === 1, 5000, "dm:new");
    expect((await download(bob, message.file?.id as string)).bytes.toString()).toBe("for your eyes");
    expect((await download(carol, message.file?.id as string)).status).toBe(404);
    expect((await upload(carol, { conversationId }, "x.txt", Buffer.from("x"))).status).toBe(403);
    expect((await ok(b, "file:list", { conversationId })).files.map((f) => f.name)).toEqual(["notes.txt"]);
    const c = await connectAs(server, carol);
    expect(await request(c, "file:list", { conversationId })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    // unread for Bob, not for Alice
    expect((await ok(b, "dm:list", {})).conversations[0]).toMatchObject({ id: conversationId, unread: 1 });
  });

  it("finds every file a user can read, by name, ignoring case, and nothing else", async () => {
    const [alice, bob, carol] = await Promise.all([createUser(server), createUser(server), createUser(server)]);
    const shared = await roomWith(alice, bob);
    const alicesOwn = await roomWith(alice);
    const text = (s: string) => Buffer.from(s);
    await upload(alice, { roomId: shared }, "Budget 2027.xlsx", text("1"));
    await upload(alice, { roomId: alicesOwn }, "budget-draft.xlsx", text("2"));
    await upload(alice, { to: bob.username }, "БЮДЖЕТ итог.pdf", text("3"));
    await upload(carol, { to: alice.username }, "budget for alice.txt", text("4"));
    await upload(alice, { roomId: shared }, "100%_done_.txt", text("5"));

    const b = await connectAs(server, bob);
    const all = await ok(b, "file:list", {});
    expect(all.files.map((f) => f.name)).toEqual(["100%_done_.txt", "БЮДЖЕТ итог.pdf", "Budget 2027.xlsx"]);
    const pdf = all.files.find((f) => f.name.endsWith(".pdf"));
    expect(pdf).toMatchObject({ room: null, conversation: { with: { id: alice.id, username: alice.username } } });

    const search = async (query: string) => (await ok(b, "file:list", { query })).files.map((f) => f.name);
    expect(await search("budget")).toEqual(["Budget 2027.xlsx"]);
    expect(await search("бюджет")).toEqual(["БЮДЖЕТ итог.pdf"]);
    // LIKE's wildcards are only characters here
    expect(await search("0%_")).toEqual(["100%_done_.txt"]);
    expect(await search("%")).toEqual(["100%_done_.txt"]);
    expect(await search("nothing like it")).toEqual([]);
    // in one room, as the Files view searches it
    expect((await ok(b, "file:list", { roomId: shared, query: "BUDGET" })).files.map((f) => f.name)).toEqual([
      "Budget 2027.xlsx",
    ]);
    // paging through everything
    const first = await ok(b, "file:list", { limit: 2 });
    const rest = await ok(b, "file:list", { limit: 2, before: first.files[1].id });
    expect([...first.files, ...rest.files].map((f) => f.name)).toEqual(all.files.map((f) => f.name));
    expect([first.hasMore, rest.hasMore]).toEqual([true, false]);
  });

  it('lets the uploader remove a file: its bytes go, its message stays as "file removed" for everyone', async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const roomId = await roomWith(alice, bob);
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#08f" } })
      .png()
      .toBuffer();
    const { message } = (await upload(alice, { roomId }, "wrong picture.png", png)).body;
    const fileId = message.file?.id as string;
    expect(message.file?.thumbnail).not.toBeNull();
    expect((await download(alice, fileId, "/preview")).status).toBe(200);
    expect(storedFiles().blobs).toEqual(expect.arrayContaining([fileId, `${fileId}.thumb`, `${fileId}.preview`]));
    const [a, b] = [await connectAs(server, alice), await connectAs(server, bob)];
    const told = [collect(a, "file:removed"), collect(b, "file:removed")];

    // only its uploader may, and only once
    expect(await request(b, "file:remove", { fileId })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect((await download(bob, fileId)).status).toBe(200);
    await ok(a, "file:remove", { fileId });
    expect(await request(a, "file:remove", { fileId })).toMatchObject({ ok: false, error: { code: "not_found" } });

    await waitFor(() => told.every((t) => t.length === 1), 5000, "file:removed");
    for (const t of told) expect(t[0]).toEqual({ fileId, seq: message.seq, rev: message.rev + 1, roomId });
    expect(storedFiles().blobs).not.toContain(fileId);
    expect(storedFiles().blobs).not.toContain(`${fileId}.thumb`);
    expect(storedFiles().blobs).not.toContain(`${fileId}.preview`);
    expect((await download(bob, fileId, "/preview")).status).toBe(404);
    const gone = await fetch(`${server.url}/api/files/${fileId}`, { headers: { authorization: `Bearer ${bob.token}` } });
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { error: { message: string } }).error.message).toContain("removed");
    expect((await download(bob, fileId, "/thumbnail")).status).toBe(404);
    // the message keeps its place; nothing of the file is left to read
    const history = await ok(b, "room:history", { roomId, afterSeq: 0 });
    expect(history.messages[0]).toMatchObject({ seq: message.seq, file: { id: fileId, removed: true, name: "", size: 0 } });
    expect((await ok(b, "file:list", { roomId })).files).toEqual([]);
    expect((await ok(b, "file:list", {})).files.map((f) => f.id)).not.toContain(fileId);
  });

  it("removes a file shared in a private conversation for both participants", async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const { message } = (await upload(alice, { to: bob.username }, "draft.txt", Buffer.from("oops"))).body;
    const b = await connectAs(server, bob);
    const told = collect(b, "file:removed");
    await ok(await connectAs(server, alice), "file:remove", { fileId: message.file?.id as string });
    await waitFor(() => told.length === 1, 5000, "file:removed");
    expect(told[0]).toEqual({ fileId: message.file?.id, seq: 1, rev: 2, conversationId: message.conversationId });
    const history = await ok(b, "dm:history", { conversationId: message.conversationId as string, afterSeq: 0 });
    expect(history.messages[0].file).toMatchObject({ removed: true });
    expect((await download(bob, message.file?.id as string)).status).toBe(404);
  });

  it("checks the request before taking any bytes", async () => {
    const alice = await createUser(server);
    const roomId = await roomWith(alice);
    const bad: Record<string, string>[] = [
      { roomId, clientMsgId: "q1" },
      { name: "a.txt", clientMsgId: "q2" },
      { roomId, to: "someone", name: "a.txt", clientMsgId: "q3" },
      { roomId, name: "a.txt", clientMsgId: "bad id!" },
      { roomId, name: "x".repeat(2000), clientMsgId: "q4" },
    ];
    for (const query of bad) {
      const res = await fetch(`${server.url}/api/files?${new URLSearchParams(query)}`, {
        method: "POST",
        headers: { authorization: `Bearer ${alice.token}` },
        body: "x",
      });
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_input");
    }
    const wrongMethod = await fetch(`${server.url}/api/files/abc`, { method: "DELETE" });
    expect(wrongMethod.status).toBe(405);
    expect(await db().file.count({ where: { roomId } })).toBe(0);
  });
});

/** A POST to /api/files written by hand (chunked unless the writer says otherwise). */
function rawUpload(
  user: TestUser,
  query: Record<string, string>,
  write: (req: http.ClientRequest) => void,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}/api/files?${new URLSearchParams(query)}`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.token}` },
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    write(req);
  });
}
