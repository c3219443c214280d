// Who is online, per node: a user is online while at least one of their sockets is connected
// (two tabs: online until both close). Also which of a room's members are online, kept as
// sockets connect, disconnect, join and leave, so the lobby's counts cost no query.
import type { OnlineView } from "../services/rooms.ts";

export class Presence implements OnlineView {
  private readonly sockets = new Map<string, number>();
  private readonly roomsOf = new Map<string, Set<string>>();
  private readonly onlineIn = new Map<string, Set<string>>();

  /** Counts a new socket of `userId`; true when that made the user come online. */
  connected(userId: string, roomIds: string[]): boolean {
    const count = (this.sockets.get(userId) ?? 0) + 1;
    this.sockets.set(userId, count);
    if (count > 1) return false;
    this.roomsOf.set(userId, new Set(roomIds));
    for (const roomId of roomIds) this.add(roomId, userId);
    return true;
  }

  /** Counts a closed socket; true when that was the user's last one. */
  disconnected(userId: string): boolean {
    const count = (this.sockets.get(userId) ?? 1) - 1;
    if (count > 0) {
      this.sockets.set(userId, count);
      return false;
    }
    this.sockets.delete(userId);
    for (const roomId of this.roomsOf.get(userId) ?? []) this.remove(roomId, userId);
    this.roomsOf.delete(userId);
    return true;
  }

  joined(userId: string, roomId: string): void {
    const rooms = this.roomsOf.get(userId);
    if (!rooms) return;
    rooms.add(roomId);
    this.add(roomId, userId);
  }

  left(userId: string, roomId: string): void {
    this.roomsOf.get(userId)?.delete(roomId);
    this.remove(roomId, userId);
  }

  roomIdsOf(userId: string): string[] {
    return [...(this.roomsOf.get(userId) ?? [])];
  }

  isOnline(userId: string): boolean {
    return this.sockets.has(userId);
  }

  onlineCount(roomId: string): number {
    return this.onlineIn.get(roomId)?.size ?? 0;
  }

  get onlineUsers(): number {
    return this.sockets.size;
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
