// A minimal Socket.IO v4 client on a raw `ws` socket, for the load generator only: the same
// wire protocol as socket.io-client (engine.io v4 framing, namespace connect with `auth`,
// events, acks, heartbeats), without its per-packet machinery. With socket.io-client the
// generator saturated its core before the server did; this keeps the generator's cost per
// received message close to the reference client's (one JSON.parse, or none for an event with a
// raw listener, which reads what it needs out of the packet's text).
import WebSocket from "ws";
import type { Ack, ClientEvent, Input, Payload, Replies, ServerEvent } from "../../server/protocol/index.ts";

type Listener = (payload: unknown) => void;

export class LiteSocket {
  private readonly ws: WebSocket;
  private readonly listeners = new Map<string, Listener>();
  private readonly rawListeners = new Map<string, (json: string) => void>();
  private readonly acks = new Map<number, (reply: unknown) => void>();
  private nextAck = 0;
  connected = false;

  private constructor(ws: WebSocket) {
    this.ws = ws;
  }

  static connect(url: string, auth: Record<string, unknown>): Promise<LiteSocket> {
    const wsUrl = `${url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`;
    const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
    const socket = new LiteSocket(ws);
    return new Promise((resolve, reject) => {
      ws.on("error", reject);
      ws.on("message", (data) => {
        const text = String(data);
        switch (text[0]) {
          case "0": // engine.io open: connect to the main namespace with our credentials
            ws.send(`40${JSON.stringify(auth)}`);
            return;
          case "2": // engine.io ping
            ws.send("3");
            return;
          case "4":
            socket.onSocketIoPacket(text.slice(1), resolve, reject);
            return;
        }
      });
    });
  }

  private onSocketIoPacket(packet: string, resolve: (s: LiteSocket) => void, reject: (e: Error) => void): void {
    const type = packet[0];
    if (type === "0") {
      this.connected = true;
      resolve(this);
    } else if (type === "4") {
      reject(new Error(`connect_error ${packet.slice(1)}`));
    } else if (type === "2") {
      // `2["event",…]`: an event with a raw listener gets the text as it came
      const raw = this.rawListeners.size > 0 ? this.rawListeners.get(packet.slice(3, packet.indexOf('"', 3))) : undefined;
      if (raw) raw(packet);
      else {
        const [event, payload] = JSON.parse(packet.slice(1)) as [string, unknown];
        this.listeners.get(event)?.(payload);
      }
    } else if (type === "3") {
      const bracket = packet.indexOf("[");
      const id = Number(packet.slice(1, bracket));
      const [reply] = JSON.parse(packet.slice(bracket)) as [unknown];
      const ack = this.acks.get(id);
      this.acks.delete(id);
      ack?.(reply);
    }
  }

  /** One listener per event (a second replaces the first). */
  on<E extends ServerEvent>(event: E, listener: (payload: Payload<E>) => void): void {
    this.listeners.set(event, listener as Listener);
  }

  /** A listener given the packet's text instead of its parsed payload (a second replaces the first). */
  onRaw(event: ServerEvent, listener: (json: string) => void): void {
    this.rawListeners.set(event, listener);
  }

  emit<E extends ClientEvent>(event: E, payload: Input<E>, ack?: (reply: Ack<Replies[E]>) => void): void {
    if (!ack) {
      this.ws.send(`42${JSON.stringify([event, payload])}`);
      return;
    }
    const id = this.nextAck++;
    this.acks.set(id, ack as (reply: unknown) => void);
    this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
  }

  request<E extends ClientEvent>(event: E, payload: Input<E>): Promise<Ack<Replies[E]>> {
    return new Promise((resolve) => this.emit(event, payload, resolve));
  }

  disconnect(): void {
    this.connected = false;
    this.ws.terminate();
  }
}
