// The load generator: clients that speak the public protocol (register, token, join,
// message:send and its ack, message:new, messages:new) or the reference's, open-loop sending at a fixed rate, and latency
// measured from send to receipt on every receiving client. Senders and receivers live in this
// one process, so one clock times both ends.
import { io } from "socket.io-client";
import WebSocket from "ws";
import {
  newClientMsgId,
  type ProtocolSocket,
  type RegisterReply,
  sendRequest,
  type TokenReply,
} from "../../server/protocol/index.ts";
import { LiteSocket } from "./sio-lite.ts";
import { Samples, type Summary, summarize } from "./stats.ts";
import type { Target } from "./target.ts";

export interface Credentials {
  id: string;
  username: string;
  token: string;
}

const PASSWORD = "bench-password-123";

async function postJson<T>(url: string, body: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}

/** Registers `count` users through the HTTP API and signs each in for a token. */
export async function registerUsers(baseUrl: string, count: number, prefix: string): Promise<Credentials[]> {
  const users: Credentials[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const username = `${prefix}${i}`;
      const reg = await postJson<RegisterReply>(`${baseUrl}/api/register`, { username, password: PASSWORD });
      if (reg.status !== 201) throw new Error(`register ${username}: HTTP ${reg.status}`);
      const tok = await postJson<TokenReply>(`${baseUrl}/api/token`, { username, password: PASSWORD });
      if (tok.status !== 200) throw new Error(`token ${username}: HTTP ${tok.status}`);
      users[i] = { id: reg.body.user.id, username, token: tok.body.token };
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return users;
}

export function openKomnataSocket(url: string, token: string): Promise<ProtocolSocket> {
  const socket: ProtocolSocket = io(url, { transports: ["websocket"], auth: { token }, reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

function openReferenceSocket(url: string, room: string): Promise<WebSocket> {
  const socket = new WebSocket(`${url}/?room=${encodeURIComponent(room)}`, { perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

/**
 * The bodies of the messages in a `message:new` or `messages:new` packet, read out of its text:
 * a whole message (id, author, times, reactions, mentions) is about 400 bytes of JSON, and
 * parsing all of it for a body cost the generator about a fifth more CPU per delivery than the
 * reference client's whole `{"body": …}`. The bodies are the generator's own (digits and bars: no
 * quote or escape), and no other field of a message is called `body`.
 */
export function bodiesOf(json: string): string[] {
  const bodies: string[] = [];
  for (let at = json.indexOf('"body":"'); at !== -1; at = json.indexOf('"body":"', at)) {
    const end = json.indexOf('"', at + 8);
    bodies.push(json.slice(at + 8, end));
    at = end;
  }
  return bodies;
}

/** The room of such a packet: a batch's `roomId` comes before its messages; a message has one. */
export function roomOf(json: string): string {
  const at = json.indexOf('"roomId":"');
  return at === -1 ? "" : json.slice(at + 10, json.indexOf('"', at + 10));
}

interface Member {
  send(payload: string): void;
  close(): void;
}

export interface StepResult {
  rate: number;
  durationMs: number;
  sent: number;
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  ackErrors: number;
  deliveriesPerSec: number;
  latencyMs: Summary;
  serverCpuMs: number;
  generatorCpuMs: number;
}

/** a step's figures and every latency it saw */
interface Measured {
  result: StepResult;
  latencies: Float64Array;
}

interface StepState {
  id: number;
  counts: Uint16Array;
  latencies: Samples;
}

/** `rooms` rooms of `members` members each, connected and joined, ready to run load steps. */
export class RoomLoad {
  private readonly target: Target;
  private readonly rooms: Member[][] = [];
  private step: StepState | null = null;
  private stepCounter = 0;
  private ackErrors = 0;
  private leaveAll: () => Promise<void> = async () => {};

  private constructor(target: Target) {
    this.target = target;
  }

  static async open(target: Target, rooms: number, members: number, users: Credentials[], label: string): Promise<RoomLoad> {
    const load = new RoomLoad(target);
    await load.connect(rooms, members, users, label);
    return load;
  }

  private deliver(payload: string): void {
    const step = this.step;
    if (!step) return;
    const [stepId, msgId, sentAt] = payload.split("|");
    if (Number(stepId) !== step.id) return;
    step.counts[Number(msgId)] += 1;
    step.latencies.push(performance.now() - Number(sentAt));
  }

  private async connect(rooms: number, members: number, users: Credentials[], label: string): Promise<void> {
    if (users.length < rooms * members && this.target.kind === "komnata") throw new Error("not enough users");
    const onDeliver = (payload: string) => this.deliver(payload);
    for (let r = 0; r < rooms; r++) {
      const list: Member[] = [];
      if (this.target.kind === "reference") {
        const sockets = await Promise.all(
          Array.from({ length: members }, () => openReferenceSocket(this.target.url, `${label}-${r}`)),
        );
        for (const socket of sockets) {
          socket.on("message", (data) => onDeliver((JSON.parse(String(data)) as { body: string }).body));
          list.push({ send: (payload) => socket.send(JSON.stringify({ body: payload })), close: () => socket.terminate() });
        }
      } else {
        const roomUsers = users.slice(r * members, (r + 1) * members);
        // with several nodes, a room's members alternate between them
        const urls = this.target.urls ?? [this.target.url];
        const sockets = await Promise.all(roomUsers.map((u, i) => LiteSocket.connect(urls[i % urls.length], { token: u.token })));
        const created = await sockets[0].request("room:create", { name: `${label}-${r}-${Date.now().toString(36)}` });
        if (!created.ok) throw new Error(`room:create: ${created.error.code}`);
        const roomId = created.room.id;
        for (const s of sockets.slice(1)) {
          const joined = await s.request("room:join", { roomId });
          if (!joined.ok) throw new Error(`room:join: ${joined.error.code}`);
        }
        for (const [i, socket] of sockets.entries()) {
          // The sender's copy is its ack (the server sends it no message:new); a batch
          // (messages:new) carries the senders' own messages too, which a client skips.
          const mine = `|${i}`;
          socket.onRaw("message:new", (json) => {
            if (roomOf(json) === roomId) for (const body of bodiesOf(json)) onDeliver(body);
          });
          socket.onRaw("messages:new", (json) => {
            if (roomOf(json) !== roomId) return;
            for (const body of bodiesOf(json)) if (!body.endsWith(mine)) onDeliver(body);
          });
          list.push({
            // a time-ordered id, as Komnata's own clients make (server/protocol/client-ids.ts)
            send: (payload) =>
              socket.emit("message:send", { roomId, body: payload, clientMsgId: newClientMsgId() }, (ack) => {
                if (ack.ok) onDeliver(ack.message.body);
                else this.ackErrors += 1;
              }),
            close: () => socket.disconnect(),
          });
        }
        const previous = this.leaveAll;
        this.leaveAll = async () => {
          await previous();
          await Promise.all(sockets.map((s) => (s.connected ? s.request("room:leave", { roomId }) : null)));
        };
      }
      this.rooms.push(list);
    }
  }

  /** Sends at `rate` messages/s for `durationMs`, spread over the rooms, then waits for stragglers. */
  async run(rate: number, durationMs: number, drainMs?: number): Promise<StepResult> {
    return (await this.measure(rate, durationMs, drainMs)).result;
  }

  /** A step's figures, with every latency it saw (for `combineSteps`). */
  private async measure(rate: number, durationMs: number, drainMs = 3000): Promise<Measured> {
    const total = Math.round((rate * durationMs) / 1000);
    const membersPerRoom = this.rooms[0].length;
    const step: StepState = { id: ++this.stepCounter, counts: new Uint16Array(total), latencies: new Samples() };
    this.step = step;
    this.ackErrors = 0;
    const serverCpu0 = this.target.cpuMs();
    const generatorCpu0 = process.cpuUsage();
    const start = performance.now();
    let sent = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const elapsed = performance.now() - start;
        const due = Math.min(total, Math.floor((rate * elapsed) / 1000));
        while (sent < due) {
          const room = this.rooms[sent % this.rooms.length];
          // the body: step, message, time sent and the sender's place in its room
          const k = Math.floor(Math.random() * room.length);
          room[k].send(`${step.id}|${sent}|${performance.now().toFixed(3)}|${k}`);
          sent += 1;
        }
        if (sent >= total) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
    const sendWindowMs = performance.now() - start;
    const expected = total * membersPerRoom;
    const deadline = performance.now() + drainMs;
    let delivered = 0;
    while (performance.now() < deadline) {
      delivered = step.latencies.length;
      if (delivered >= expected) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    delivered = step.latencies.length;
    const serverCpuMs = this.target.cpuMs() - serverCpu0;
    const generator = process.cpuUsage(generatorCpu0);
    this.step = null;
    let duplicates = 0;
    let uniqueDeliveries = 0;
    for (const count of step.counts) {
      uniqueDeliveries += Math.min(count, membersPerRoom);
      duplicates += Math.max(0, count - membersPerRoom);
    }
    const latencies = step.latencies.values();
    const result = {
      rate,
      durationMs: Math.round(sendWindowMs),
      sent,
      expected,
      delivered: uniqueDeliveries,
      lost: expected - uniqueDeliveries,
      duplicates,
      ackErrors: this.ackErrors,
      deliveriesPerSec: Math.round(uniqueDeliveries / (sendWindowMs / 1000)),
      latencyMs: summarize(latencies),
      serverCpuMs: Math.round(serverCpuMs),
      generatorCpuMs: Math.round((generator.user + generator.system) / 1000),
    };
    return { result, latencies };
  }

  /**
   * `slices` steps of `sliceMs` each, as one: with several loads (one per server), the slices
   * alternate between them, so a machine that speeds up or slows down meanwhile weighs on each
   * server alike, which back-to-back steps of several seconds each do not ensure.
   */
  static async sideBySide<K extends string>(
    loads: Record<K, RoomLoad>,
    rate: number,
    slices: number,
    sliceMs: number,
  ): Promise<Record<K, StepResult>> {
    const parts = Object.fromEntries(Object.keys(loads).map((k) => [k, []])) as unknown as Record<K, Measured[]>;
    for (let i = 0; i < slices; i++) {
      for (const kind of Object.keys(loads) as K[]) parts[kind].push(await loads[kind].measure(rate, sliceMs));
    }
    return Object.fromEntries(Object.entries<Measured[]>(parts).map(([k, p]) => [k, combineSteps(p)])) as Record<K, StepResult>;
  }

  async close(): Promise<void> {
    await this.leaveAll();
    for (const room of this.rooms) for (const m of room) m.close();
  }
}

/** Several steps at one rate as one: counts and CPU summed, latencies over all of them. */
export function combineSteps(parts: Measured[]): StepResult {
  const sum = (f: (r: StepResult) => number) => parts.reduce((s, p) => s + f(p.result), 0);
  const latencies = new Float64Array(sum((r) => r.latencyMs.count));
  let at = 0;
  for (const p of parts) {
    latencies.set(p.latencies, at);
    at += p.latencies.length;
  }
  const durationMs = sum((r) => r.durationMs);
  const delivered = sum((r) => r.delivered);
  return {
    rate: parts[0].result.rate,
    durationMs,
    sent: sum((r) => r.sent),
    expected: sum((r) => r.expected),
    delivered,
    lost: sum((r) => r.lost),
    duplicates: sum((r) => r.duplicates),
    ackErrors: sum((r) => r.ackErrors),
    deliveriesPerSec: Math.round(delivered / (durationMs / 1000)),
    latencyMs: summarize(latencies),
    serverCpuMs: sum((r) => r.serverCpuMs),
    generatorCpuMs: sum((r) => r.generatorCpuMs),
  };
}

/** Opens `count` idle connections (authenticated ones for Komnata); returns a closer. */
export async function openIdle(target: Target, count: number, users: Credentials[], onProgress?: (n: number) => void) {
  const closers: (() => void)[] = [];
  for (let i = 0; i < count; i += 200) {
    const batch = Array.from({ length: Math.min(200, count - i) }, (_, k) => i + k);
    const opened = await Promise.all(
      batch.map(async (n) => {
        if (target.kind === "reference") {
          const ws = await openReferenceSocket(target.url, `idle-${n % 100}`);
          return () => ws.terminate();
        }
        if (target.kind === "socketio") {
          const socket = io(target.url, {
            transports: ["websocket"],
            query: { room: `idle-${n % 100}` },
            reconnection: false,
            forceNew: true,
          });
          await new Promise((resolve, reject) => {
            socket.once("connect", () => resolve(undefined));
            socket.once("connect_error", reject);
          });
          return () => socket.disconnect();
        }
        const socket = await openKomnataSocket(target.url, users[n % users.length].token);
        return () => socket.disconnect();
      }),
    );
    closers.push(...opened);
    onProgress?.(closers.length);
  }
  return () => {
    for (const close of closers) close();
  };
}

/** Times requests from a client (round trip) while the server records its side. */
export async function timeRequests(
  url: string,
  token: string,
  roomId: string,
  count: number,
  newestSeq: number,
): Promise<{ join: Summary; history: Summary }> {
  // Requests other than sends are limited to 20/s per connection: spread them over ten, paced.
  const sockets = await Promise.all(Array.from({ length: 10 }, () => openKomnataSocket(url, token)));
  const join = new Samples();
  const history = new Samples();
  for (let i = 0; i < count; i++) {
    const socket = sockets[i % sockets.length];
    await new Promise((r) => setTimeout(r, 10));
    let t = performance.now();
    const joined = await sendRequest(socket, "room:join", { roomId }, 30_000);
    if (!joined.ok) throw new Error(`room:join: ${joined.error.code}`);
    join.push(performance.now() - t);
    const beforeSeq = 1 + Math.floor(Math.random() * newestSeq);
    t = performance.now();
    const page = await sendRequest(socket, "room:history", { roomId, beforeSeq, limit: 50 }, 30_000);
    if (!page.ok) throw new Error(`room:history: ${page.error.code}`);
    history.push(performance.now() - t);
  }
  for (const s of sockets) s.disconnect();
  return { join: summarize(join.values()), history: summarize(history.values()) };
}
