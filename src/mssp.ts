/**
 * What Loom tells MUD listings about itself over MSSP (docs/telnet.md, "MSSP"): the operator's
 * words from the `mssp:` config section, the facts Loom knows about itself (codebase, family,
 * protocols), and live values read at the moment of each report (players online, rooms, the
 * telnet port bound). The wire forms are protocols/telnet/mssp.ts; this module only says what.
 *
 * Variable names and meanings are the spec's (tintin.mudhalla.net/protocols/mssp). Of the
 * protocol flags, only ANSI, UTF-8, VT100 and the two XTERM ones are in its current tables; the
 * rest (GMCP, MCCP, MSDP, MSP, MXP, MSSP, MTTS) are reported the same way by other codebases
 * (SMAUG, Evennia), and crawlers keep names they do not know.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { MsspVariable, MsspVariables } from "../protocols/telnet/mssp.js";
import type { Config } from "./config/schema.js";
import type { WorldCensus } from "./world/census.js";

/** The operator's MSSP settings: the validated `mssp:` section of the config. */
export type MsspSettings = Config["mssp"];

/**
 * The live half of a report, read each time one is sent. Implemented in src/server.ts over the
 * world and the listeners; each call is cheap enough to make per report (the census is one
 * pass over the loaded things: src/world/census.ts).
 */
export interface ServerStatus {
  /** Characters in the world now (PLAYERS). */
  playersOnline(): number;
  /** The telnet port actually bound (PORT): with port 0 in the config, the one the kernel chose. */
  telnetPort(): number;
  /** The live world's counts. */
  census(): WorldCensus;
}

/** What does not change while the server runs. */
export interface ServerFacts {
  /** CODEBASE: `Loom <version>`, from {@link readCodebase}. */
  readonly codebase: string;
  /** UPTIME: when the server started, in Unix seconds (the spec's "Unix time of the startup"). */
  readonly startedAt: number;
  /** The protocol flags: {@link LOOM_PROTOCOLS}, less what this server's config turned off (MCCP). */
  readonly protocols: MsspProtocols;
}

/**
 * The protocols Loom's telnet door speaks, as MSSP reports them (1 or 0), with the default
 * config. test/integration/mssp.test.ts checks each telnet option in a running server's report
 * against that server's negotiation in both directions: a 1 the door refuses, or a 0 it
 * accepts, fails, so this list cannot drift from what negotiation really does.
 */
export const LOOM_PROTOCOLS = {
  /** ANSI colour (16 colours); the telnet door renders it. */
  ANSI: true,
  /** Output is UTF-8. */
  "UTF-8": true,
  /** No cursor addressing or screen layout. */
  VT100: false,
  "XTERM 256 COLORS": true,
  "XTERM TRUE COLORS": true,
  GMCP: true,
  /** MCCP2 (option 86); the spec's variable is plain `MCCP`. */
  MCCP: true,
  MSDP: false,
  MSP: false,
  MXP: false,
  MSSP: true,
  /** Terminal type cycling with the MTTS bitvector (ttype.ts). */
  MTTS: true,
} as const satisfies Record<string, boolean>;

/** The protocol flags MSSP sends, by MSSP variable name. */
export type MsspProtocols = { readonly [Name in keyof typeof LOOM_PROTOCOLS]: boolean };

/** FAMILY: Loom descends from no established codebase family. */
const FAMILY = "Custom";

/**
 * Every variable name Loom itself fills in, operator's or live. `mssp.extra` in the config may
 * add others but not these: the two sources would contradict each other on the wire.
 */
export const LOOM_MSSP_NAMES: ReadonlySet<string> = new Set([
  "NAME",
  "PLAYERS",
  "UPTIME",
  "CODEBASE",
  "CONTACT",
  "CRAWL DELAY",
  "CREATED",
  "DISCORD",
  "HOSTNAME",
  "ICON",
  "LANGUAGE",
  "LOCATION",
  "MINIMUM AGE",
  "PORT",
  "WEBSITE",
  "FAMILY",
  "GENRE",
  "SUBGENRE",
  "GAMEPLAY",
  "GAMESYSTEM",
  "STATUS",
  "AREAS",
  "ROOMS",
  "OBJECTS",
  "MOBILES",
  "CHARSET",
  ...Object.keys(LOOM_PROTOCOLS),
]);

/**
 * The report, in the spec's order: required, generic, categorisation, world, protocols, then the
 * operator's extras. Optional text the operator left empty is not sent at all.
 */
export function msspVariables(settings: MsspSettings, facts: ServerFacts, status: ServerStatus): MsspVariables {
  const census = status.census();
  const out: MsspVariable[] = [];
  const add = (name: string, value: string | readonly string[]): void => {
    out.push([name, value]);
  };
  const optional = (name: string, value: string | number): void => {
    if (value !== "") add(name, String(value));
  };
  // Required.
  add("NAME", settings.name);
  add("PLAYERS", String(status.playersOnline()));
  add("UPTIME", String(facts.startedAt));
  // Generic.
  add("CODEBASE", facts.codebase);
  optional("CONTACT", settings.contact);
  add("CRAWL DELAY", String(settings.crawlDelay));
  optional("CREATED", settings.created);
  optional("DISCORD", settings.discord);
  optional("HOSTNAME", settings.hostname);
  optional("ICON", settings.icon);
  optional("LANGUAGE", settings.language);
  optional("LOCATION", settings.location);
  optional("MINIMUM AGE", settings.minimumAge);
  add("PORT", String(status.telnetPort()));
  optional("WEBSITE", settings.website);
  // Categorisation.
  add("FAMILY", FAMILY);
  optional("GENRE", settings.genre);
  optional("SUBGENRE", settings.subgenre);
  if (settings.gameplay.length > 0) add("GAMEPLAY", settings.gameplay);
  optional("GAMESYSTEM", settings.gamesystem);
  add("STATUS", settings.status);
  // World.
  add("AREAS", String(census.areas));
  add("ROOMS", String(census.rooms));
  add("OBJECTS", String(census.objects));
  add("MOBILES", String(census.mobiles));
  // Protocols.
  // UTF-8, or ASCII by transliteration for a client that refuses it (CHARSET, docs/telnet.md);
  // the spec lists the preferred one last.
  add("CHARSET", ["ASCII", "UTF-8"]);
  for (const [name, on] of Object.entries(facts.protocols)) add(name, on ? "1" : "0");
  // The operator's own (PAY TO PLAY, HIRING BUILDERS...), in the order written.
  for (const [name, value] of Object.entries(settings.extra)) {
    add(name, typeof value === "boolean" ? (value ? "1" : "0") : typeof value === "number" ? String(value) : value);
  }
  return out;
}

/**
 * CODEBASE for the Loom in `projectRoot`: `Loom <version>` from its package.json. Read once at
 * boot by the caller, never at import time.
 */
export function readCodebase(projectRoot: string): string {
  const manifest: unknown = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8"));
  const version =
    typeof manifest === "object" && manifest !== null && "version" in manifest && typeof manifest.version === "string"
      ? manifest.version
      : "unknown";
  return `Loom ${version}`;
}
