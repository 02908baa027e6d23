/**
 * What Loom reports over MSSP (src/mssp.ts): the operator's `mssp:` settings with their defaults
 * and checks, Loom's own facts, and live values read at the moment of the report.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config/load-config.js";
import { findProjectRoot } from "../src/config/project-root.js";
import { LOOM_MSSP_NAMES, LOOM_PROTOCOLS, msspVariables, readCodebase, type ServerFacts, type ServerStatus } from "../src/mssp.js";
import { terminalRenderers } from "../src/session/render.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "loom-mssp-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Loads the defaults, with `yaml` (if any) as the operator's file. */
function load(yaml?: string) {
  if (yaml === undefined) return loadConfig({ argv: [], env: {}, cwd: dir });
  writeFileSync(join(dir, "loom.yaml"), yaml);
  return loadConfig({ argv: ["--config", "loom.yaml"], env: {}, cwd: dir });
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error("expected a ConfigError");
}

const facts: ServerFacts = { codebase: "Loom 9.9.9", startedAt: 1_700_000_000, protocols: LOOM_PROTOCOLS };

function status(players = 2): ServerStatus {
  return {
    playersOnline: () => players,
    telnetPort: () => 4000,
    census: () => ({ rooms: 12, areas: 3, objects: 20, mobiles: 4 }),
  };
}

describe("msspVariables", () => {
  it("with the default config: the spec's order, the operator's defaults, Loom's facts, the live values", () => {
    expect(msspVariables(load().mssp, facts, status())).toEqual([
      ["NAME", "Loom"],
      ["PLAYERS", "2"],
      ["UPTIME", "1700000000"],
      ["CODEBASE", "Loom 9.9.9"],
      ["CRAWL DELAY", "-1"],
      ["LANGUAGE", "English"],
      ["PORT", "4000"],
      ["FAMILY", "Custom"],
      ["GENRE", "Fantasy"],
      ["GAMEPLAY", ["Social", "Adventure"]],
      ["GAMESYSTEM", "None"],
      ["STATUS", "Alpha"],
      ["AREAS", "3"],
      ["ROOMS", "12"],
      ["OBJECTS", "20"],
      ["MOBILES", "4"],
      ["CHARSET", ["ASCII", "UTF-8"]],
      ...Object.entries(LOOM_PROTOCOLS).map(([name, on]) => [name, on ? "1" : "0"]),
    ]);
  });

  it("sends the protocol flags it is given: a server with MCCP off says MCCP 0", () => {
    const variables = msspVariables(load().mssp, { ...facts, protocols: { ...LOOM_PROTOCOLS, MCCP: false } }, status());
    expect(variables).toContainEqual(["MCCP", "0"]);
    expect(variables).toContainEqual(["MSSP", "1"]);
  });

  it("claims the colour depths the telnet door can render, and no others", () => {
    // The telnet flags are checked against a running door (test/integration/mssp.test.ts).
    expect(LOOM_PROTOCOLS.ANSI).toBe("ansi" in terminalRenderers);
    expect(LOOM_PROTOCOLS["XTERM 256 COLORS"]).toBe("ansi256" in terminalRenderers);
    expect(LOOM_PROTOCOLS["XTERM TRUE COLORS"]).toBe("truecolor" in terminalRenderers);
  });

  it("reads the live values each time", () => {
    let players = 0;
    const live: ServerStatus = { ...status(), playersOnline: () => players };
    const settings = load().mssp;
    expect(msspVariables(settings, facts, live)).toContainEqual(["PLAYERS", "0"]);
    players = 5;
    expect(msspVariables(settings, facts, live)).toContainEqual(["PLAYERS", "5"]);
  });

  it("sends what the operator set, in its place, and the extras last, in the order written", () => {
    const config = load(
      [
        "mssp:",
        "  name: The Weave",
        "  hostname: mud.example.com",
        "  contact: ops@example.com",
        "  website: https://mud.example.com",
        "  created: 2024",
        "  minimumAge: 13",
        "  crawlDelay: 23",
        "  genre: Historical",
        "  gameplay: [Roleplaying]",
        "  status: Live",
        "  extra:",
        '    "PAY TO PLAY": false',
        '    "HIRING BUILDERS": true',
        "    LEVELS: 0",
        '    INTERMUD: ["Grapevine", "I3"]',
      ].join("\n"),
    );
    const variables = msspVariables(config.mssp, facts, status());
    const names = variables.map(([name]) => name);
    expect(variables).toContainEqual(["NAME", "The Weave"]);
    expect(variables).toContainEqual(["CREATED", "2024"]);
    expect(variables).toContainEqual(["MINIMUM AGE", "13"]);
    expect(variables).toContainEqual(["CRAWL DELAY", "23"]);
    expect(variables).toContainEqual(["GAMEPLAY", ["Roleplaying"]]);
    expect(variables).toContainEqual(["STATUS", "Live"]);
    expect(names.slice(names.indexOf("CODEBASE"), names.indexOf("FAMILY"))).toEqual([
      "CODEBASE",
      "CONTACT",
      "CRAWL DELAY",
      "CREATED",
      "HOSTNAME",
      "LANGUAGE",
      "MINIMUM AGE",
      "PORT",
      "WEBSITE",
    ]);
    expect(variables.slice(-4)).toEqual([
      ["PAY TO PLAY", "0"],
      ["HIRING BUILDERS", "1"],
      ["LEVELS", "0"],
      ["INTERMUD", ["Grapevine", "I3"]],
    ]);
  });

  it("names every variable Loom fills in, so an extra cannot contradict one", () => {
    const sent = msspVariables(load("mssp:\n  subgenre: x\n  discord: x\n  icon: x\n  location: x\n  hostname: x\n  contact: x\n  website: x\n  created: 2000\n  minimumAge: 1\n").mssp, facts, status());
    for (const [name] of sent) expect(LOOM_MSSP_NAMES.has(name), name).toBe(true);
  });
});

