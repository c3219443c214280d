// Web Push (issue 13): a message that calls for someone with no tab open reaches their subscribed
// browsers through the browsers' own push services, sent from here with VAPID (no relay of
// ours), after a short delay, and not at all if they read it in the meantime on any device.
// Exactly one node sends each push: the one that stored the message (docs/architecture.md).
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import webpush from "web-push";
import type { Db } from "../db.ts";
import type { Logger } from "../log.ts";
import { mentionsUser } from "../protocol/mentions.ts";
import { isQuiet } from "../protocol/quiet.ts";
import { excerptOf } from "../protocol/text.ts";
import type { NotifyLevel, PublicUser, WireDirectMessage, WireMessage } from "../protocol/wire.ts";
import { AppError } from "../services/errors.ts";
import type { UserService } from "../services/users.ts";

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  /** who runs this server: a mailto: or https: URL, for push services to reach */
  subject: string;
}

/**
 * The server's VAPID keys: VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY when given (the same on every
 * node), else made once and kept in DATA_DIR/vapid.json (mode 0600).
 */
export function vapidKeys(dataDir: string, env: NodeJS.ProcessEnv, publicUrl: string): VapidKeys {
  const subject = env.VAPID_SUBJECT || (publicUrl.startsWith("https:") ? publicUrl : "mailto:admin@localhost");
  if (env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY) {
    return { publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY, subject };
  }
  const file = path.join(dataDir, "vapid.json");
  if (existsSync(file)) return { ...(JSON.parse(readFileSync(file, "utf8")) as VapidKeys), subject };
  const keys = webpush.generateVAPIDKeys();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return { ...keys, subject };
}

/** A browser's subscription as PushManager gives it (toJSON()). */
export interface BrowserSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

const B64URL = /^[A-Za-z0-9_-]+$/;

/** Browsers one person may have subscribed at once; a new one past it replaces the oldest. */
export const MAX_SUBSCRIPTIONS_PER_USER = 20;

/**
 * Whether `url` may be a push endpoint: https, on a name or a public address. A push service is
 * on the internet; this server must not be made to post to itself or its private network (a
 * name that resolves there is the reverse proxy's and the firewall's to stop).
 */
export function isPushEndpoint(url: URL): boolean {
  if (url.protocol !== "https:" || url.username || url.password) return false;
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local") || host.endsWith(".internal")) return false;
  const kind = isIP(host);
  if (kind === 4) {
    const [a, b] = host.split(".").map(Number);
    return !(
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127) ||
      a >= 224
    );
  }
  if (kind === 6) return !(host === "::1" || host === "::" || /^(fc|fd|fe8|fe9|fea|feb|::ffff:)/.test(host));
  return host.includes(".");
}

/** What the browser shows: the room or person, the first line as plain text, where a click goes, one per thread. */
interface PushPayload {
  title: string;
  body: string;
  url: string;
  tag: string;
}

/** Who may be pushed about a message, and how to tell whether they read it by the time it goes. */
export interface PushSources {
  /** a room's members who have a browser subscribed (no one else can be pushed to), with what of it notifies them */
  roomMembers(roomId: string): Promise<{ user: PublicUser; notify: NotifyLevel }[]>;
  roomName(roomId: string): Promise<string | null>;
  /** a conversation's participant's read mark */
  conversationMark(conversationId: string, userId: string): Promise<number | null>;
  conversationPartner(conversationId: string, authorId: string): Promise<PublicUser | null>;
  /** a member's read mark in a room and what of it notifies them now (null: not a member) */
  roomMark(roomId: string, userId: string): Promise<{ lastReadSeq: number; notify: NotifyLevel } | null>;
  isOnline(userId: string): boolean;
}

/** Whether a room message calls for a member whose room notifies them of `notify`. */
const calls = (notify: NotifyLevel, m: WireMessage, userId: string) =>
  notify === "all" || (notify === "mentions" && mentionsUser(m.mentions, userId, false));

