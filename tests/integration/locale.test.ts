// POST /api/locale over real HTTP (docs/protocol.md): the choice is a cookie for the browser and,
// with a session, kept on the account; only our own pages may make it; only languages with a file.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createUser, startServer, type TestServer } from "../helpers/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server.close());

const choose = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/locale`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

const localeOf = (id: string) => server.komnata.database.db.user.findUnique({ where: { id }, select: { locale: true } });

it("keeps the choice in a cookie for anyone, and on the account of whoever is signed in", async () => {
  const visitor = await choose({ locale: "ru" });
  expect(visitor.status).toBe(204);
  expect(visitor.headers.get("set-cookie")).toMatch(/^komnata-locale=ru; Path=\/; Max-Age=31536000; SameSite=Lax; HttpOnly/);

  const user = await createUser(server);
  expect(await localeOf(user.id)).toEqual({ locale: null });
  expect((await choose({ locale: "ru" }, { authorization: `Bearer ${user.token}` })).status).toBe(204);
  expect(await localeOf(user.id)).toEqual({ locale: "ru" });
  expect((await choose({ locale: "en" }, { authorization: `Bearer ${user.token}` })).status).toBe(204);
  expect(await localeOf(user.id)).toEqual({ locale: "en" });
});

it("refuses languages it does not speak, and other sites' pages", async () => {
  const user = await createUser(server);
  for (const body of [{ locale: "xx" }, { locale: "../en" }, { locale: 1 }, {}, null]) {
    const res = await choose(body, { authorization: `Bearer ${user.token}` });
    expect(res.status, JSON.stringify(body)).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_input");
  }
  const foreign = await choose({ locale: "ru" }, { origin: "https://evil.example", authorization: `Bearer ${user.token}` });
  expect(foreign.status).toBe(403);
  expect(await localeOf(user.id)).toEqual({ locale: null });
});
