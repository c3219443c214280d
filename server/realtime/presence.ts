// Who is online: a user is online while at least one of their sockets is connected, on any node
// (two tabs: online until both close). Also which of a room's members are online, kept as users
// come and go and join and leave, so the lobby's counts cost no query.
//
// Each node counts its own sockets; with REDIS_URL, presence-link.ts tells the other nodes which
// users this node has and hears theirs, and a node that stops being heard (it died) has its users
// dropped. Every node keeps the whole picture and tells its own connections when a user's
// state flips (`onChange`), so each client hears of each change once, however many nodes there are.
import type { OnlineView } from "../services/rooms.ts";

/** This node's id in the presence picture (any string unique among the nodes). */
export const SELF = "self";

export type PresenceChange = { userId: string; username: string; online: boolean; roomIds: string[] };

/** What this node's own sockets changed, for the other nodes (presence-link.ts). */
export type PresenceOp =
  | { op: "on"; userId: string; username: string; roomIds: string[] }
  | { op: "off"; userId: string }
  | { op: "join" | "leave"; userId: string; roomId: string };

export class Presence implements OnlineView {
  /** this node's sockets per user */
  private readonly sockets = new Map<string, number>();
  /** the user object this node's sockets of a user share */
  private readonly shared = new Map<string, { id: string; username: string }>();
  /** the nodes each online user is connected to */
  private readonly nodesOf = new Map<string, Set<string>>();
  private readonly usersOn = new Map<string, Set<string>>();
  private readonly names = new Map<string, string>();
  private readonly roomsOf = new Map<string, Set<string>>();
  private readonly onlineIn = new Map<string, Set<string>>();

  /** told when a user comes online or goes offline (on any node) */
  onChange: (change: PresenceChange) => void = () => undefined;
  /** told what this node's sockets changed (to publish it to the other nodes) */
  onLocal: (op: PresenceOp) => void = () => undefined;

  /** Counts a new socket of `user` on this node; answers the one user object its sockets share. */
  connected<U extends { id: string; username: string }>(user: U, roomIds: string[]): U {
    const count = (this.sockets.get(user.id) ?? 0) + 1;
    this.sockets.set(user.id, count);
    if (count > 1) return (this.shared.get(user.id) as U | undefined) ?? user;
    this.shared.set(user.id, user);
    this.userOn(SELF, user.id, user.username, roomIds);
    this.onLocal({ op: "on", userId: user.id, username: user.username, roomIds: this.roomIdsOf(user.id) });
    return user;
  }

  /** Counts a closed socket of this node. */
  disconnected(userId: string): void {
    const count = (this.sockets.get(userId) ?? 1) - 1;
    if (count > 0) {
      this.sockets.set(userId, count);
      return;
    }
    this.sockets.delete(userId);
    this.shared.delete(userId);
    this.userOff(SELF, userId);
    this.onLocal({ op: "off", userId });
  }

  /** `userId` became a member of the room (wherever they are connected). */
  joined(userId: string, roomId: string): void {
    this.roomChanged(userId, roomId, true);
    this.onLocal({ op: "join", userId, roomId });
  }

  /** `userId` is no longer a member of the room. */
  left(userId: string, roomId: string): void {
    this.roomChanged(userId, roomId, false);
    this.onLocal({ op: "leave", userId, roomId });
  }

  /** What another node's sockets changed. */
  apply(node: string, op: PresenceOp): void {
    if (op.op === "on") this.userOn(node, op.userId, op.username, op.roomIds);
    else if (op.op === "off") this.userOff(node, op.userId);
    else this.roomChanged(op.userId, op.roomId, op.op === "join");
  }

  /** Another node is gone (or restarted): its users count no more. */
  forgetNode(node: string): void {
    for (const userId of [...(this.usersOn.get(node) ?? [])]) this.userOff(node, userId);
    this.usersOn.delete(node);
  }

  /** The users another node had, in full (when it is first heard, or asked again): replaces what was known of it. */
  replaceNode(node: string, users: { userId: string; username: string; roomIds: string[] }[]): void {
    const now = new Set(users.map((u) => u.userId));
    for (const userId of [...(this.usersOn.get(node) ?? [])]) if (!now.has(userId)) this.userOff(node, userId);
    for (const u of users) this.userOn(node, u.userId, u.username, u.roomIds);
  }

  /** This node's users, as replaceNode takes them. */
  localUsers(): { userId: string; username: string; roomIds: string[] }[] {
    return [...this.sockets.keys()].map((userId) => ({
      userId,
      username: this.names.get(userId) ?? "",
      roomIds: this.roomIdsOf(userId),
    }));
  }

  roomIdsOf(userId: string): string[] {
    return [...(this.roomsOf.get(userId) ?? [])];
  }

  isOnline(userId: string): boolean {
    return this.nodesOf.has(userId);
  }

  onlineCount(roomId: string): number {
    return this.onlineIn.get(roomId)?.size ?? 0;
  }

  /** users online anywhere */
  get onlineUsers(): number {
    return this.nodesOf.size;
  }

  /** users with a connection to this node */
  get localUserCount(): number {
    return this.sockets.size;
  }

  private userOn(node: string, userId: string, username: string, roomIds: string[]): void {
    let nodes = this.nodesOf.get(userId);
    const cameOnline = !nodes;
    if (!nodes) {
      nodes = new Set();
      this.nodesOf.set(userId, nodes);
      this.names.set(userId, username);
      this.roomsOf.set(userId, new Set(roomIds));
      for (const roomId of roomIds) this.add(roomId, userId);
    }
    nodes.add(node);
    const users = this.usersOn.get(node);
    if (users) users.add(userId);
    else this.usersOn.set(node, new Set([userId]));
    if (cameOnline) this.onChange({ userId, username, online: true, roomIds });
  }

  private userOff(node: string, userId: string): void {
    this.usersOn.get(node)?.delete(userId);
    const nodes = this.nodesOf.get(userId);
    if (!nodes?.delete(node) || nodes.size > 0) return;
    const roomIds = this.roomIdsOf(userId);
    const username = this.names.get(userId) ?? "";
    for (const roomId of roomIds) this.remove(roomId, userId);
    this.nodesOf.delete(userId);
    this.names.delete(userId);
    this.roomsOf.delete(userId);
    this.onChange({ userId, username, online: false, roomIds });
  }

  private roomChanged(userId: string, roomId: string, member: boolean): void {
    const rooms = this.roomsOf.get(userId);
    if (!rooms) return;
    if (member) {
      rooms.add(roomId);
      this.add(roomId, userId);
    } else {
      rooms.delete(roomId);
      this.remove(roomId, userId);
    }
  }

  private add(roomId: string, userId: string): void {
    const set = this.onlineIn.get(roomId);
    if (set) set.add(userId);
    else this.onlineIn.set(roomId, new Set([userId]));
  }

  private remove(roomId: string, userId: string): void {
    const set = this.onlineIn.get(roomId);
    if (!set) return;
    set.delete(userId);
    if (set.size === 0) this.onlineIn.delete(roomId);
  }
}
