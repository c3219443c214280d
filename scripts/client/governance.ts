// The terminal client's commands for rooms that are governed (docs/protocol.md, "Rooms and
// roles"): private rooms, invitations by name and by link, removing and banning people, roles,
// archiving. The server decides who may; a refusal is printed in words like any other.
import type { RoomRole } from "../../server/protocol/index.ts";
import { ROOM_ROLES } from "../../server/protocol/index.ts";
import type { Command } from "./commands.ts";
import type { Session } from "./session.ts";

const usage = (session: Session, key: string) => session.t("usage", { usage: session.t(`commands.${key}.usage`) });

/** The current room, or null after saying there is none. */
function here(session: Session) {
  if (!session.current) session.notice(session.t("notInRoom"));
  return session.current;
}

/** The id of `name` (with or without @): a member of the current room, else anyone with that name. */
async function userId(session: Session, name: string): Promise<string> {
  const wanted = name.replace(/^@/, "");
  const members = session.current && "members" in session.current ? session.current.members : [];
  const member = (members as { id: string; username: string }[]).find((m) => m.username.toLowerCase() === wanted.toLowerCase());
  if (member) return member.id;
  return (await session.call("user:get", { username: wanted })).user.id;
}

/** A kick, a ban or an unban of NAME in the current room, then a line saying it was done. */
function removal(key: "kick" | "ban" | "unban"): Command {
  return {
    key,
    run: async (session, [name]) => {
      const room = here(session);
      if (!room) return;
      if (!name) return void session.notice(usage(session, key));
      await session.call(`room:${key}`, { roomId: room.id, userId: await userId(session, name) });
      session.notice(session.t(`${key}Done`, { username: name.replace(/^@/, ""), room: room.name }));
    },
  };
}

export const GOVERNANCE_COMMANDS: Record<string, Command> = {
  "/private": {
    key: "private",
    run: async (session, _args, name) => {
      if (!name) return void session.notice(usage(session, "private"));
      const { room } = await session.call("room:create", { name, visibility: "private" });
      await session.enter(room);
    },
  },
  "/invite": {
    key: "invite",
    run: async (session, [name]) => {
      const room = here(session);
      if (!room) return;
      if (!name) {
        const { link } = await session.call("room:invite-link:create", { roomId: room.id, expiresInHours: 24 * 7 });
        return void session.notice(session.t("inviteLink", { url: link.url, room: room.name }));
      }
      const username = name.replace(/^@/, "");
      try {
        await session.call("room:invite", { roomId: room.id, username });
      } catch (error) {
        return void session.notice(session.problem(error, "invite", { username }));
      }
      session.notice(session.t("invited", { username, room: room.name }));
    },
  },
  "/invites": {
    key: "invites",
    run: async (session) => {
      const { invitations } = await session.call("room:invitations", {});
      if (invitations.length === 0) return void session.notice(session.t("noInvitations"));
      for (const i of invitations) {
        session.print(`  ${session.t("invitationLine", { username: i.invitedBy.username, room: i.room.name })}`);
      }
    },
  },
  "/accept": {
    key: "accept",
    run: async (session, [name]) => {
      if (!name) return void session.notice(usage(session, "accept"));
      const room = await invitedTo(session, name);
      if (!room) return;
      await session.call("room:invitation:respond", { roomId: room, accept: true });
      const { room: summary } = await session.call("room:get", { roomId: room });
      await session.enter(summary);
    },
  },
  "/decline": {
    key: "decline",
    run: async (session, [name]) => {
      if (!name) return void session.notice(usage(session, "decline"));
      const room = await invitedTo(session, name);
      if (!room) return;
      await session.call("room:invitation:respond", { roomId: room, accept: false });
      session.notice(session.t("declined", { room: name.replace(/^#/, "") }));
    },
  },
  "/join": {
    key: "join",
    run: async (session, [link]) => {
      const token = link?.split("/").pop();
      if (!token) return void session.notice(usage(session, "join"));
      try {
        const { room } = await session.call("room:join", { inviteToken: token });
        await session.enter(room);
      } catch (error) {
        session.notice(session.problem(error, "inviteLink"));
      }
    },
  },
  "/kick": removal("kick"),
  "/ban": removal("ban"),
  "/unban": removal("unban"),
  "/role": {
    key: "role",
    run: async (session, [name, role]) => {
      const room = here(session);
      if (!room) return;
      if (!name || !ROOM_ROLES.includes(role as RoomRole)) return void session.notice(usage(session, "role"));
      const { member } = await session.call("room:set-role", {
        roomId: room.id,
        userId: await userId(session, name),
        role: role as RoomRole,
      });
      session.notice(session.t("roleSet", { username: member.username, role: member.role, room: room.name }));
    },
  },
  "/pin": pinning(true),
  "/unpin": pinning(false),
  "/pins": {
    key: "pins",
    run: async (session) => {
      const room = here(session);
      if (!room) return;
      const { messages } = await session.call("room:pins", { roomId: room.id });
      if (messages.length === 0) return void session.notice(session.t("noPins", { room: room.name }));
      session.notice(session.t("pinsIn", { room: room.name }));
      for (const m of messages) for (const line of session.render.roomMessage(m)) session.print(line);
    },
  },
  "/archive": {
    key: "archive",
    run: async (session, [off]) => {
      const room = here(session);
      if (!room) return;
      const archived = off !== "off";
      await session.call("room:update", { roomId: room.id, archived });
      session.notice(session.t(archived ? "archivedRoom" : "unarchivedRoom", { room: room.name }));
    },
  },
};

/** /pin N or /unpin N: message N of the current room. */
function pinning(pinned: boolean): Command {
  const key = pinned ? "pin" : "unpin";
  return {
    key,
    run: async (session, [word]) => {
      const room = here(session);
      if (!room) return;
      const seq = word !== undefined && /^#?\d+$/.test(word) ? Number(word.replace("#", "")) : null;
      if (seq === null) return void session.notice(usage(session, key));
      const message = await session.messageAt(seq);
      if (!message) return void session.notice(session.t("noMessage", { seq: word as string }));
      await session.call("message:pin", { roomId: room.id, messageId: message.id, pinned });
      session.notice(session.t(pinned ? "pinnedDone" : "unpinnedDone", { seq }));
    },
  };
}

/** The id of the room named `name` among my invitations, or null after saying there is none. */
async function invitedTo(session: Session, name: string): Promise<string | null> {
  const wanted = name.replace(/^#/, "").toLowerCase();
  const { invitations } = await session.call("room:invitations", {});
  const found = invitations.find((i) => i.room.name.toLowerCase() === wanted);
  if (!found) session.notice(session.t("noInvitationTo", { room: wanted }));
  return found?.room.id ?? null;
}
