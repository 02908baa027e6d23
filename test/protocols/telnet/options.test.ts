import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  NegotiationVerbs,
  TelnetOptionCode as O,
  VerbByte,
  type NegotiationVerb,
} from "../../../protocols/telnet/constants.js";
import {
  OptionNegotiator,
  type OptionModule,
  type OptionNegotiatorOptions,
  type Side,
} from "../../../protocols/telnet/options.js";
import {
  receiveNegative,
  receivePositive,
  requestDisable,
  requestEnable,
  type QSide,
} from "../../../protocols/telnet/q-method.js";
import { FC_SEED } from "../line/chunks.js";

type Sent = [NegotiationVerb, number];

function decode(bytes: Uint8Array): Sent {
  const verb = NegotiationVerbs.find((name) => VerbByte[name] === bytes[1]);
  if (verb === undefined || bytes.length !== 3) throw new Error(`not a negotiation: ${Array.from(bytes).join(" ")}`);
  return [verb, bytes[2]!];
}

/** A module that accepts what it is told to and records its on/off changes. */
class RecordingModule implements OptionModule {
  readonly changes: Array<[Side, boolean]> = [];
  constructor(
    readonly option: number,
    readonly acceptLocal: boolean,
    readonly acceptRemote: boolean,
  ) {}
  onChange(side: Side, enabled: boolean): void {
    this.changes.push([side, enabled]);
  }
}

function harness(modules: OptionModule[], options: OptionNegotiatorOptions = {}) {
  const sent: Sent[] = [];
  const errors: string[] = [];
  const negotiator = new OptionNegotiator(
    modules,
    { send: (bytes) => sent.push(decode(bytes)), protocolError: (message) => errors.push(message) },
    options,
  );
  return { negotiator, sent, errors };
}

const side = (state: QSide["state"], opposite = false): QSide => ({ state, opposite });

describe("RFC 1143 Q method, section 7 table", () => {
  it("receiving the positive message", () => {
    expect(receivePositive(side("no"), true)).toEqual({ next: side("yes"), send: "enable" });
    expect(receivePositive(side("no"), false)).toEqual({ next: side("no"), send: "disable" });
    expect(receivePositive(side("yes"), true)).toEqual({ next: side("yes") });
    expect(receivePositive(side("want-no"), true)).toMatchObject({ next: side("no"), violation: expect.any(String) });
    expect(receivePositive(side("want-no", true), true)).toMatchObject({ next: side("yes"), violation: expect.any(String) });
    expect(receivePositive(side("want-yes"), false)).toEqual({ next: side("yes") });
    expect(receivePositive(side("want-yes", true), true)).toEqual({ next: side("want-no"), send: "disable" });
  });

  it("receiving the negative message", () => {
    expect(receiveNegative(side("no"))).toEqual({ next: side("no") });
    expect(receiveNegative(side("yes"))).toEqual({ next: side("no"), send: "disable" });
    expect(receiveNegative(side("want-no"))).toEqual({ next: side("no") });
    expect(receiveNegative(side("want-no", true))).toEqual({ next: side("want-yes"), send: "enable" });
    expect(receiveNegative(side("want-yes"))).toEqual({ next: side("no") });
    expect(receiveNegative(side("want-yes", true))).toEqual({ next: side("no") });
  });

  it("our own requests are idempotent and queue while an answer is pending", () => {
    expect(requestEnable(side("no"))).toEqual({ next: side("want-yes"), send: "enable" });
    expect(requestEnable(side("yes"))).toEqual({ next: side("yes") });
    expect(requestEnable(side("want-no"))).toEqual({ next: side("want-no", true) });
    expect(requestEnable(side("want-no", true))).toEqual({ next: side("want-no", true) });
    expect(requestEnable(side("want-yes"))).toEqual({ next: side("want-yes") });
    expect(requestEnable(side("want-yes", true))).toEqual({ next: side("want-yes") });
    expect(requestDisable(side("no"))).toEqual({ next: side("no") });
    expect(requestDisable(side("yes"))).toEqual({ next: side("want-no"), send: "disable" });
    expect(requestDisable(side("want-no"))).toEqual({ next: side("want-no") });
    expect(requestDisable(side("want-no", true))).toEqual({ next: side("want-no") });
    expect(requestDisable(side("want-yes"))).toEqual({ next: side("want-yes", true) });
    expect(requestDisable(side("want-yes", true))).toEqual({ next: side("want-yes", true) });
  });
});

