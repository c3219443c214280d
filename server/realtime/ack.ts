// The one place where Socket.IO requests are parsed and errors become acks. Every inbound
// event goes through `handle`: the payload is parsed with its zod schema, a thrown AppError
// becomes `{ ok: false, error }`, anything else becomes `internal` with the stack only in the log.
import { AppError, toErrorBody } from "../services/errors.ts";
import { parse } from "../services/validation.ts";
import { schemas, type Ack, type ClientEvent, type Replies } from "./events.ts";
import type { KomnataSocket, RealtimeContext } from "./context.ts";
import type { z } from "zod";

/** `afterAck` queues work to run once the reply is on its way (e.g. a broadcast). */
export type Handler<E extends ClientEvent> = (
  input: z.output<(typeof schemas)[E]>,
  afterAck: (work: () => void) => void,
) => Promise<Replies[E]>;

/** A per-socket token bucket for requests other than message:send (the queue bounds those). */
export class RequestBudget {
  private tokens: number;
  private last = Date.now();
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export function handle<E extends ClientEvent>(
  ctx: RealtimeContext,
  socket: KomnataSocket,
  budget: RequestBudget | null,
  event: E,
  handler: Handler<E>,
): void {
  socket.on(
    event as never,
    (async (...args: unknown[]) => {
      const ack = typeof args.at(-1) === "function" ? (args.pop() as (reply: Ack<Replies[E]>) => void) : null;
      // built only when something is logged: requests are the hot path
      const log = () => ctx.log.child({ event, userId: socket.data.user.id, socketId: socket.id });
      if (!ack) {
        log().warn("request without an ack callback ignored");
        socket.emit("app:error", {
          event,
          error: { code: "invalid_input", message: `${event} needs an acknowledgement callback; nothing was done.` },
        });
        return;
      }
      try {
        if (budget && !budget.take()) {
          throw new AppError("rate_limited", "Too many requests. Slow down.", { retryAfter: 1 });
        }
        const input = parse(schemas[event], args[0]) as z.output<(typeof schemas)[E]>;
        const deferred: (() => void)[] = [];
        const reply = await handler(input, (work) => deferred.push(work));
        ack({ ok: true, ...reply } as Ack<Replies[E]>);
        for (const work of deferred) work();
      } catch (error) {
        if (error instanceof AppError) log().info({ code: error.code, msg: error.message }, "request refused");
        else log().error({ err: error }, "request failed");
        ack({ ok: false, error: toErrorBody(error) });
      }
    }) as never,
  );
}