/**
 * How long a room's list of members a push could reach is reused. Planning runs for every room
 * message, and a query each time cost more than the rest of the message; a push goes only after
 * PUSH_DELAY_SECONDS and checks the reader's read mark then (a member who left meanwhile has
 * none and gets nothing), so a list a few seconds old sends nothing it should not.
 */
const MEMBERS_TTL_MS = 5000;

export class PushService {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly members = new Map<string, { at: number; list: Promise<{ user: PublicUser; notify: NotifyLevel }[]> }>();

  constructor(
    private readonly db: Db,
    private readonly users: UserService,
    private readonly sources: PushSources,
    readonly keys: VapidKeys,
    private readonly log: Logger,
    private readonly options: { delayMs: number; insecureEndpoints: boolean },
  ) {}

  /** Keeps a browser's subscription for `user` (a browser subscribing again replaces its row). */
  async subscribe(user: PublicUser, input: unknown): Promise<void> {
    const sub = input as Partial<BrowserSubscription> | null;
    const endpoint = typeof sub?.endpoint === "string" ? sub.endpoint : "";
    let url: URL | null = null;
    try {
      url = new URL(endpoint);
    } catch {
      url = null;
    }
    const allowed = url !== null && (isPushEndpoint(url) || (this.options.insecureEndpoints && url.protocol === "http:"));
    if (!allowed || endpoint.length > 2048) {
      throw new AppError("invalid_input", "A push subscription needs the https endpoint its browser gave.");
    }
    const { p256dh, auth } = sub?.keys ?? {};
    if (typeof p256dh !== "string" || typeof auth !== "string" || !B64URL.test(p256dh) || !B64URL.test(auth)) {
      throw new AppError("invalid_input", "A push subscription needs its browser's keys (p256dh and auth).");
    }
    if (p256dh.length > 128 || auth.length > 64) throw new AppError("invalid_input", "These push keys are too long.");
    await this.db.pushSubscription.upsert({
      where: { endpoint },
      create: { id: randomUUID(), userId: user.id, endpoint, p256dh, auth },
      update: { userId: user.id, p256dh, auth },
    });
    // a person has a few browsers: past the cap, the oldest subscriptions go
    const kept = await this.db.pushSubscription.findMany({
      where: { userId: user.id },
      orderBy: { createdAt: "desc" },
      skip: MAX_SUBSCRIPTIONS_PER_USER,
      select: { id: true },
    });
    if (kept.length > 0) await this.db.pushSubscription.deleteMany({ where: { id: { in: kept.map((k) => k.id) } } });
    this.members.clear();
  }

  /** Forgets a browser's subscription of `user` (turned off, or signing out). */
  async unsubscribe(user: PublicUser, endpoint: unknown): Promise<void> {
    if (typeof endpoint !== "string") throw new AppError("invalid_input", "Say which subscription: its endpoint.");
    await this.db.pushSubscription.deleteMany({ where: { endpoint, userId: user.id } });
    this.members.clear();
  }

  /** A member's settings of a room changed (here): its list is read again at its next message. */
  roomSettingsChanged(roomId: string): void {
    this.members.delete(roomId);
  }

  /** After a room message is stored here: a push later to each member it calls for who has no tab open. */
  afterRoomMessage(m: WireMessage): void {
    void this.planRoom(m).catch((error: unknown) => this.log.warn({ err: error }, "push planning failed"));
  }

  /** After a private message is stored here: a push later to the other participant, if no tab of theirs is open. */
  afterDirectMessage(m: WireDirectMessage): void {
    void this.planDirect(m).catch((error: unknown) => this.log.warn({ err: error }, "push planning failed"));
  }

  /** The room's members a push could reach (they have a browser subscribed), at most MEMBERS_TTL_MS old. */
  private reachable(roomId: string) {
    const now = Date.now();
    const held = this.members.get(roomId);
    if (held && now - held.at < MEMBERS_TTL_MS) return held.list;
    if (this.members.size > 10_000) this.members.clear();
    const list = this.sources.roomMembers(roomId);
    this.members.set(roomId, { at: now, list });
    list.catch(() => this.members.delete(roomId));
    return list;
  }