describe("OptionNegotiator", () => {
  it("T1: answering our WILL with DO produces no further WILL", () => {
    const sga = new RecordingModule(O.SGA, true, true);
    const { negotiator, sent } = harness([sga]);
    negotiator.request("local", O.SGA, true);
    expect(sent).toEqual([["WILL", O.SGA]]);
    negotiator.receive("DO", O.SGA);
    negotiator.receive("DO", O.SGA);
    expect(sent).toEqual([["WILL", O.SGA]]);
    expect(negotiator.isEnabled("local", O.SGA)).toBe(true);
    expect(sga.changes).toEqual([["local", true]]);
  });

  it("T1: answering our DO with WILL produces no further DO", () => {
    const { negotiator, sent } = harness([new RecordingModule(O.NAWS, false, true)]);
    negotiator.request("remote", O.NAWS, true);
    negotiator.receive("WILL", O.NAWS);
    negotiator.receive("WILL", O.NAWS);
    expect(sent).toEqual([["DO", O.NAWS]]);
    expect(negotiator.isEnabled("remote", O.NAWS)).toBe(true);
  });

  it("T1: two negotiators offering the same option to each other settle at once", () => {
    const a = harness([new RecordingModule(O.SGA, true, true)]);
    const b = harness([new RecordingModule(O.SGA, true, true)]);
    a.negotiator.request("local", O.SGA, true);
    b.negotiator.request("remote", O.SGA, true);
    // Both messages cross on the wire.
    for (const [verb, option] of b.sent.splice(0)) a.negotiator.receive(verb, option);
    for (const [verb, option] of a.sent.splice(0)) b.negotiator.receive(verb, option);
    expect(a.sent).toEqual([]);
    expect(b.sent).toEqual([]);
    expect(a.negotiator.isEnabled("local", O.SGA)).toBe(true);
    expect(b.negotiator.isEnabled("remote", O.SGA)).toBe(true);
  });

  it("agrees to a peer's offer when the policy accepts it, and tells the module", () => {
    const naws = new RecordingModule(O.NAWS, false, true);
    const { negotiator, sent } = harness([naws]);
    negotiator.receive("WILL", O.NAWS);
    negotiator.receive("WONT", O.NAWS);
    expect(sent).toEqual([
      ["DO", O.NAWS],
      ["DONT", O.NAWS],
    ]);
    expect(naws.changes).toEqual([
      ["remote", true],
      ["remote", false],
    ]);
  });

  it("refuses a peer's request when the policy does not accept it", () => {
    const { negotiator, sent } = harness([new RecordingModule(O.NAWS, false, true)]);
    negotiator.receive("DO", O.NAWS);
    expect(sent).toEqual([["WONT", O.NAWS]]);
    expect(negotiator.isEnabled("local", O.NAWS)).toBe(false);
  });

  it.each([99, O.GMCP, O.MSSP, O.MCCP2, O.CHARSET, O.EOR])("T2: unknown option %i gets exactly one WONT or DONT", (option) => {
    const { negotiator, sent } = harness([]);
    negotiator.receive("DO", option);
    expect(sent).toEqual([["WONT", option]]);
    sent.length = 0;
    negotiator.receive("WILL", option);
    expect(sent).toEqual([["DONT", option]]);
    sent.length = 0;
    // Negative messages for an option that is off need no answer.
    negotiator.receive("DONT", option);
    negotiator.receive("WONT", option);
    expect(sent).toEqual([]);
  });

  it("runs a queued request once the pending answer arrives (RFC 1143 queue bit)", () => {
    const echo = new RecordingModule(O.ECHO, false, false);
    const { negotiator, sent } = harness([echo]);
    negotiator.request("local", O.ECHO, true);
    negotiator.request("local", O.ECHO, false);
    expect(sent).toEqual([["WILL", O.ECHO]]);
    expect(negotiator.state("local", O.ECHO)).toEqual({ state: "want-yes", opposite: true });
    negotiator.receive("DO", O.ECHO);
    expect(sent).toEqual([
      ["WILL", O.ECHO],
      ["WONT", O.ECHO],
    ]);
    negotiator.receive("DONT", O.ECHO);
    expect(sent).toHaveLength(2);
    expect(negotiator.state("local", O.ECHO)).toEqual({ state: "no", opposite: false });
  });

  it("reports a peer that answers DONT with WILL-style violations", () => {
    const { negotiator, errors } = harness([new RecordingModule(O.SGA, true, true)]);
    negotiator.receive("DO", O.SGA);
    negotiator.request("local", O.SGA, false);
    negotiator.receive("DO", O.SGA);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("SGA");
    expect(negotiator.isEnabled("local", O.SGA)).toBe(false);
  });

  describe("T3: a flapping peer", () => {
    function flap(options: OptionNegotiatorOptions, option: number, positive: NegotiationVerb, negative: NegotiationVerb) {
      const module = new RecordingModule(O.NAWS, true, true);
      const h = harness([module], options);
      for (let i = 0; i < 10_000; i += 1) {
        h.negotiator.receive(positive, option);
        h.negotiator.receive(negative, option);
      }
      return { ...h, module };
    }

    it("gets at most one reply per state change (pure RFC 1143, no budget)", () => {
      const { sent, module } = flap({ maxRepliesPerOption: Number.MAX_SAFE_INTEGER }, O.NAWS, "WILL", "WONT");
      expect(module.changes).toHaveLength(20_000);
      expect(sent.length).toBeLessThanOrEqual(module.changes.length);
    });

    it("is cut off after the reply budget, with one report", () => {
      const { sent, module, errors } = flap({}, O.NAWS, "WILL", "WONT");
      expect(sent.length).toBeLessThanOrEqual(32);
      expect(sent.length).toBeLessThanOrEqual(module.changes.length);
      expect(errors).toHaveLength(1);
    });

    it("cannot make us refuse an unknown option forever either", () => {
      const { sent } = flap({ maxRepliesPerOption: 5 }, 99, "DO", "DONT");
      expect(sent).toEqual(Array.from({ length: 5 }, () => ["WONT", 99]));
    });

    it("still lets our own requests complete after the budget is spent", () => {
      const { negotiator, sent } = flap({ maxRepliesPerOption: 2 }, O.NAWS, "WILL", "WONT");
      sent.length = 0;
      negotiator.request("local", O.NAWS, true);
      expect(sent).toEqual([["WILL", O.NAWS]]);
      negotiator.receive("DO", O.NAWS);
      expect(negotiator.isEnabled("local", O.NAWS)).toBe(true);
    });
  });

  it("only passes subnegotiations for options in effect to their module", () => {
    const received: number[][] = [];
    const module: OptionModule = {
      option: O.NAWS,
      acceptLocal: false,
      acceptRemote: true,
      onSubnegotiation: (data) => received.push(Array.from(data)),
    };
    const { negotiator } = harness([module]);
    expect(negotiator.subnegotiation(O.NAWS, Uint8Array.of(0, 80, 0, 24))).toBe(false);
    expect(negotiator.subnegotiation(99, Uint8Array.of(1))).toBe(false);
    negotiator.receive("WILL", O.NAWS);
    expect(negotiator.subnegotiation(O.NAWS, Uint8Array.of(0, 80, 0, 24))).toBe(true);
    expect(received).toEqual([[0, 80, 0, 24]]);
  });

  it("rejects two modules for one option", () => {
    expect(() => harness([new RecordingModule(O.SGA, true, true), new RecordingModule(O.SGA, true, true)])).toThrow();
  });

  it("property: two Q-method ends always settle in agreement, whatever they ask and however messages cross", () => {
    const options = [O.ECHO, O.SGA, O.NAWS] as const;
    const action = fc.oneof(
      fc.record({
        kind: fc.constant("request" as const),
        end: fc.constantFrom("a" as const, "b" as const),
        side: fc.constantFrom("local" as const, "remote" as const),
        option: fc.constantFrom(...options),
        enabled: fc.boolean(),
      }),
      fc.record({ kind: fc.constant("deliver" as const), to: fc.constantFrom("a" as const, "b" as const) }),
    );
    const policies = fc.array(fc.boolean(), { minLength: 12, maxLength: 12 });
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), policies, (actions, accept) => {
        const modules = (offset: number) =>
          options.map((option, i) => new RecordingModule(option, accept[offset + i * 2]!, accept[offset + i * 2 + 1]!));
        const unbounded = { maxRepliesPerOption: Number.MAX_SAFE_INTEGER };
        const ends = { a: harness(modules(0), unbounded), b: harness(modules(6), unbounded) };
        // In-order delivery, as over TCP: `inbox.a` holds what b sent to a.
        const inbox = { a: [] as Sent[], b: [] as Sent[] };
        const pump = () => {
          inbox.b.push(...ends.a.sent.splice(0));
          inbox.a.push(...ends.b.sent.splice(0));
        };
        const deliver = (to: "a" | "b") => {
          const message = inbox[to].shift();
          if (message !== undefined) ends[to].negotiator.receive(message[0], message[1]);
          pump();
        };
        for (const step of actions) {
          if (step.kind === "request") ends[step.end].negotiator.request(step.side, step.option, step.enabled);
          else deliver(step.to);
          pump();
        }
        let rounds = 0;
        while (inbox.a.length > 0 || inbox.b.length > 0) {
          deliver("a");
          deliver("b");
          rounds += 1;
          expect(rounds).toBeLessThan(200);
        }
        for (const option of options) {
          const { a, b } = ends;
          expect(a.negotiator.isEnabled("local", option)).toBe(b.negotiator.isEnabled("remote", option));
          expect(a.negotiator.isEnabled("remote", option)).toBe(b.negotiator.isEnabled("local", option));
          for (const end of [a, b]) {
            for (const s of ["local", "remote"] as const) {
              expect(["no", "yes"]).toContain(end.negotiator.state(s, option).state);
            }
          }
        }
      }),
      { seed: FC_SEED, numRuns: 400 },
    );
  });
});

