/**
 * Which subprotocol the door selects from a client's offer (issue 8): the precedence, as a pure
 * function and over real handshakes on port 0, the session each choice opens, and hardening W1
 * and W2 under each.
 */
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import {
  GMCP_SUBPROTOCOL,
  JSON_SUBPROTOCOL,
  selectSubprotocol,
  SUBPROTOCOL_PRECEDENCE,
  TERMINAL_SUBPROTOCOL,
  wireModeOf,
} from "../../../protocols/websocket/subprotocols.js";
import { LOOM_JSON_SUBPROTOCOL } from "../../../protocols/websocket/wire.js";
import { rawHandshake, startDoorHarness, type DoorHarness, type DoorHarnessOptions } from "./harness.js";

let harness: DoorHarness | undefined;

async function start(options: DoorHarnessOptions = {}): Promise<DoorHarness> {
  harness = await startDoorHarness(options);
  return harness;
}

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("selectSubprotocol", () => {
  it("prefers loom.v1.json, then gmcp., json. and terminal., whatever order they are offered in", () => {
    expect(SUBPROTOCOL_PRECEDENCE).toEqual([LOOM_JSON_SUBPROTOCOL, GMCP_SUBPROTOCOL, JSON_SUBPROTOCOL, TERMINAL_SUBPROTOCOL]);
    const all = [TERMINAL_SUBPROTOCOL, JSON_SUBPROTOCOL, GMCP_SUBPROTOCOL, LOOM_JSON_SUBPROTOCOL];
    expect(selectSubprotocol(new Set(all))).toBe(LOOM_JSON_SUBPROTOCOL);
    expect(selectSubprotocol(new Set(all.slice(0, 3)))).toBe(GMCP_SUBPROTOCOL);
    expect(selectSubprotocol(new Set(all.slice(0, 2)))).toBe(JSON_SUBPROTOCOL);
    expect(selectSubprotocol(new Set([JSON_SUBPROTOCOL, TERMINAL_SUBPROTOCOL]))).toBe(JSON_SUBPROTOCOL);
    expect(selectSubprotocol(new Set(["telnet.mudstandards.org", TERMINAL_SUBPROTOCOL]))).toBe(TERMINAL_SUBPROTOCOL);
  });

  it("selects none for an empty offer or one of unknown names, compared exactly", () => {
    expect(selectSubprotocol(new Set())).toBe(false);
    expect(selectSubprotocol(new Set(["telnet.mudstandards.org", "v1.evennia.com"]))).toBe(false);
    expect(selectSubprotocol(new Set(["GMCP.mudstandards.org", "loom.v1.JSON"]))).toBe(false);
  });

  it("maps each selection to its wire mode", () => {
    expect([LOOM_JSON_SUBPROTOCOL, GMCP_SUBPROTOCOL, JSON_SUBPROTOCOL, TERMINAL_SUBPROTOCOL, ""].map(wireModeOf)).toEqual([
      "loom-json",
      "gmcp",
      "json",
      "terminal",
      "text",
    ]);
  });
});

describe("the handshake", () => {
  const cases: { offer: string[]; selected: string; variant: string; ansi: boolean }[] = [
    { offer: [TERMINAL_SUBPROTOCOL, GMCP_SUBPROTOCOL, LOOM_JSON_SUBPROTOCOL], selected: LOOM_JSON_SUBPROTOCOL, variant: "ws-json", ansi: false },
    { offer: [TERMINAL_SUBPROTOCOL, JSON_SUBPROTOCOL, GMCP_SUBPROTOCOL], selected: GMCP_SUBPROTOCOL, variant: "ansi", ansi: true },
    { offer: [TERMINAL_SUBPROTOCOL, JSON_SUBPROTOCOL], selected: JSON_SUBPROTOCOL, variant: "ansi", ansi: true },
    { offer: ["telnet.mudstandards.org", TERMINAL_SUBPROTOCOL], selected: TERMINAL_SUBPROTOCOL, variant: "ansi", ansi: true },
    { offer: [], selected: "", variant: "ws-text", ansi: false },
  ];
  for (const { offer, selected, variant, ansi } of cases) {
    it(`offered [${offer.join(", ")}] selects ${selected === "" ? "none" : selected}, rendering ${variant}`, async () => {
      const h = await start();
      const client = await h.connect(offer);
      expect(client.ws.protocol).toBe(selected);
      const session = await h.opener.session();
      expect(session.endpoint.variant).toBe(variant);
      expect(session.initialCaps).toEqual({ ansi, width: 80, height: 24 });
    });
  }

  it("an offer of only unknown names completes without a Sec-WebSocket-Protocol (the client may then give up, RFC 6455 §4.1)", async () => {
    const h = await start();
    const socket = await h.rawSocket();
    let response = "";
    const headersRead = new Promise<void>((resolve) =>
      socket.on("data", (chunk: Buffer) => {
        response += chunk.toString("latin1");
        if (response.includes("\r\n\r\n")) resolve();
      }),
    );
    socket.write(rawHandshake(h.port, "Sec-WebSocket-Protocol: telnet.mudstandards.org, v1.evennia.com\r\n"));
    await headersRead;
    expect(response).toMatch(/^HTTP\/1\.1 101 /);
    expect(response.toLowerCase()).not.toContain("sec-websocket-protocol");
    expect((await h.opener.session()).endpoint.variant).toBe("ws-text");
    socket.destroy();
    await once(socket, "close");
  });
});

describe("hardening W1 and W2 under every subprotocol", () => {
  const offers = [[LOOM_JSON_SUBPROTOCOL], [GMCP_SUBPROTOCOL], [JSON_SUBPROTOCOL], [TERMINAL_SUBPROTOCOL], []];

  it("W1: a message one byte past maxPayload closes with 1009, text or binary", async () => {
    const h = await start({ door: { maxPayload: 1024 } });
    for (const offer of offers) {
      for (const binary of [false, true]) {
        const index = h.opener.sessions.length;
        const client = await h.connect(offer);
        const session = await h.opener.session(index);
        client.ws.send(Buffer.alloc(1025, 0x61), { binary });
        expect((await client.closed).code, `${offer.join()} binary=${binary}`).toBe(1009);
        await h.opener.until(() => session.closed.length === 1);
        expect(session.closed[0]?.code).toBe("protocol-error");
      }
    }
  });

  it("W2: invalid UTF-8 in a text frame closes with 1007", async () => {
    const h = await start();
    for (const offer of offers) {
      const index = h.opener.sessions.length;
      const client = await h.connect(offer);
      const session = await h.opener.session(index);
      client.ws.send(Buffer.from([0x6c, 0xc3, 0x28]), { binary: false });
      expect((await client.closed).code, offer.join()).toBe(1007);
      await h.opener.until(() => session.closed.length === 1);
      expect(session.closed[0]?.code).toBe("protocol-error");
      expect(session.lines).toEqual([]);
    }
  });
});
