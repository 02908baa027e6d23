/**
 * GMCP over a real telnet socket (issue 8): a client that agrees to GMCP, says Core.Hello and
 * lists Room and Char in Core.Supports.Set gets Char.Name, Char.Status and Room.Info after login
 * and Room.Info after walking; every GMCP client gets Comm.Channel.* (Mudlet never lists Comm),
 * one without Core.Supports nothing else; a client that refused GMCP gets no SB 201 byte. Every
 * message received is checked against its package's schema.
 */
import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { decodeGmcp, encodeGmcp, type GmcpMessage } from "../../protocols/gmcp/gmcp-message.js";
import { TelnetCommand as C, TelnetOptionCode as O } from "../../protocols/telnet/constants.js";
import { subnegotiation } from "../../protocols/telnet/encoder.js";
import { TelnetParser } from "../../protocols/telnet/parser.js";
import { GmcpServerMessages, type GmcpServerMessage } from "../../src/session/gmcp-packages.js";
import type { Door } from "../../src/session/messages.js";
import { createCharacter, LineClient, type TextClient } from "../support/clients.js";
import { removeDir, startTestServer, type TestServer } from "../support/server-harness.js";

const { IAC } = C;
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/** What a {@link GmcpClient} does when the server offers WILL GMCP. */
interface GmcpClientOptions {
  /** Answer DO GMCP (else DONT). */
  readonly accept: boolean;
  /** Then send Core.Hello. */
  readonly hello?: boolean;
  /** Then send Core.Supports.Set with these modules. */
  readonly supports?: readonly string[];
}

/**
 * A telnet client that speaks GMCP the way Mudlet does: on WILL GMCP it answers DO GMCP and at
 * once sends Core.Hello and Core.Supports.Set. It reads the server with the real telnet parser,
 * lets the server ECHO and suppress go-ahead, and refuses every other option.
 */
class GmcpClient extends LineClient {
  override readonly door: Door = "telnet";
  /** Every GMCP message received, in order. */
  readonly gmcp: GmcpMessage[] = [];
  #options: GmcpClientOptions;
  readonly #parser = new TelnetParser({ maxSubnegotiationBytes: 1 << 20 });
  readonly #decoder = new TextDecoder();
  readonly #taken = new Set<number>();
  #mark = 0;
  readonly #waiters = new Set<() => void>();

  constructor(socket: net.Socket, options: GmcpClientOptions) {
    super(socket);
    this.#options = options;
  }

  protected override decode(chunk: Buffer): string {
    let text = "";
    for (const event of this.#parser.feed(chunk)) {
      switch (event.type) {
        case "data":
          text += this.#decoder.decode(event.bytes, { stream: true });
          break;
        case "negotiate":
          this.#answer(event.verb, event.option);
          break;
        case "subnegotiation":
          if (event.option === O.GMCP) this.#received(event.data);
          break;
        default:
          break;
      }
    }
    return text.replace(ANSI, "").replace(/\r\n/g, "\n");
  }

  /** Sends one GMCP message. */
  sendGmcp(name: string, data?: unknown): void {
    this.socket.write(subnegotiation(O.GMCP, encodeGmcp(name, data)));
  }

  /**
   * Changes its mind, as a client whose player turns GMCP on does: sends DO GMCP and answers
   * the server's WILL as `options` says from now on.
   */
  agreeLate(options: GmcpClientOptions): void {
    this.#options = options;
    this.socket.write(Uint8Array.of(IAC, C.DO, O.GMCP));
  }

  /** Names of the GMCP messages received after the GMCP mark. */
  namesSinceMark(): string[] {
    return this.gmcp.slice(this.#mark).map((m) => m.name);
  }

  /** Moves the GMCP mark past everything received so far. */
  markGmcp(): void {
    this.#mark = this.gmcp.length;
  }

  /** Resolves with the first message named `name` after the mark that no earlier call took. */
  expectGmcp(name: string, ms = 5000): Promise<GmcpMessage> {
    return new Promise((resolve, reject) => {
      const tryResolve = (): boolean => {
        for (let i = this.#mark; i < this.gmcp.length; i++) {
          if (this.#taken.has(i) || this.gmcp[i]!.name !== name) continue;
          this.#taken.add(i);
          resolve(this.gmcp[i]!);
          return true;
        }
        return false;
      };
      if (tryResolve()) return;
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`timed out waiting for GMCP ${name}; got ${JSON.stringify(this.namesSinceMark())}`));
      }, ms);
      const check = (): void => {
        if (!tryResolve()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
    });
  }