describe("the mssp: config section", () => {
  it("refuses control characters, which neither wire form can carry", () => {
    expect(errorOf(() => load('mssp:\n  name: "Lo\\tom"\n'))).toContain("config: mssp.name: must not contain control characters");
  });

  it("refuses an empty name, and text past 256 characters", () => {
    expect(errorOf(() => load('mssp:\n  name: ""\n'))).toContain("config: mssp.name: must not be empty");
    expect(errorOf(() => load(`mssp:\n  website: ${"a".repeat(257)}\n`))).toContain("config: mssp.website: must be at most 256 characters");
    expect(load(`mssp:\n  website: ${"a".repeat(256)}\n`).mssp.website).toHaveLength(256);
  });

  it("refuses a status the spec does not list", () => {
    expect(errorOf(() => load("mssp:\n  status: Beta\n"))).toContain("config: mssp.status: must be one of Alpha, Closed Beta, Open Beta, Live");
  });

  it("refuses an extra that Loom fills in itself, or that is not an MSSP name", () => {
    expect(errorOf(() => load("mssp:\n  extra:\n    PLAYERS: 9999\n"))).toContain("is one Loom fills in itself");
    expect(errorOf(() => load("mssp:\n  extra:\n    pay to play: 0\n"))).toContain("must be an upper-case MSSP variable name");
  });

  it("refuses a year or an age that is not one", () => {
    expect(errorOf(() => load("mssp:\n  created: last year\n"))).toContain("config: mssp.created:");
    expect(errorOf(() => load("mssp:\n  minimumAge: 120\n"))).toContain("config: mssp.minimumAge:");
  });
});

describe("readCodebase", () => {
  it("is Loom and the version in package.json", () => {
    const root = findProjectRoot();
    const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    expect(readCodebase(root)).toBe(`Loom ${version}`);
  });

  it("says unknown when package.json has no version", () => {
    writeFileSync(join(dir, "package.json"), "{}");
    expect(readCodebase(dir)).toBe("Loom unknown");
  });
});
