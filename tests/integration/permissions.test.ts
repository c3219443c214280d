// Who may do what in a room (issue 15): every request about a room, tried by everyone who could
// try it (its owner, an admin, a member, someone outside it, someone banned from it, a server
// admin who is not in it), against what server/protocol/roles.ts says. A private room answers
// whoever is not in it as if it did not exist. On both providers (KOMNATA_TEST_DB=postgres).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientEvent, ErrorCode, Input, WireMessage } from "../../server/protocol/index.ts";
import {
  type ClientSocket,
  connectAs,
  createUser,
  ok,
  request,
  startServer,
  type TestServer,
  type TestUser,
  uniqueName,
} from "../helpers/server.ts";

const ACTORS = ["owner", "admin", "member", "outsider", "banned", "serverAdmin"] as const;
type Actor = (typeof ACTORS)[number];

let server: TestServer;
const users = {} as Record<Actor | "member2" | "admin2" | "newcomer", TestUser>;
const sockets = {} as Record<Actor | "member2" | "admin2", ClientSocket>;

beforeAll(async () => {
  server = await startServer();
  // the first account is the server's admin
  users.serverAdmin = await createUser(server);
  for (const name of ["owner", "admin", "admin2", "member", "member2", "outsider", "banned", "newcomer"] as const) {
    users[name] = await createUser(server);
  }
  for (const name of [...ACTORS, "member2", "admin2"] as const) sockets[name] = await connectAs(server, users[name]);
});
afterAll(async () => {
  for (const socket of Object.values(sockets)) socket.disconnect();
  await server.close();
});

/** A room with its owner, two admins, two members, someone banned; a message by the owner and one by a member. */
async function fixture(visibility: "public" | "private") {
  const { owner, admin, admin2, member, member2 } = sockets;
  const { room } = await ok(owner, "room:create", { name: uniqueName("perm"), visibility });
  for (const [name, socket] of [
    ["admin", admin],
    ["member", member],
    ["member2", member2],
    ["admin2", admin2],
  ] as const) {
    await ok(owner, "room:invite", { roomId: room.id, username: users[name].username });
    await ok(socket, "room:invitation:respond", { roomId: room.id, accept: true });
  }
  await ok(owner, "room:set-role", { roomId: room.id, userId: users.admin.id, role: "admin" });
  await ok(owner, "room:set-role", { roomId: room.id, userId: users.admin2.id, role: "admin" });
  await ok(owner, "room:ban", { roomId: room.id, userId: users.banned.id });
  const byOwner = (await ok(owner, "message:send", { roomId: room.id, body: "from the owner", clientMsgId: "o1" })).message;
  const byMember = (await ok(member, "message:send", { roomId: room.id, body: "from a member", clientMsgId: "m1" })).message;
  return { roomId: room.id, byOwner, byMember };
}

type Fixture = Awaited<ReturnType<typeof fixture>>;
type Outcome = "ok" | ErrorCode;

interface Case {
  what: string;
  /** the request, made against a fresh room for each actor when `changes` (else one room serves every actor) */
  make(f: Fixture): { [E in ClientEvent]: [E, Input<E>] }[ClientEvent];
  changes?: boolean;
  /** what each actor gets, in a private room; a public room differs only where `publicRoom` says */
  expect: Record<Actor, Outcome>;
  publicRoom?: Partial<Record<Actor, Outcome>>;
}

// who is not in a private room learns nothing of it: not_found, as for a room that is not there
const HIDDEN = { outsider: "not_found", banned: "not_found", serverAdmin: "not_found" } as const;
const MEMBERS_ONLY = { owner: "ok", admin: "ok", member: "ok", ...HIDDEN } as const;
const MODERATORS = { owner: "ok", admin: "ok", member: "forbidden", ...HIDDEN } as const;
const OWNER = { owner: "ok", admin: "forbidden", member: "forbidden", ...HIDDEN } as const;
// in a public room, someone outside it is refused (they may join), never told it is not there
const PUBLIC_OUTSIDERS = { outsider: "forbidden", banned: "forbidden", serverAdmin: "forbidden" } as const;

