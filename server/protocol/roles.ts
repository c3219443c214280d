// Who may do what in a room: one rule for the server, which enforces it, and the browser and the
// terminal client, which show only what a person may do (docs/protocol.md, "Roles").

/** A member's role in a room: one owner, any number of admins, and members. */
export const ROOM_ROLES = ["owner", "admin", "member"] as const;
export type RoomRole = (typeof ROOM_ROLES)[number];

/** Who may see a room: everyone (listed in the lobby, anyone may join) or its members only. */
export const VISIBILITIES = ["public", "private"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** What a room's owner and admins may do that its members may not. */
export type RoomPower =
  /** invite by name, and make and revoke invite links */
  | "invite"
  /** remove a member, ban someone, lift a ban */
  | "remove"
  /** change the name, topic and visibility; archive and unarchive */
  | "update"
  /** pin and unpin messages */
  | "pin"
  /** delete anyone's message ("removed by a moderator") */
  | "moderate"
  /** make, list and delete the room's webhooks */
  | "webhooks"
  /** make members admins and back, hand the room over: the owner only */
  | "set-role"
  /** delete the room with everything in it: the owner only */
  | "delete";

const OWNER_ONLY: ReadonlySet<RoomPower> = new Set(["set-role", "delete"]);

/** Whether a member with `role` (undefined: not a member) has `power` in the room. */
export function hasPower(role: RoomRole | undefined, power: RoomPower): boolean {
  if (role === "owner") return true;
  if (role === "admin") return !OWNER_ONLY.has(power);
  return false;
}

const RANK: Record<RoomRole, number> = { owner: 2, admin: 1, member: 0 };

/**
 * Whether someone with `actor`'s role may remove (or ban) someone with `target`'s role
 * (undefined: not a member): the owner anyone else, an admin only members and non-members.
 */
export function outranks(actor: RoomRole | undefined, target: RoomRole | undefined): boolean {
  if (actor === undefined || actor === "member") return false;
  return RANK[actor] > (target === undefined ? -1 : RANK[target]);
}
