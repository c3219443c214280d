// A TCP relay that can be stopped and started again: what a server going away (every open
// connection cut, new ones refused) and coming back looks like to its clients, without touching
// the machine's shared PostgreSQL or Redis.
import { createConnection, createServer, type Server, type Socket } from "node:net";

/** Relays a local port to `target`. */
export class Relay {
  private server: Server | null = null;
  private readonly open = new Set<Socket>();

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection(this.target);
      for (const s of [client, upstream]) {
        this.open.add(s);
        s.on("close", () => this.open.delete(s));
        s.on("error", () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.server = server;
  }

  /** Cuts every connection and refuses new ones, as a stopped server does. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.open) s.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
