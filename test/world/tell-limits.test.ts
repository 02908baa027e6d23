/**
 * Issue 5 item 9: tells are rate-limited per sender and per recipient (hardening F2), with a
 * polite answer to the sender and bounded memory.
 */
import path from "node:path";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { PasswordHasher } from "../../src/accounts/passwords.js";
import { FakeClock } from "../../src/reactor/clock.js";
import type { GatewayPort, OutboundMessage, SessionId } from "../../src/session/messages.js";
import { spansText } from "../../src/session/render.js";
import { openMemoryStore } from "../../src/store/sqlite-store.js";
import { TellLimits } from "../../src/world/tell-limits.js";
import { World } from "../../src/world/world.js";
import { loadWorld } from "../../src/world/world-file.js";
import { defaultHasherLimits, defaultWorldOptions } from "../support/default-config.js";

describe("issue 5 item 9: tell rate limits (F2)", () => {
  it("a sender gets the burst, then the rate; refills with time", () => {
    const clock = new FakeClock();
    const limits = new TellLimits(clock, { perSecond: 2, burst: 3 });
    const results = Array.from({ length: 5 }, (_, i) => limits.admit("mallory", `r${i}`));
    expect(results).toEqual(["ok", "ok", "ok", "sender-limited", "sender-limited"]);
    clock.advance(500);
    expect(limits.admit("mallory", "r9")).toBe("ok");
    expect(limits.admit("mallory", "r9")).toBe("sender-limited");
  });

  it("a recipient gets at most the burst from any number of senders", () => {
    const limits = new TellLimits(new FakeClock(), { perSecond: 2, burst: 3 });
    const results = Array.from({ length: 5 }, (_, i) => limits.admit(`s${i}`, "alice"));
    expect(results).toEqual(["ok", "ok", "ok", "recipient-limited", "recipient-limited"]);
  });

  it("memory stays bounded with 100,000 distinct players", () => {
    const clock = new FakeClock();
    const limits = new TellLimits(clock, { perSecond: 2, burst: 3, maxKeys: 1000 });
    for (let i = 0; i < 100_000; i++) {
      limits.admit(`s${i}`, `r${i}`);
      if (i % 1000 === 0) clock.advance(1000);
    }
    expect(limits.size.senders).toBeLessThanOrEqual(1000);
    expect(limits.size.recipients).toBeLessThanOrEqual(1000);
  });

  it("through the world: the flooder is told politely, the target reads the burst, a bystander nothing", async () => {
    const sent: OutboundMessage[] = [];
    const gateway: GatewayPort = { send: (m) => sent.push(m) };
    const textFor = (s: SessionId): string[] =>
      sent.flatMap((m) => (m.type === "deliver" && m.to.includes(s) ? [spansText(m.message.spans)] : []));
    const clock = new FakeClock();
    const world = new World({
      definition: loadWorld(path.resolve(import.meta.dirname, "../../config/world")),
      store: openMemoryStore(),
      hasher: new PasswordHasher({ ...defaultHasherLimits, memoryCost: 1024, timeCost: 1, maxConcurrent: 4 }),
      gateway,
      clock,
      logger: pino({ level: "silent" }),
      options: defaultWorldOptions({ creationsPerHour: 1000, tellsPerSecond: 1, tellBurst: 2 }),
    });
    const names = ["Mallory", "Alice", "Carol", "Dave"];
    for (const [i, name] of names.entries()) {
      world.receive({ type: "connected", session: i + 1, door: "line", peer: "127.0.0.1", caps: { ansi: false, width: 80, height: 24 } });
      world.receive({ type: "line", session: i + 1, text: `create ${name} pw-${name}-long-enough` });
      await expect.poll(() => world.playerCount).toBe(i + 1);
    }
    sent.length = 0;
    for (let i = 0; i < 4; i++) world.receive({ type: "line", session: 1, text: `tell Alice spam ${i}` });
    expect(textFor(1)).toEqual([
      'You tell Alice, "spam 0"',
      'You tell Alice, "spam 1"',
      "You are sending tells too fast. Wait a moment, then try again.",
      "You are sending tells too fast. Wait a moment, then try again.",
    ]);
    expect(textFor(2)).toEqual(['Mallory tells you, "spam 0"', 'Mallory tells you, "spam 1"']);
    expect(textFor(4)).toEqual([]);
    // Alice's own allowance is spent too: Carol is told so, and Alice reads nothing more.
    sent.length = 0;
    world.receive({ type: "line", session: 3, text: "tell alice hello" });
    expect(textFor(3)).toEqual(["Alice is getting too many tells right now. Try again in a moment."]);
    expect(textFor(2)).toEqual([]);
    // A second later each has one more.
    clock.advance(1000);
    sent.length = 0;
    world.receive({ type: "line", session: 3, text: "tell alice hello" });
    expect(textFor(2)).toEqual(['Carol tells you, "hello"']);
    const tell = sent.find((m) => m.type === "deliver" && m.to.includes(2));
    expect(tell?.type === "deliver" && tell.message.priority).toBe("chatter");
  });
});
