/**
 * A TCP proxy on port 0 that forwards to a server port and records, per connection, every byte
 * in each direction. Put between a real client and Loom, it shows exactly what the client
 * sent (its telnet negotiation, its line ends) for fixtures in test/fixtures/.
 */
import net from "node:net";

/** One proxied connection's bytes. */
export interface Recording {
  readonly fromClient: Buffer[];
  readonly fromServer: Buffer[];
  /** Resolves when both sides are closed. */
  readonly closed: Promise<void>;
}

/** A recording proxy; {@link RecordingProxy.close} it in afterEach. */
export class RecordingProxy {
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  readonly recordings: Recording[] = [];

  private constructor(server: net.Server) {
    this.#server = server;
  }

  /** Listens on 127.0.0.1, port 0, forwarding each connection to 127.0.0.1:`targetPort`. */
  static async start(targetPort: number): Promise<RecordingProxy> {
    const server = net.createServer();
    const proxy = new RecordingProxy(server);
    server.on("connection", (client) => proxy.#proxy(client, targetPort));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    return proxy;
  }

  /** The port clients should connect to. */
  get port(): number {
    return (this.#server.address() as net.AddressInfo).port;
  }

  /** Stops listening and destroys every proxied connection. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #proxy(client: net.Socket, targetPort: number): void {
    const upstream = net.connect({ port: targetPort, host: "127.0.0.1" });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    for (const s of [client, upstream]) {
      this.#sockets.add(s);
      s.on("error", () => s.destroy());
    }
    const fromClient: Buffer[] = [];
    const fromServer: Buffer[] = [];
    const ended = (s: net.Socket): Promise<void> =>
      new Promise((resolve) =>
        s.on("close", () => {
          this.#sockets.delete(s);
          resolve();
        }),
      );
    const closed = Promise.all([ended(client), ended(upstream)]).then(() => undefined);
    this.recordings.push({ fromClient, fromServer, closed });
    client.on("data", (chunk: Buffer) => {
      fromClient.push(chunk);
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      fromServer.push(chunk);
      client.write(chunk);
    });
    // A close on either side closes the other (after what was already written drains).
    client.on("close", () => upstream.end());
    upstream.on("close", () => client.end());
  }
}
