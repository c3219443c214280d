import { JOIN_PAGE } from "../../services/rooms.ts";
import { handle, type RequestBudget } from "../ack.ts";
import { requireMembership } from "../membership.ts";
import { roomChannel, userChannel, type KomnataSocket, type RealtimeContext } from "../context.ts";

export function registerRoomHandlers(ctx: RealtimeContext, socket: KomnataSocket, budget: RequestBudget): void {
  const { io, rooms, presence } = ctx;
  const user = socket.data.user;

  handle(ctx, socket, budget, "room:list", async () => ({ rooms: await rooms.list() }));

  handle(ctx, socket, budget, "room:create", async ({ name, topic }) => {
    const created = await rooms.create(user, name, topic);
    io.in(userChannel(user.id)).socketsJoin(roomChannel(created.id));
    presence.joined(user.id, created.id);
    const room = { ...created, onlineCount: presence.onlineCount(created.id) };
    io.emit("room:created", room);
    return { room };
  });

  handle(ctx, socket, budget, "room:join", async ({ roomId }) => {
    const { joined } = await rooms.join(user, roomId);
    // every tab of this user now receives the room's messages
    io.in(userChannel(user.id)).socketsJoin(roomChannel(roomId));
    if (joined) {
      presence.joined(user.id, roomId);
      io.to(roomChannel(roomId)).emit("room:member-joined", { roomId, member: { ...user, online: true } });
    }
    const [summary, members, page] = await Promise.all([
      rooms.get(roomId),
      rooms.members(roomId),
      rooms.history(roomId, {}, JOIN_PAGE),
    ]);
    return { room: { ...summary, members }, ...page };
  });

  handle(ctx, socket, budget, "room:leave", async ({ roomId }) => {
    const { left } = await rooms.leave(user, roomId);
    io.in(userChannel(user.id)).socketsLeave(roomChannel(roomId));
    if (left) {
      presence.left(user.id, roomId);
      io.to([roomChannel(roomId), userChannel(user.id)]).emit("room:member-left", { roomId, userId: user.id });
    }
    return {};
  });

  handle(ctx, socket, budget, "room:history", async ({ roomId, beforeSeq, afterSeq, limit }) => {
    await requireMembership(ctx, socket, roomId);
    return rooms.history(roomId, { beforeSeq, afterSeq }, limit);
  });
}
