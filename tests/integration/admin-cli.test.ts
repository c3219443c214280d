// `npm run admin` beside a running server, on its database: what the command changes holds on the
// server at once (sessions, connections, the registration mode, admin rights). Both providers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runAdmin } from "../helpers/admin-cli.ts";
import {
  closeSockets,
  connectAs,
  createUser,
  handshake,
  ok,
  postJson,
  roomWith,
  startServer,
  type TestServer,
  type TestUser,
  uniqueName,
  waitFor,
} from "../helpers/server.ts";

let server: TestServer;
let first: TestUser;

beforeAll(async () => {
  server = await startServer();
  // the first account of a server is its admin; the others in these tests are not
  first = await createUser(server);
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

/** `npm run admin -- ...args` beside this file's server. */
const admin = (args: string[], stdin = "") => runAdmin(server, args, stdin);

const signIn = (username: string, password: string) => postJson(`${server.url}/api/token`, { username, password });

async function adminStatus(user: TestUser): Promise<number> {
  const res = await fetch(`${server.url}/api/admin/users`, { headers: { authorization: `Bearer ${user.token}` } });
  return res.status;
}

describe("npm run admin", () => {
  it("lists every account and counts users, rooms, messages and files", async () => {
    const ann = await createUser(server);
    const bob = await createUser(server);
    const { roomId, sockets } = await roomWith(server, ann, bob);
    await ok(sockets[0], "message:send", { roomId, body: "counted", clientMsgId: "c1" });

    const list = await admin(["list-users"]);
    expect(list.code).toBe(0);
    const lines = list.out.split("\n");
    expect(lines[0]).toMatch(/^USER\s+ADMIN\s+DEACTIVATED\s+CREATED$/);
    expect(lines.find((l) => l.startsWith(`${first.username} `))).toMatch(/\syes\s/);
    expect(lines.find((l) => l.startsWith(`${ann.username} `))).toMatch(/\s-\s+-\s+\d{4}-\d\d-\d\d$/);
    expect(list.out).toContain(bob.username);

    const users = await server.komnata.database.db.user.count();
    const messages = await server.komnata.database.db.message.count({ where: { deletedAt: null } });
    const stats = await admin(["stats"]);
    expect(stats.code).toBe(0);
    expect(stats.out).toMatch(new RegExp(`users\\s+${users} \\(${users} active, 1 admin\\)`));
    expect(stats.out).toMatch(new RegExp(`messages\\s+${messages} in rooms`));
    expect(messages).toBeGreaterThan(0);
    expect(stats.out).toMatch(/files\s+\d+ shared, [\d.]+ MiB/);
    expect(stats.out).toMatch(/disk\s+[\d.]+ MiB in /);
  });

  it("deactivates an account on the running server at once: its connections close, its tokens and password stop working", async () => {
    const bob = await createUser(server);
    const socket = await connectAs(server, bob);
    const run = await admin(["deactivate", bob.username]);
    expect(run).toMatchObject({ code: 0, out: `${bob.username} is deactivated and signed out everywhere.\n` });
    await waitFor(() => !socket.connected, 5000, "the deactivated account's connection to close");
    expect(await handshake(server, bob.token)).toBe("unauthorized");
    expect((await signIn(bob.username, bob.password)).status).not.toBe(200);

    expect((await admin(["reactivate", bob.username])).code).toBe(0);
    const again = await signIn(bob.username, bob.password);
    expect(again.status).toBe(200);
    // a session from before the deactivation stays signed out
    expect(await handshake(server, bob.token)).toBe("unauthorized");
    expect(await handshake(server, again.body.token)).toBe("connected");
  });

  it("prints a one-time link that sets a new password, once", async () => {
    const ann = await createUser(server);
    const run = await admin(["reset-password", ann.username]);
    expect(run.code).toBe(0);
    const token = new RegExp(`^${server.url.replace(/[.:/]/g, "\\$&")}/reset/([A-Za-z0-9_-]+)$`, "m").exec(run.out)?.[1];
    expect(token).toBeDefined();
    const reset = await postJson(`${server.url}/api/password-reset`, { token, password: "a brand new password" });
    expect(reset.status).toBe(200);
    expect((await signIn(ann.username, "a brand new password")).status).toBe(200);
    expect((await signIn(ann.username, ann.password)).status).not.toBe(200);
    const twice = await postJson(`${server.url}/api/password-reset`, { token, password: "yet another password" });
    expect(twice.status).toBe(403);
  });

  it("sets a password read from stdin and signs the account out everywhere; a bad one changes nothing", async () => {
    const ann = await createUser(server);
    const socket = await connectAs(server, ann);

    const short = await admin(["reset-password", ann.username, "--stdin"], "short\n");
    expect(short.code).toBe(2);
    expect(short.err).toContain("Password must be at least 8 characters");
    expect(socket.connected).toBe(true);
    expect((await signIn(ann.username, ann.password)).status).toBe(200);

    const run = await admin(["reset-password", ann.username, "--stdin"], "set from the shell\n");
    expect(run).toMatchObject({ code: 0, out: `Password of ${ann.username} set; signed out everywhere.\n` });
    await waitFor(() => !socket.connected, 5000, "the account's connection to close");
    expect((await signIn(ann.username, "set from the shell")).status).toBe(200);
    expect((await signIn(ann.username, ann.password)).status).not.toBe(200);
    expect(await handshake(server, ann.token)).toBe("unauthorized");
  });

  it("makes someone a server admin, at once", async () => {
    const bob = await createUser(server);
    expect(await adminStatus(bob)).toBe(403);
    expect((await admin(["make-admin", bob.username])).code).toBe(0);
    expect(await adminStatus(bob)).toBe(200);
  });

  it("closes and opens registration on the running server", async () => {
    const closed = await admin(["set-registration", "closed"]);
    expect(closed).toMatchObject({ code: 0, out: "Registration is closed.\n" });
    const refused = await postJson(`${server.url}/api/register`, { username: uniqueName(), password: "long enough 123" });
    expect(refused.status).toBe(403);
    expect((await admin(["set-registration", "open"])).code).toBe(0);
    const made = await postJson(`${server.url}/api/register`, { username: uniqueName(), password: "long enough 123" });
    expect(made.status).toBe(201);
  });

  it("says what is wrong, with a failing exit code, and changes nothing", async () => {
    const nobody = await admin(["deactivate", "nobody-by-this-name"]);
    expect(nobody.code).toBe(1);
    expect(nobody.err).toContain('No user named "nobody-by-this-name"');
    const mode = await admin(["set-registration", "sometimes"]);
    expect(mode.code).toBe(2);
    expect(mode.err).toContain("open, invite-only, closed");
    const unknown = await admin(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("Usage: npm run admin -- <command>");
    const missing = await admin(["make-admin"]);
    expect(missing.code).toBe(2);
    expect((await postJson(`${server.url}/api/register`, { username: uniqueName(), password: "long enough 123" })).status).toBe(
      201,
    );
  });
});
