// Who is online: a user is online while at least one of their sockets is connected, on any node
// (two tabs: online until both close). Also which of a room's members are online, kept as users
// come and go and join and leave, so the lobby's counts cost no query, and which private
// conversations each online user has, so the people they talk with hear when they come and go.
//
// Each node counts its own sockets; with REDIS_URL, presence-link.ts tells the other nodes which
// users this node has and hears theirs, and a node that stops being heard (it died) has its users
// dropped. Every node keeps the whole picture and tells its own connections when a user's
// state flips (`onChange`), so each client hears of each change once, however many nodes there are.
import type { OnlineView } from "../services/rooms.ts";

/** This node's id in the presence picture (any string unique among the nodes). */
export const SELF = "self";

/** A user came online or went offline; who is told: the members of their rooms and the people they talk with. */
export type PresenceChange = { userId: string; username: string; online: boolean; roomIds: string[]; conversationIds: string[] };

/** What this node's own sockets changed, for the other nodes (presence-link.ts). */
export type PresenceOp =
  // (conversationIds: absent from a node that predates them)
  | { op: "on"; userId: string; username: string; roomIds: string[]; conversationIds?: string[] }
  | { op: "off"; userId: string }
  | { op: "join" | "leave"; userId: string; roomId: string }
  | { op: "talk"; userId: string; conversationId: string };

/** One user as a node tells the others of it (a node that predates conversations sends none). */
export type PresenceUser = { userId: string; username: string; roomIds: string[]; conversationIds?: string[] };

/**
 * One online user, as every node keeps them. Small on purpose: an idle server holds one per
 * connected user, so the nodes and rooms are arrays replaced on change (rare), shared when empty
 * or when the user is on this node only, instead of a Set each (a Set costs over 100 bytes).
 */
interface Online {
  username: string;
  /** the nodes with a socket of theirs */
  nodes: readonly string[];
  /** the rooms they are a member of */
  rooms: readonly string[];
  /** their private conversations */
  conversations: readonly string[];
  /** this node's sockets of theirs (0: connected elsewhere only) */
  sockets: number;
  /** the user object this node's sockets of theirs share */
  user: { id: string; username: string } | null;
}

const NONE: readonly string[] = [];
const without = (list: readonly string[], item: string): readonly string[] =>
  list.includes(item) ? (list.length === 1 ? NONE : list.filter((x) => x !== item)) : list;

export class Presence implements OnlineView {
  private readonly online = new Map<string, Online>();
  /** the users each other node has (this node's own: those with sockets > 0) */
  private readonly usersOn = new Map<string, Set<string>>();
  private readonly onlineIn = new Map<string, Set<string>>();
  /** users with sockets on this node */
  private local = 0;
  /** per node, the nodes list every user connected to that node only shares */
  private readonly onlyOn = new Map<string, readonly string[]>();

  /** told when a user comes online or goes offline (on any node) */
  onChange: (change: PresenceChange) => void = () => undefined;
  /** told what this node's sockets changed (to publish it to the other nodes) */
  onLocal: (op: PresenceOp) => void = () => undefined;
  /** told when how many of a room's members are online changed (`onlineCount` has the new count) */
  onRoomCount: (roomId: string) => void = () => undefined;

  /** Counts a new socket of `user` on this node; answers the one user object its sockets share. */
  connected<U extends { id: string; username: string }>(user: U, roomIds: string[], conversationIds: string[] = []): U {
    const known = this.online.get(user.id);
    if (known && known.sockets > 0) {
      known.sockets += 1;
      return (known.user as U | null) ?? user;
    }
    const entry = this.userOn(SELF, user.id, user.username, roomIds, conversationIds);
    entry.sockets = 1;
    entry.user = user;
    this.local += 1;
    this.onLocal({
      op: "on",
      userId: user.id,
      username: user.username,
      roomIds: [...entry.rooms],
      conversationIds: [...entry.conversations],
    });
    return user;
  }

