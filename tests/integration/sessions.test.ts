// Signing out ends a session for good (issue 9): its token is refused everywhere, its open
// connections close at once, and signing out everywhere ends every session of the user.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  closeSockets,
  connectAs,
  createUser,
  openSocket,
  postJson,
  startServer,
  type TestServer,
  type TestUser,
  waitFor,
} from "../helpers/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

const post = (path: string, token: string) =>
  fetch(`${server.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${token}` } });

/** A second token for the same user: another session (another device). */
async function anotherSession(user: TestUser): Promise<string> {
  const res = await postJson(`${server.url}/api/token`, { username: user.username, password: user.password });
  return res.body.token;
}

async function refused(token: string): Promise<string | undefined> {
  const socket = openSocket(server, { token });
  return new Promise((resolve) => {
    socket.once("connect", () => resolve("connected"));
    socket.once("connect_error", (error: Error & { data?: { code?: string } }) => resolve(error.data?.code));
  });
}

describe("sessions", () => {
  it("POST /api/logout ends that session: its sockets close, its token is refused, other sessions go on", async () => {
    const user = await createUser(server);
    const laptop = user.token;
    const phone = await anotherSession(user);
    const onLaptop = await connectAs(server, { ...user, token: laptop });
    const onPhone = await connectAs(server, { ...user, token: phone });
    const reasons: string[] = [];
    onLaptop.on("disconnect", (reason) => reasons.push(reason));

    expect((await post("/api/logout", laptop)).status).toBe(204);
    await waitFor(() => reasons.length > 0, 5000, "the laptop's socket to be closed");
    expect(reasons).toEqual(["io server disconnect"]);
    expect(await refused(laptop)).toBe("unauthorized");
    expect((await fetch(`${server.url}/api/files/x`, { headers: { authorization: `Bearer ${laptop}` } })).status).toBe(401);
    // the phone never noticed
    expect(onPhone.connected).toBe(true);
    expect(await refused(phone)).toBe("connected");
  });

  it("POST /api/logout-all ends every session of the user, and a sign-in afterwards works", async () => {
    const [user, other] = await Promise.all([createUser(server), createUser(server)]);
    const tokens = [user.token, await anotherSession(user), await anotherSession(user)];
    const sockets = await Promise.all(tokens.map((token) => connectAs(server, { ...user, token })));
    const bystander = await connectAs(server, other);

    expect((await post("/api/logout-all", tokens[1])).status).toBe(204);
    await waitFor(() => sockets.every((s) => !s.connected), 5000, "every socket of the user to close");
    for (const token of tokens) expect(await refused(token)).toBe("unauthorized");
    expect(bystander.connected).toBe(true);

    const fresh = await anotherSession(user);
    expect(await refused(fresh)).toBe("connected");
  });

  it("asks for credentials, and a cookie from a foreign page cannot sign anyone out", async () => {
    expect((await fetch(`${server.url}/api/logout`, { method: "POST" })).status).toBe(401);
    const user = await createUser(server);
    const res = await fetch(`${server.url}/api/logout`, {
      method: "POST",
      headers: { cookie: `next-auth.session-token=${user.token}`, origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
    expect(await refused(user.token)).toBe("connected");
  });
});