  #received(payload: Uint8Array): void {
    const decoded = decodeGmcp(payload);
    if (!decoded.ok) throw new Error(`the server sent a bad GMCP message: ${decoded.detail}`);
    this.gmcp.push(decoded.message);
    for (const waiter of [...this.#waiters]) waiter();
  }

  #answer(verb: string, option: number): void {
    if (verb === "WILL" && option === O.GMCP) {
      this.socket.write(Uint8Array.of(IAC, this.#options.accept ? C.DO : C.DONT, O.GMCP));
      if (!this.#options.accept) return;
      if (this.#options.hello === true) this.sendGmcp("Core.Hello", { client: "LoomTest", version: "1.0" });
      if (this.#options.supports !== undefined) this.sendGmcp("Core.Supports.Set", this.#options.supports);
      return;
    }
    if (verb === "WILL") this.socket.write(Uint8Array.of(IAC, option === O.ECHO || option === O.SGA ? C.DO : C.DONT, option));
    else if (verb === "DO") this.socket.write(Uint8Array.of(IAC, C.WONT, option));
  }

  static open(port: number, options: GmcpClientOptions): Promise<GmcpClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: "127.0.0.1" });
      socket.once("connect", () => resolve(new GmcpClient(socket, options)));
      socket.once("error", reject);
    });
  }
}

let server: TestServer;
const clients: TextClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
  removeDir(server.dataDir);
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

async function login<T extends TextClient>(client: T, prefix: string): Promise<{ client: T; name: string }> {
  clients.push(client);
  const name = await createCharacter(client, prefix);
  await client.expect("Exits:");
  return { client, name };
}

/** `say <word>` and its echo: output to one session arrives in order, so what came before is in. */
async function sync(client: TextClient, word: string): Promise<void> {
  client.send(`say ${word}`);
  await client.expect(`You say, "${word}"`);
}

/** Parses `message` with its package's schema, failing the test if it does not fit. */
function checked<N extends GmcpServerMessage>(message: GmcpMessage, name: N): z.output<(typeof GmcpServerMessages)[N]["schema"]> {
  expect(message.name).toBe(name);
  const parsed = (GmcpServerMessages[name].schema as z.ZodType).safeParse(message.data);
  expect(parsed.success, `${name} ${JSON.stringify(message.data)}`).toBe(true);
  return parsed.data as z.output<(typeof GmcpServerMessages)[N]["schema"]>;
}

function allValid(client: GmcpClient): void {
  for (const message of client.gmcp) checked(message, message.name as GmcpServerMessage);
}

