// The one place where Socket.IO requests are parsed and errors become acks. A single dispatcher
// function serves every socket (registered with `socket.onAny`, called with the socket as
// `this`), so an idle connection carries no per-event closures. For each request: the payload
// is parsed with its zod schema, a thrown AppError becomes `{ ok: false, error }`, anything else
// becomes `internal` with the stack only in the log.
import diagnostics_channel from "node:diagnostics_channel";
import { type Ack, type ClientEvent, type Parsed, type Replies, type Signal, schemas } from "../protocol/index.ts";
import { AppError, toErrorBody } from "../services/errors.ts";
import { parse } from "../services/validation.ts";
import type { KomnataSocket, RealtimeContext } from "./context.ts";
import type { SignalHandlers } from "./handlers/typing.ts";

/**
 * Handles one request of a socket. `afterAck` queues work to run once the reply is on its way
 * (a broadcast, for instance).
 */
export type Handler<E extends ClientEvent> = (
  input: Parsed<E>,
  socket: KomnataSocket,
  afterAck: (work: () => void) => void,
) => Promise<Replies[E]>;

export type Handlers = { [E in ClientEvent]: Handler<E> };

/**
 * Every answered request is published here (`{ event, ms, ok }`) when anyone subscribes: the
 * benchmark reads server-side answer times from it, an APM can too. Costs nothing unsubscribed.
 */
export const requestChannel = diagnostics_channel.channel("komnata:request");

/**
 * A connection made with an API token limited to some rooms may ask only about those rooms: any
 * request that names no room (private messages, search everywhere, room:create…) or another room is refused.
 */
function requireInScope(scope: string[], input: unknown): void {
  const roomId = (input as { roomId?: unknown } | undefined)?.roomId;
  if (typeof roomId === "string" && scope.includes(roomId)) return;
  throw new AppError("forbidden", "This API token is limited to some rooms: it cannot be used for this.");
}

export function createDispatcher(ctx: RealtimeContext, handlers: Handlers, signals: SignalHandlers) {
  const known = new Set<string>(Object.keys(handlers));

  async function run<E extends ClientEvent>(
    socket: KomnataSocket,
    event: E,
    payload: unknown,
    ack: (reply: Ack<Replies[E]>) => void,
  ) {
    const start = requestChannel.hasSubscribers ? performance.now() : 0;
    try {
      await ctx.quotas.take(event, socket.data.user.id);
      const input = parse(schemas[event], payload) as Parsed<E>;
      if (socket.data.roomScope) requireInScope(socket.data.roomScope, input);
      const deferred: (() => void)[] = [];
      const reply = await (handlers[event] as Handler<E>)(input, socket, (work) => deferred.push(work));
      ack({ ok: true, ...reply } as Ack<Replies[E]>);
      if (start) requestChannel.publish({ event, ms: performance.now() - start, ok: true });
      for (const work of deferred) work();
    } catch (error) {
      const log = ctx.log.child({ event, userId: socket.data.user.id, socketId: socket.id });
      if (error instanceof AppError) log.info({ code: error.code, reason: error.message }, "request refused");
      else log.error({ err: error }, "request failed");
      ack({ ok: false, error: toErrorBody(error) });
      if (start) requestChannel.publish({ event, ms: performance.now() - start, ok: false });
    }
  }

  return function dispatch(this: KomnataSocket, event: string, ...args: unknown[]): void {
    const last = args.at(-1);
    const ack = typeof last === "function" ? (last as (reply: unknown) => void) : null;
    const name = String(event).slice(0, 64);
    // a signal needs no answer and gets none (handlers/typing.ts)
    if (Object.hasOwn(signals, event)) {
      signals[event as Signal](args[0], this);
      return;
    }
    if (!known.has(event)) {
      ctx.log.info({ event: name, userId: this.data.user.id }, "unknown event");
      const error = { code: "invalid_input" as const, message: `Unknown event "${name}".` };
      if (ack) ack({ ok: false, error });
      else this.emit("app:error", { event: name, error });
      return;
    }
    if (!ack) {
      ctx.log.warn({ event: name, userId: this.data.user.id, socketId: this.id }, "request without an ack callback ignored");
      this.emit("app:error", {
        event: name,
        error: { code: "invalid_input", message: `${name} needs an acknowledgement callback; nothing was done.` },
      });
      return;
    }
    void run(this, event as ClientEvent, args[0], ack);
  };
}