  private async planRoom(m: WireMessage): Promise<void> {
    const members = await this.reachable(m.roomId);
    const called = members.filter(
      ({ user, notify }) => user.id !== m.author.id && !this.sources.isOnline(user.id) && calls(notify, m, user.id),
    );
    if (called.length === 0) return;
    const name = await this.sources.roomName(m.roomId);
    const payload: PushPayload = {
      title: name ? `# ${name}` : "Komnata",
      body: `${m.author.username}: ${excerptOf(m.body) || m.file?.name || ""}`,
      url: `/rooms/${encodeURIComponent(m.roomId)}?m=${m.seq}`,
      tag: `room:${m.roomId}`,
    };
    for (const { user } of called) {
      // at send time: read by then, no longer a member, or the room no longer calls for them
      this.later(user.id, payload, async () => {
        const now = await this.sources.roomMark(m.roomId, user.id);
        return now === null || now.lastReadSeq >= m.seq || !calls(now.notify, m, user.id);
      });
    }
  }

  private async planDirect(m: WireDirectMessage): Promise<void> {
    const to = await this.sources.conversationPartner(m.conversationId, m.author.id);
    if (!to || this.sources.isOnline(to.id)) return;
    const payload: PushPayload = {
      title: `@${m.author.username}`,
      body: excerptOf(m.body) || m.file?.name || "",
      url: `/messages/${encodeURIComponent(m.author.username)}?m=${m.seq}`,
      tag: `dm:${m.conversationId}`,
    };
    this.later(to.id, payload, async () => ((await this.sources.conversationMark(m.conversationId, to.id)) ?? m.seq) >= m.seq);
  }

  /** Sends after the delay, unless by then it was read (on any device) or push is off or quiet. */
  private later(userId: string, payload: PushPayload, read: () => Promise<boolean>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void (async () => {
        if (await read()) return;
        const settings = await this.users.settingsOf(userId);
        if (!settings.push || isQuiet(settings)) return;
        await this.sendTo(userId, payload);
      })().catch((error: unknown) => this.log.warn({ err: error }, "push failed"));
    }, this.options.delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Sends `payload` to each of `userId`'s browsers; one the push service no longer knows (404, 410) is forgotten. */
  async sendTo(userId: string, payload: PushPayload): Promise<number> {
    const subscriptions = await this.db.pushSubscription.findMany({ where: { userId } });
    let sent = 0;
    for (const s of subscriptions) {
      // web-push encrypts (aes128gcm) and signs (VAPID); the request goes out with fetch, which
      // also speaks plain http to a local stand-in in tests
      const request = webpush.generateRequestDetails(
        { endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } },
        JSON.stringify(payload),
        {
          vapidDetails: this.keys,
          TTL: 24 * 60 * 60,
          contentEncoding: "aes128gcm",
          urgency: "high",
          topic: payload.tag.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 32),
        },
      );
      const res = await fetch(request.endpoint, {
        method: request.method,
        headers: request.headers as Record<string, string>,
        body: request.body ? new Uint8Array(request.body) : undefined,
        signal: AbortSignal.timeout(10_000),
      }).catch((error: unknown) => {
        this.log.warn({ err: error, endpoint: new URL(s.endpoint).origin }, "push service unreachable");
        return null;
      });
      if (!res) continue;
      await res.arrayBuffer().catch(() => undefined);
      if (res.status === 404 || res.status === 410) {
        await this.db.pushSubscription.deleteMany({ where: { id: s.id } });
      } else if (res.ok) sent += 1;
      else this.log.warn({ status: res.status, endpoint: new URL(s.endpoint).origin }, "push refused");
    }
    return sent;
  }

  /** Pushes planned and not yet sent are dropped (a stopping node). */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
