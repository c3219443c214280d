// Outgoing webhooks: a room's message that starts with one of a webhook's trigger words, or
// mentions its bot, is POSTed as JSON to the webhook's URL, signed with HMAC-SHA256 over the
// timestamp and the body (docs/integrations.md says how to check it). Delivery is in the
// background, after the message is stored and announced: a slow or failing target never delays
// the room. Each delivery is tried up to three times (network errors, timeouts, 408, 429, 5xx)
// with a growing pause; the target's answer, if it has text (Slack's format), is posted back as
// the bot, replying to the message, once however many tries it took.
import { createHmac, randomUUID } from "node:crypto";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Db } from "../../db.ts";
import type { Logger } from "../../log.ts";
import { messageBody, type WireMessage } from "../../protocol/index.ts";
import type { HotReads } from "../message-store/hot-reads.ts";
import type { PostingService } from "../posting.ts";
import { parse } from "../validation.ts";
import { checkTarget, publicLookup } from "./addresses.ts";
import { hookMessage } from "./slack.ts";

/** How long one try may take, from connecting to the end of the answer. */
export const DELIVERY_TIMEOUT_MS = 5000;
/** The pauses before the second and third tries. */
export const RETRY_DELAYS_MS = [1000, 4000];
/** How often each node reads the outgoing webhooks again (one made on another node is seen within this). */
const REFRESH_MS = 5000;
/** Deliveries at once per node; more wait their turn (up to MAX_WAITING, then they are dropped, logged). */
const MAX_RUNNING = 16;
const MAX_WAITING = 1000;
/** The most of an answer that is read (its text is a message: 4,000 characters). */
const MAX_ANSWER_BYTES = 64 * 1024;

interface Hook {
  id: string;
  roomId: string;
  botId: string;
  botUsername: string;
  url: string;
  secret: string;
  triggers: string[];
}

export interface OutgoingOptions {
  allowPrivate: boolean;
  timeoutMs?: number;
  retryDelaysMs?: number[];
}

/** `v1=` and the hex HMAC-SHA256, keyed with the webhook's signing secret, of `v1:{timestamp}:{body}`. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`v1:${timestamp}:${body}`).digest("hex")}`;
}

/** What calls a webhook in a message: one of its trigger words first, or a mention of its bot; undefined: nothing. */
export function triggerOf(message: WireMessage, hook: Pick<Hook, "botId" | "botUsername" | "triggers">): string | undefined {
  const first = message.body.trimStart().split(/\s/, 1)[0].toLowerCase();
  const word = hook.triggers.find((t) => first === t.toLowerCase());
  if (word !== undefined) return word;
  if (message.mentions.users.includes(hook.botId)) return `@${hook.botUsername}`;
  return undefined;
}

