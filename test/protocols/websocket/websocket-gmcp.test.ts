/** GMCP framed for a WebSocket: bare messages under `gmcp.`, envelopes under `json.`, over telnet's GMCP conversation. */
import { describe, expect, it } from "vitest";
import { WebSocketGmcp, type GmcpLink } from "../../../protocols/websocket/websocket-gmcp.js";
import { FakeClock } from "../../../src/reactor/clock.js";

/** A link that records what the GMCP side did. */
function recorder(): GmcpLink & { texts: string[]; events: unknown[][] } {
  const texts: string[] = [];
  const events: unknown[][] = [];
  return {
    texts,
    events,
    sendText: (text) => texts.push(text),
    hello: (client) => events.push(["hello", client]),
    pass: (name, data) => events.push(["pass", name, data]),
    rejected: (code) => events.push(["rejected", code]),
    unencodable: (name) => events.push(["unencodable", name]),
  };
}

describe("WebSocketGmcp", () => {
  it("frames messages bare under gmcp. and in envelopes under json.", () => {
    const bare = recorder();
    const enveloped = recorder();
    const a = new WebSocketGmcp("gmcp", bare, new FakeClock());
    const b = new WebSocketGmcp("json", enveloped, new FakeClock());
    for (const gmcp of [a, b]) {
      gmcp.send("Comm.Channel.Text", { channel: "chat", talker: "Ada", text: "hi" });
      gmcp.receive("Core.Ping", undefined);
    }
    expect(bare.texts).toEqual(['Comm.Channel.Text {"channel":"chat","talker":"Ada","text":"hi"}', "Core.Ping"]);
    expect(enveloped.texts.map((t) => JSON.parse(t) as unknown)).toEqual([
      { proto: "gmcp", id: "Comm.Channel.Text", data: '{"channel":"chat","talker":"Ada","text":"hi"}' },
      { proto: "gmcp", id: "Core.Ping", data: "" },
    ]);
  });

  it("is enabled from the start, and follows Core.Supports: Room.Info waits, then the latest is sent", () => {
    const link = recorder();
    const gmcp = new WebSocketGmcp("gmcp", link, new FakeClock());
    gmcp.send("Room.Info", { num: 1 });
    gmcp.send("Room.Info", { num: 2 });
    expect(link.texts).toEqual([]);
    gmcp.receive("Core.Supports.Set", ["Room 1"]);
    expect(link.texts).toEqual(['Room.Info {"num":2}']);
  });

  it("reports Core.Hello as telnet does, passes other packages with null for no body, and reports rejections", () => {
    const link = recorder();
    const gmcp = new WebSocketGmcp("json", link, new FakeClock());
    gmcp.receive("Core.Hello", { client: "Mudlet", version: "4.17.2" });
    gmcp.receive("Core.Hello", { client: "Bare" });
    gmcp.receive("Char.Login.Credentials", { account: "ada" });
    gmcp.receive("Core.KeepAlive", undefined);
    gmcp.receive("Core.Supports.Set", "Room 1");
    expect(link.events).toEqual([
      ["hello", "Mudlet 4.17.2"],
      ["hello", "Bare"],
      ["pass", "Char.Login.Credentials", { account: "ada" }],
      ["pass", "Core.KeepAlive", null],
      ["rejected", "bad-payload"],
    ]);
  });

  it("drops data it cannot write as JSON, in both framings, and says so", () => {
    for (const framing of ["gmcp", "json"] as const) {
      const link = recorder();
      const gmcp = new WebSocketGmcp(framing, link, new FakeClock());
      expect(() => gmcp.send("Comm.Channel.Text", 10n)).not.toThrow();
      expect(link.texts).toEqual([]);
      expect(link.events).toEqual([["unencodable", "Comm.Channel.Text"]]);
    }
  });
});