const CASES: Case[] = [
  {
    what: "room:get",
    make: (f) => ["room:get", { roomId: f.roomId }],
    expect: MEMBERS_ONLY,
    publicRoom: { outsider: "ok", banned: "ok", serverAdmin: "ok" },
  },
  {
    what: "room:history",
    make: (f) => ["room:history", { roomId: f.roomId }],
    expect: MEMBERS_ONLY,
    publicRoom: PUBLIC_OUTSIDERS,
  },
  {
    what: "room:around",
    make: (f) => ["room:around", { roomId: f.roomId, seq: 1 }],
    expect: MEMBERS_ONLY,
    publicRoom: PUBLIC_OUTSIDERS,
  },
  {
    what: "room:sync",
    make: (f) => ["room:sync", { roomId: f.roomId, afterRev: 0 }],
    expect: MEMBERS_ONLY,
    publicRoom: PUBLIC_OUTSIDERS,
  },
  {
    what: "room:read",
    make: (f) => ["room:read", { roomId: f.roomId, seq: 1 }],
    expect: MEMBERS_ONLY,
    publicRoom: PUBLIC_OUTSIDERS,
  },
  {
    what: "room:settings",
    make: (f) => ["room:settings", { roomId: f.roomId }],
    expect: MEMBERS_ONLY,
    publicRoom: PUBLIC_OUTSIDERS,
  },
  {
    what: "message:send",
    make: (f) => ["message:send", { roomId: f.roomId, body: "hi", clientMsgId: uniqueName("c") }],
    expect: MEMBERS_ONLY,
    publicRoom: PUBLIC_OUTSIDERS,
  },
  {
    what: "reaction:add",
    make: (f) => ["reaction:add", { roomId: f.roomId, messageId: f.byOwner.id, emoji: "👍" }],
    expect: MEMBERS_ONLY,
    publicRoom: PUBLIC_OUTSIDERS,
  },
  {
    what: "message:edit of a member's message: its author only",
    make: (f) => ["message:edit", { roomId: f.roomId, messageId: f.byMember.id, body: "changed" }],
    expect: { owner: "forbidden", admin: "forbidden", member: "ok", ...HIDDEN },
    publicRoom: PUBLIC_OUTSIDERS,
  },
  {
    what: "message:delete of a member's message: its author, or a moderator",
    make: (f) => ["message:delete", { roomId: f.roomId, messageId: f.byMember.id }],
    changes: true,
    expect: MEMBERS_ONLY,
    publicRoom: PUBLIC_OUTSIDERS,
  },
  {
    what: "message:delete of the owner's message",
    make: (f) => ["message:delete", { roomId: f.roomId, messageId: f.byOwner.id }],
    changes: true,
    expect: MODERATORS,
    publicRoom: PUBLIC_OUTSIDERS,
  },
  {
    what: "message:pin",
    make: (f) => ["message:pin", { roomId: f.roomId, messageId: f.byMember.id, pinned: true }],
    changes: true,
    expect: MODERATORS,
    publicRoom: PUBLIC_OUTSIDERS,
  },
  { what: "room:pins", make: (f) => ["room:pins", { roomId: f.roomId }], expect: MEMBERS_ONLY, publicRoom: PUBLIC_OUTSIDERS },
  {
    what: "room:update of the name",
    make: (f) => ["room:update", { roomId: f.roomId, name: uniqueName("renamed") }],
    changes: true,
    expect: MODERATORS,
    publicRoom: PUBLIC_OUTSIDERS,
  },
  {
    what: "room:update to archive (a server admin may archive any room)",
    make: (f) => ["room:update", { roomId: f.roomId, archived: true }],
    changes: true,
    expect: { ...MODERATORS, serverAdmin: "ok" },
    publicRoom: { outsider: "forbidden", banned: "forbidden" },
  },
  {
    what: "room:invite",
    make: (f) => ["room:invite", { roomId: f.roomId, username: users.newcomer.username }],
    changes: true,
    expect: MODERATORS,
    publicRoom: PUBLIC_OUTSIDERS,
  },
  {
    what: "room:invite-link:create",
    make: (f) => ["room:invite-link:create", { roomId: f.roomId }],
    changes: true,
    expect: MODERATORS,
    publicRoom: PUBLIC_OUTSIDERS,
  },
  {
    what: "room:invite-links",
    make: (f) => ["room:invite-links", { roomId: f.roomId }],
    expect: MODERATORS,
    publicRoom: PUBLIC_OUTSIDERS,
  },
  {
    what: "room:kick of a member",
    make: (f) => ["room:kick", { roomId: f.roomId, userId: users.member2.id }],
    changes: true,
    expect: MODERATORS,
    publicRoom: PUBLIC_OUTSIDERS,
  },
  {
    what: "room:kick of the admin: the owner only",
    make: (f) => ["room:kick", { roomId: f.roomId, userId: users.admin.id }],
    changes: true,
    expect: { owner: "ok", admin: "invalid_input", member: "forbidden", ...HIDDEN },
    publicRoom: PUBLIC_OUTSIDERS,
  },
  {
    what: "room:ban of another admin: the owner only",
    make: (f) => ["room:ban", { roomId: f.roomId, userId: users.admin2.id }],
    changes: true,
    expect: { owner: "ok", admin: "forbidden", member: "forbidden", ...HIDDEN },
    publicRoom: PUBLIC_OUTSIDERS,
  },
  {
    what: "room:set-role handing the room over",
    make: (f) => ["room:set-role", { roomId: f.roomId, userId: users.member.id, role: "owner" }],
    changes: true,
    expect: OWNER,
    publicRoom: PUBLIC_OUTSIDERS,
  },
  {
    what: "room:kick of the owner: nobody",
    make: (f) => ["room:kick", { roomId: f.roomId, userId: users.owner.id }],
    changes: true,
    expect: { owner: "invalid_input", admin: "forbidden", member: "forbidden", ...HIDDEN },
    publicRoom: PUBLIC_OUTSIDERS,
  },
  {
    what: "room:ban of a member",
    make: (f) => ["room:ban", { roomId: f.roomId, userId: users.member2.id }],
    changes: true,
    expect: MODERATORS,
    publicRoom: PUBLIC_OUTSIDERS,
  },
  {
    what: "room:unban",
    make: (f) => ["room:unban", { roomId: f.roomId, userId: users.banned.id }],
    changes: true,
    expect: MODERATORS,
    publicRoom: PUBLIC_OUTSIDERS,
  },
  { what: "room:bans", make: (f) => ["room:bans", { roomId: f.roomId }], expect: MODERATORS, publicRoom: PUBLIC_OUTSIDERS },
  {
    what: "room:set-role of a member",
    make: (f) => ["room:set-role", { roomId: f.roomId, userId: users.member2.id, role: "admin" }],
    changes: true,
    expect: OWNER,
    publicRoom: PUBLIC_OUTSIDERS,
  },
  {
    what: "room:delete (a server admin may delete any room)",
    make: (f) => ["room:delete", { roomId: f.roomId }],
    changes: true,
    expect: { ...OWNER, serverAdmin: "ok" },
    publicRoom: { outsider: "forbidden", banned: "forbidden" },
  },
  {
    what: "room:join: members already, or not let in (a private room without an invitation, a ban)",
    make: (f) => ["room:join", { roomId: f.roomId }],
    changes: true,
    expect: { owner: "ok", admin: "ok", member: "ok", outsider: "forbidden", banned: "forbidden", serverAdmin: "forbidden" },
    publicRoom: { outsider: "ok", serverAdmin: "ok" },
  },
  {
    what: "room:leave (the owner's hands the room to an admin)",
    make: (f) => ["room:leave", { roomId: f.roomId }],
    changes: true,
    expect: { owner: "ok", admin: "ok", member: "ok", outsider: "ok", banned: "ok", serverAdmin: "ok" },
  },
];