  /** Counts a closed socket of this node. */
  disconnected(userId: string): void {
    const entry = this.online.get(userId);
    if (!entry || entry.sockets === 0) return;
    entry.sockets -= 1;
    if (entry.sockets > 0) return;
    entry.user = null;
    this.local -= 1;
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

  /** `userId` has a new private conversation (wherever they are connected). */
  talks(userId: string, conversationId: string): void {
    this.conversationStarted(userId, conversationId);
    this.onLocal({ op: "talk", userId, conversationId });
  }

  /** What another node's sockets changed. */
  apply(node: string, op: PresenceOp): void {
    if (op.op === "on") this.userOn(node, op.userId, op.username, op.roomIds, op.conversationIds ?? []);
    else if (op.op === "off") this.userOff(node, op.userId);
    else if (op.op === "talk") this.conversationStarted(op.userId, op.conversationId);
    else this.roomChanged(op.userId, op.roomId, op.op === "join");
  }

  /** Another node is gone (or restarted): its users count no more. */
  forgetNode(node: string): void {
    for (const userId of [...(this.usersOn.get(node) ?? [])]) this.userOff(node, userId);
    this.usersOn.delete(node);
    this.onlyOn.delete(node);
  }

  /** The users another node had, in full (when it is first heard, or asked again): replaces what was known of it. */
  replaceNode(node: string, users: PresenceUser[]): void {
    const now = new Set(users.map((u) => u.userId));
    for (const userId of [...(this.usersOn.get(node) ?? [])]) if (!now.has(userId)) this.userOff(node, userId);
    for (const u of users) this.userOn(node, u.userId, u.username, u.roomIds, u.conversationIds ?? []);
  }

  /** This node's users, as replaceNode takes them. */
  localUsers(): PresenceUser[] {
    return [...this.online].flatMap(([userId, entry]) =>
      entry.sockets > 0
        ? [{ userId, username: entry.username, roomIds: [...entry.rooms], conversationIds: [...entry.conversations] }]
        : [],
    );
  }

  roomIdsOf(userId: string): string[] {
    return [...(this.online.get(userId)?.rooms ?? NONE)];
  }

  isOnline(userId: string): boolean {
    return this.online.has(userId);
  }

  onlineCount(roomId: string): number {
    return this.onlineIn.get(roomId)?.size ?? 0;
  }

  /** users online anywhere */
  get onlineUsers(): number {
    return this.online.size;
  }

  /** users with a connection to this node */
  get localUserCount(): number {
    return this.local;
  }

  private userOn(node: string, userId: string, username: string, roomIds: string[], conversationIds: string[]): Online {
    let entry = this.online.get(userId);
    const cameOnline = !entry;
    if (!entry) {
      const rooms = roomIds.length > 0 ? [...new Set(roomIds)] : NONE;
      const conversations = conversationIds.length > 0 ? [...new Set(conversationIds)] : NONE;
      entry = { username, nodes: NONE, rooms, conversations, sockets: 0, user: null };
      this.online.set(userId, entry);
      for (const roomId of rooms) this.add(roomId, userId);
    }
    entry.nodes = this.nodesWith(entry.nodes, node);
    // this node's own users are those with sockets here: no set of them to keep
    if (node !== SELF) {
      const users = this.usersOn.get(node);
      if (users) users.add(userId);
      else this.usersOn.set(node, new Set([userId]));
    }
    if (cameOnline) {
      this.onChange({ userId, username, online: true, roomIds: [...entry.rooms], conversationIds: [...entry.conversations] });
    }
    return entry;
  }

  private nodesWith(nodes: readonly string[], node: string): readonly string[] {
    if (nodes.includes(node)) return nodes;
    if (nodes.length > 0) return [...nodes, node];
    let one = this.onlyOn.get(node);
    if (!one) {
      one = [node];
      this.onlyOn.set(node, one);
    }
    return one;
  }

  private userOff(node: string, userId: string): void {
    if (node !== SELF) this.usersOn.get(node)?.delete(userId);
    const entry = this.online.get(userId);
    if (!entry?.nodes.includes(node)) return;
    entry.nodes = without(entry.nodes, node);
    if (entry.nodes.length > 0) return;
    const roomIds = [...entry.rooms];
    for (const roomId of roomIds) this.remove(roomId, userId);
    this.online.delete(userId);
    this.onChange({ userId, username: entry.username, online: false, roomIds, conversationIds: [...entry.conversations] });
  }

  private conversationStarted(userId: string, conversationId: string): void {
    const entry = this.online.get(userId);
    if (entry && !entry.conversations.includes(conversationId)) entry.conversations = [...entry.conversations, conversationId];
  }

  private roomChanged(userId: string, roomId: string, member: boolean): void {
    const entry = this.online.get(userId);
    if (!entry) return;
    if (member) {
      if (!entry.rooms.includes(roomId)) entry.rooms = [...entry.rooms, roomId];
      this.add(roomId, userId);
    } else {
      entry.rooms = without(entry.rooms, roomId);
      this.remove(roomId, userId);
    }
  }

  private add(roomId: string, userId: string): void {
    const set = this.onlineIn.get(roomId);
    if (set?.has(userId)) return;
    if (set) set.add(userId);
    else this.onlineIn.set(roomId, new Set([userId]));
    this.onRoomCount(roomId);
  }

  private remove(roomId: string, userId: string): void {
    const set = this.onlineIn.get(roomId);
    if (!set?.delete(userId)) return;
    if (set.size === 0) this.onlineIn.delete(roomId);
    this.onRoomCount(roomId);
  }
}