describe("OptionNegotiator's compact state (issue 11 target 3)", () => {
  it("keeps every option's two sides and reply count apart, for all 256 options", () => {
    const { negotiator, sent } = harness([new RecordingModule(O.NAWS, true, true), new RecordingModule(O.ECHO, true, true)], { maxRepliesPerOption: 2 });
    for (let option = 0; option < 256; option++) negotiator.receive("WILL", option);
    negotiator.request("local", O.ECHO, true);
    expect(negotiator.state("remote", O.NAWS)).toEqual(side("yes"));
    expect(negotiator.state("local", O.ECHO)).toEqual(side("want-yes"));
    expect(negotiator.state("remote", O.ECHO)).toEqual(side("yes"));
    expect(negotiator.state("remote", 200)).toEqual(side("no"));
    expect(negotiator.state("local", 200)).toEqual(side("no"));
    // Option 200 was refused once; two more WILLs reach the budget of 2, the fourth is ignored.
    sent.length = 0;
    for (let i = 0; i < 3; i++) negotiator.receive("WILL", 200);
    expect(sent).toEqual([["DONT", 200]]);
  });

  it("tells a module when the peer refuses our request (onRefused), and only then", () => {
    const refusals: Side[] = [];
    const gmcp = new RecordingModule(O.GMCP, true, false);
    const module: OptionModule = Object.assign(gmcp, { onRefused: (s: Side) => refusals.push(s) });
    const { negotiator } = harness([module]);
    negotiator.request("local", O.GMCP, true);
    negotiator.receive("DONT", O.GMCP);
    expect(refusals).toEqual(["local"]);
    // A DONT while off, a DO then a DONT (a change of effect), a refused WILL: no more refusals.
    negotiator.receive("DONT", O.GMCP);
    negotiator.receive("DO", O.GMCP);
    negotiator.receive("DONT", O.GMCP);
    negotiator.receive("WILL", O.GMCP);
    expect(refusals).toEqual(["local"]);
    expect(gmcp.changes).toEqual([["local", true], ["local", false]]);
  });

  it("a module that negotiates again from onChange does not lose either change", () => {
    const sent: Sent[] = [];
    let negotiator: OptionNegotiator | undefined;
    const echo: OptionModule = {
      option: O.ECHO,
      acceptLocal: true,
      acceptRemote: false,
      onChange: (s, on) => {
        if (s === "local" && on) negotiator?.request("remote", O.NAWS, true);
      },
    };
    negotiator = new OptionNegotiator([echo, new RecordingModule(O.NAWS, false, true)], {
      send: (bytes) => sent.push(decode(bytes)),
      protocolError: () => undefined,
    });
    negotiator.receive("DO", O.ECHO);
    expect(negotiator.state("local", O.ECHO)).toEqual(side("yes"));
    expect(negotiator.state("remote", O.NAWS)).toEqual(side("want-yes"));
    expect(sent).toEqual([["WILL", O.ECHO], ["DO", O.NAWS]]);
  });
});