describe("GMCP on the telnet door", () => {
  it("a client listing Room and Char gets Char.Name, Char.Status and Room.Info after login, Room.Info after walking, and Comm.Channel.*", async () => {
    const { client, name } = await login(await GmcpClient.open(server.ports.telnet, { accept: true, hello: true, supports: ["Room 1", "Char 1"] }), "gm");

    expect(checked(await client.expectGmcp("Char.Name"), "Char.Name")).toEqual({ name, fullname: name });
    expect(checked(await client.expectGmcp("Char.Status"), "Char.Status")).toEqual({ name, fullname: name, pronouns: "they", role: "player" });
    const square = checked(await client.expectGmcp("Room.Info"), "Room.Info");
    expect(square).toMatchObject({ id: "square", name: "Town Square", area: "Shuttleford" });
    expect(Object.keys(square.exits).sort()).toEqual(["e", "in", "n", "s", "w"]);
    expect(checked(await client.expectGmcp("Comm.Channel.List"), "Comm.Channel.List")).toEqual([{ name: "chat", caption: "Chat", command: "chat" }]);

    client.send("north");
    const market = checked(await client.expectGmcp("Room.Info"), "Room.Info");
    expect(market).toMatchObject({ id: "market", name: "Market Row", num: square.exits["n"] });
    expect(market.exits["s"]).toBe(square.num);

    client.send("chat over the wire");
    expect(checked(await client.expectGmcp("Comm.Channel.Text"), "Comm.Channel.Text")).toEqual({ channel: "chat", talker: name, text: "over the wire" });

    // look does not resend Room.Info; pronouns resend Char.Status.
    client.markGmcp();
    client.send("look");
    client.send("pronouns she");
    expect(checked(await client.expectGmcp("Char.Status"), "Char.Status")).toMatchObject({ pronouns: "she" });
    await sync(client, "settled");
    expect(client.namesSinceMark()).toEqual(["Char.Status"]);
    allValid(client);
  });

  it("answers Core.Ping, passes other packages to the session, and shrugs off malformed GMCP", async () => {
    const { client } = await login(await GmcpClient.open(server.ports.telnet, { accept: true, hello: true, supports: ["Room 1"] }), "gp");
    client.markGmcp();
    client.sendGmcp("Core.Ping", 30);
    await client.expectGmcp("Core.Ping");
    client.socket.write(subnegotiation(O.GMCP, new TextEncoder().encode("Core.Supports.Set [")));
    client.sendGmcp("Char.Items.Inv");
    client.sendGmcp("Core.Supports.Add", ["Char 1"]);
    // Char.Name and Char.Status were held back since login; listing Char now sends them.
    await client.expectGmcp("Char.Name");
    await client.expectGmcp("Char.Status");
    await sync(client, "still here");
    allValid(client);
  });

  it("a GMCP client that lists no modules gets Comm.Channel.* and nothing else", async () => {
    const { client, name } = await login(await GmcpClient.open(server.ports.telnet, { accept: true, hello: true }), "gc");
    await client.expectGmcp("Comm.Channel.List");
    client.send("north");
    await client.expect("Market Row");
    client.send("pronouns it");
    client.send("chat just channels");
    expect((await client.expectGmcp("Comm.Channel.Text")).data).toEqual({ channel: "chat", talker: name, text: "just channels" });
    await sync(client, "done");
    expect(new Set(client.gmcp.map((m) => m.name))).toEqual(new Set(["Comm.Channel.List", "Comm.Channel.Text"]));
    allValid(client);
  });

  it("a client that refused GMCP gets no SB 201 byte", async () => {
    const { client } = await login(await GmcpClient.open(server.ports.telnet, { accept: false }), "gr");
    client.send("north");
    await client.expect("Market Row");
    client.send("pronouns he");
    client.send("chat nothing out of band");
    await client.expect("[chat] You: nothing out of band");
    await sync(client, "done");
    expect(client.gmcp).toEqual([]);
    expect(Buffer.concat(client.bytes).includes(Buffer.from([IAC, C.SB, O.GMCP]))).toBe(false);
    expect(client.text).not.toMatch(/Room\.Info|Char\.|Comm\.Channel/);
  });

  it("a client that refused GMCP and agrees later gets the state as it is now, from the world (issue 11 target 3)", async () => {
    const { client, name } = await login(await GmcpClient.open(server.ports.telnet, { accept: false }), "gt");
    client.send("north");
    await client.expect("Market Row");
    client.send("pronouns she");
    await sync(client, "before");
    expect(client.gmcp).toEqual([]);

    client.agreeLate({ accept: true, hello: true, supports: ["Room 1", "Char 1", "Loom 1"] });
    expect(checked(await client.expectGmcp("Char.Name"), "Char.Name")).toEqual({ name, fullname: name });
    expect(checked(await client.expectGmcp("Char.Status"), "Char.Status")).toEqual({ name, fullname: name, pronouns: "she", role: "player" });
    expect(checked(await client.expectGmcp("Loom.Commands"), "Loom.Commands")).toEqual(expect.arrayContaining(["look", "north", "say"]));
    expect(checked(await client.expectGmcp("Room.Info"), "Room.Info")).toMatchObject({ id: "market", name: "Market Row" });
    expect(checked(await client.expectGmcp("Room.Players"), "Room.Players")).toEqual(expect.any(Array));
    expect(checked(await client.expectGmcp("Char.Items.List"), "Char.Items.List")).toMatchObject({ location: "room" });
    expect(checked(await client.expectGmcp("Char.Items.List"), "Char.Items.List")).toEqual({ location: "inv", items: [] });
    expect(checked(await client.expectGmcp("Comm.Channel.List"), "Comm.Channel.List")).toEqual([{ name: "chat", caption: "Chat", command: "chat" }]);
    // And from then on, as any GMCP client.
    client.send("south");
    expect(checked(await client.expectGmcp("Room.Info"), "Room.Info")).toMatchObject({ id: "square" });
    allValid(client);
  });

  it("who and what is around (issue 9): Room.* only to a client that listed Room, Char.Items.* to one that listed Char, Loom.Commands to one that listed Loom", async () => {
    const { client: items, name: itemsName } = await login(await GmcpClient.open(server.ports.telnet, { accept: true, hello: true, supports: ["Char 1"] }), "gi");
    const { client: all } = await login(
      await GmcpClient.open(server.ports.telnet, { accept: true, hello: true, supports: ["Room 1", "Char 1", "Loom 1"] }),
      "ga",
    );
    const { client: plain, name: plainName } = await login(await LineClient.connect(server.ports.line), "gl");

    // The one that listed Room, Char and Loom: its commands, the square's people and things.
    const commands = checked(await all.expectGmcp("Loom.Commands"), "Loom.Commands");
    expect(commands).toEqual(expect.arrayContaining(["look", "north", "n", "get", "say"]));
    expect(checked(await all.expectGmcp("Room.Players"), "Room.Players")).toContainEqual({ name: itemsName, fullname: itemsName });
    const square = checked(await all.expectGmcp("Char.Items.List"), "Char.Items.List");
    expect(square.location).toBe("room");
    expect(square.items).toContainEqual({ id: "fountain", name: "stone fountain" });
    expect(checked(await all.expectGmcp("Char.Items.List"), "Char.Items.List")).toEqual({ location: "inv", items: [] });
    expect(checked(await all.expectGmcp("Room.AddPlayer"), "Room.AddPlayer")).toEqual({ name: plainName, fullname: plainName });

    // The one that listed only Char: its item lists, and no Room.* nor Loom.*, even as people come and go.
    expect(checked(await items.expectGmcp("Char.Items.List"), "Char.Items.List")).toMatchObject({ location: "room" });
    plain.send("north");
    expect(checked(await all.expectGmcp("Room.RemovePlayer"), "Room.RemovePlayer")).toBe(plainName);
    await sync(items, "quietly");
    expect(items.gmcp.map((m) => m.name).filter((n) => /^(Room|Loom)\./.test(n))).toEqual([]);
    expect(items.gmcp.map((m) => m.name)).toContain("Char.Name");
    allValid(items);
    allValid(all);
  });
});