/** What `actor` got for `c` in a room of `visibility`. */
async function attempt(c: Case, actor: Actor, f: Fixture): Promise<Outcome> {
  const [event, payload] = c.make(f);
  const reply = await request(sockets[actor], event, payload as never);
  return reply.ok ? "ok" : reply.error.code;
}

describe.each(["private", "public"] as const)("in a %s room", (visibility) => {
  it("every request answers every role as the rules say", async () => {
    const got: string[] = [];
    const want: string[] = [];
    // requests that change nothing share one room
    const shared = await fixture(visibility);
    for (const c of CASES) {
      const expected = { ...c.expect, ...(visibility === "public" ? c.publicRoom : {}) };
      for (const actor of ACTORS) {
        const f = c.changes ? await fixture(visibility) : shared;
        got.push(`${c.what} by ${actor}: ${await attempt(c, actor, f)}`);
        want.push(`${c.what} by ${actor}: ${expected[actor]}`);
      }
    }
    // one comparison: a failure lists every cell that differs
    expect(got).toEqual(want);
  }, 120_000);
});

describe.each(["private", "public"] as const)("the HTTP API, in a %s room", (visibility) => {
  it("shares and serves a room's files to its members only", async () => {
    const f = await fixture(visibility);
    const upload = (actor: Actor) =>
      fetch(`${server.url}/api/files?${new URLSearchParams({ roomId: f.roomId, name: "a.txt", clientMsgId: uniqueName("f") })}`, {
        method: "POST",
        headers: { authorization: `Bearer ${users[actor].token}` },
        body: "bytes",
      });
    const shared = await upload("member");
    const { message } = (await shared.json()) as { message: WireMessage };
    const fileId = message.file?.id as string;
    const got: string[] = [];
    const want: string[] = [];
    for (const actor of ACTORS) {
      const member = actor === "owner" || actor === "admin" || actor === "member";
      const outside = visibility === "private" ? 404 : 403;
      got.push(`upload by ${actor}: ${(await upload(actor)).status}`);
      want.push(`upload by ${actor}: ${member ? 201 : outside}`);
      const download = await fetch(`${server.url}/api/files/${fileId}`, {
        headers: { authorization: `Bearer ${users[actor].token}` },
      });
      got.push(`download by ${actor}: ${download.status}`);
      want.push(`download by ${actor}: ${member ? 200 : 404}`);
    }
    expect(got).toEqual(want);
  });
});

describe("what a refusal leaves", () => {
  it("a member's refused moderation changes nothing; a moderator's deletion is marked as one", async () => {
    const f = await fixture("private");
    const { member, admin, owner } = sockets;
    await request(member, "message:delete", { roomId: f.roomId, messageId: f.byOwner.id });
    await request(member, "room:kick", { roomId: f.roomId, userId: users.member2.id });
    const { room } = await ok(owner, "room:join", { roomId: f.roomId });
    expect(room.members.map((m) => m.username).sort()).toEqual(
      [users.owner, users.admin, users.admin2, users.member, users.member2].map((u) => u.username).sort(),
    );
    const { message } = await ok(admin, "message:delete", { roomId: f.roomId, messageId: f.byMember.id });
    expect(message).toMatchObject({ deletedByModerator: true, body: "" });
    const own = await ok(member, "message:send", { roomId: f.roomId, body: "mine", clientMsgId: "own" });
    const deleted = (await ok(member, "message:delete", { roomId: f.roomId, messageId: own.message.id })).message as WireMessage;
    expect(deleted.deletedByModerator).toBeUndefined();
  });
});