export class OutgoingWebhooks {
  private byRoom = new Map<string, Hook[]>();
  private readonly timer: ReturnType<typeof setInterval>;
  private running = 0;
  private readonly waiting: (() => Promise<void>)[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly lookup: ReturnType<typeof publicLookup>;

  constructor(
    private readonly db: Db,
    /** the webhooks, read every few seconds with a prepared statement (hot-reads.ts) */
    private readonly reads: Pick<HotReads, "outgoingWebhooks">,
    private readonly posting: Pick<PostingService, "toRoom">,
    private readonly log: Logger,
    private readonly options: OutgoingOptions,
  ) {
    this.lookup = publicLookup(options.allowPrivate);
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  /** Reads the outgoing webhooks again (at start, every few seconds, and at once after one is made or deleted here). */
  async refresh(): Promise<void> {
    try {
      const rows = await this.reads.outgoingWebhooks();
      const next = new Map<string, Hook[]>();
      for (const r of rows) {
        if (!r.url || !r.signingSecret) continue;
        const hook = {
          id: r.id,
          roomId: r.roomId,
          botId: r.botId,
          botUsername: r.botUsername ?? "",
          url: r.url,
          secret: r.signingSecret,
          triggers: r.triggers ? (JSON.parse(r.triggers) as string[]) : [],
        };
        next.set(r.roomId, [...(next.get(r.roomId) ?? []), hook]);
      }
      this.byRoom = next;
    } catch (error) {
      this.log.warn({ err: error }, "reading the outgoing webhooks failed; the next look tries again");
    }
  }

  /** After a room message is stored on this node: the webhooks it calls are told, in the background. */
  afterRoomMessage(message: WireMessage): void {
    const hooks = this.byRoom.get(message.roomId);
    if (!hooks) return;
    for (const hook of hooks) {
      // a webhook's own answers never call it again
      if (message.author.id === hook.botId) continue;
      const trigger = triggerOf(message, hook);
      if (trigger === undefined) continue;
      this.schedule(() => this.deliver(hook, message, trigger));
    }
  }

  private schedule(work: () => Promise<void>): void {
    if (this.running >= MAX_RUNNING) {
      if (this.waiting.length >= MAX_WAITING) {
        this.log.warn("too many outgoing webhook deliveries waiting: one dropped");
        return;
      }
      this.waiting.push(work);
      return;
    }
    this.running++;
    const done = work()
      .catch((error: unknown) => this.log.warn({ err: error }, "an outgoing webhook delivery failed"))
      .finally(() => {
        this.running--;
        this.inFlight.delete(done);
        const next = this.waiting.shift();
        if (next) this.schedule(next);
      });
    this.inFlight.add(done);
  }

  private async deliver(hook: Hook, message: WireMessage, trigger: string): Promise<void> {
    const deliveryId = randomUUID();
    const room = await this.db.room.findUnique({ where: { id: hook.roomId }, select: { name: true } });
    const body = JSON.stringify({
      webhook_id: hook.id,
      delivery_id: deliveryId,
      channel_id: message.roomId,
      channel_name: room?.name ?? "",
      timestamp: (Date.parse(message.createdAt) / 1000).toFixed(3),
      user_id: message.author.id,
      user_name: message.author.username,
      text: message.body,
      trigger_word: trigger,
      message,
    });
    const delays = this.options.retryDelaysMs ?? RETRY_DELAYS_MS;
    const log = this.log.child({ webhookId: hook.id, deliveryId });
    for (let attempt = 0; ; attempt++) {
      let outcome: { status: number; type: string; text: string } | Error;
      try {
        outcome = await this.post(hook, body, deliveryId);
      } catch (error) {
        outcome = error as Error;
      }
      if (!(outcome instanceof Error) && outcome.status >= 200 && outcome.status < 300) {
        await this.answer(hook, message, deliveryId, outcome);
        return;
      }
      const retry =
        outcome instanceof Error
          ? outcome.name !== "PrivateAddressError"
          : outcome.status === 408 || outcome.status === 429 || outcome.status >= 500;
      const why = outcome instanceof Error ? outcome.message : `HTTP ${outcome.status}`;
      if (!retry || attempt >= delays.length) {
        log.warn({ attempts: attempt + 1, why }, "outgoing webhook not delivered");
        return;
      }
      log.info({ attempt: attempt + 1, why }, "outgoing webhook delivery failed; trying again");
      await new Promise((resolve) => setTimeout(resolve, delays[attempt]).unref());
    }
  }

  /** One try: the signed POST, and the answer (at most MAX_ANSWER_BYTES of it). */
  private post(hook: Hook, body: string, deliveryId: string): Promise<{ status: number; type: string; text: string }> {
    const url = new URL(hook.url);
    checkTarget(url, this.options.allowPrivate);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          method: "POST",
          lookup: this.lookup,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            "user-agent": "Komnata-Webhooks/1",
            "x-komnata-webhook": hook.id,
            "x-komnata-delivery": deliveryId,
            "x-komnata-timestamp": timestamp,
            "x-komnata-signature": signature(hook.secret, timestamp, body),
          },
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
          });
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              type: String(res.headers["content-type"] ?? ""),
              text: Buffer.concat(chunks).toString("utf8"),
            }),
          );
          res.on("error", reject);
        },
      );
      // the whole try, not only a silent socket, is bounded
      const deadline = setTimeout(
        () => req.destroy(new Error(`no answer within ${this.options.timeoutMs ?? DELIVERY_TIMEOUT_MS} ms`)),
        this.options.timeoutMs ?? DELIVERY_TIMEOUT_MS,
      );
      req.on("error", reject);
      req.on("close", () => clearTimeout(deadline));
      req.end(body);
    });
  }

  /** Posts the target's answer back as the bot, replying to the message; the delivery's id makes it once. */
  private async answer(hook: Hook, message: WireMessage, deliveryId: string, outcome: { type: string; text: string }) {
    if (!outcome.type.toLowerCase().startsWith("application/json") || outcome.text.trim() === "") return;
    let reply: ReturnType<typeof hookMessage>;
    try {
      reply = hookMessage(JSON.parse(outcome.text));
    } catch {
      return;
    }
    if (!reply) return;
    const posted = await this.posting.toRoom(hook.roomId, {
      author: { id: hook.botId, username: hook.botUsername },
      body: parse(messageBody, reply.body),
      clientMsgId: `reply-${deliveryId}`,
      replyTo: message.id,
      ...(reply.via ? { via: reply.via } : {}),
    });
    posted.announce();
  }

  /** Stops reading and waits (at most a few seconds) for the deliveries under way. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.waiting.length = 0;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
  }
}
