// GET /api/health tells a load balancer the truth (issue 9): each dependency checked, 503 when
// one is down, and nothing about the failure given to whoever asks.
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { startServer, type TestServer } from "../helpers/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server.close());

const health = async () => {
  const res = await fetch(`${server.url}/api/health`);
  return { status: res.status, body: (await res.json()) as { ok: boolean; checks: Record<string, string> } };
};

it("reports each dependency, 200 when all answer", async () => {
  expect(await health()).toMatchObject({
    status: 200,
    body: { ok: true, checks: { database: "ok", messages: "ok", uploads: "ok" } },
  });
});

it("answers 503 naming the database when it fails, without its error, and 200 again once it is back", async () => {
  const { db } = server.komnata.database;
  const spy = vi.spyOn(db, "$queryRawUnsafe").mockRejectedValue(new Error("Can't reach database server at 10.1.2.3:5432"));
  try {
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ ok: false, checks: { database: "down", messages: "ok", uploads: "ok" } });
    expect(JSON.stringify(down.body)).not.toContain("10.1.2.3");
    expect(server.logs.some((l) => l.msg === "health check failed" && l.check === "database")).toBe(true);
  } finally {
    spy.mockRestore();
  }
  expect((await health()).status).toBe(200);
});

it("says `timeout` for a dependency that does not answer", async () => {
  const { db } = server.komnata.database;
  const spy = vi.spyOn(db, "$queryRawUnsafe").mockReturnValue(new Promise(() => undefined) as never);
  try {
    expect(await health()).toMatchObject({ status: 503, body: { checks: { database: "timeout" } } });
  } finally {
    spy.mockRestore();
  }
});

it("answers 503 when the upload directory cannot be written", async () => {
  const uploads = path.join(server.database.dir, "uploads");
  rmSync(uploads, { recursive: true, force: true });
  // a file where the directory should be: nothing can be stored under it
  writeFileSync(uploads, "not a directory");
  try {
    expect(await health()).toMatchObject({ status: 503, body: { checks: { uploads: "down" } } });
  } finally {
    rmSync(uploads, { force: true });
  }
  expect((await health()).status).toBe(200);
});

it("refuses to start with an upload directory it cannot write, saying which", async () => {
  const blocked = path.join(server.database.dir, "a-file");
  writeFileSync(blocked, "x");
  await expect(startServer({ UPLOAD_DIR: path.join(blocked, "uploads") })).rejects.toThrow(/UPLOAD_DIR \(.*a-file\/uploads\)/);
});
