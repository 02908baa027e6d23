/**
 * Issue 10, "defaults once": every operator setting under `limits` and `accounts` has its
 * default written in config/default.yaml and nowhere else. Code takes the configured value as a
 * required option; a fallback such as `maxLineBytes ?? 2048`, a default-options object
 * `{ maxLineBytes: 2048 }` or a constant `DEFAULT_MAX_LINE_BYTES = 2048` repeats the default,
 * and the two drift apart the day someone changes one of them.
 *
 * A simple, honest check over the text of every source file under src/ and protocols/: for
 * each setting (and the names its option goes by in code, with the unit they are in), it looks
 * for a literal fallback of any number, and for an options entry or a constant holding the
 * default value itself. Numbers that are not settings (a table's 10,000-key cap) are left alone.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findProjectRoot } from "../../src/config/project-root.js";
import { defaultConfig } from "../support/default-config.js";

const root = findProjectRoot();

/** What an option is called in code when not by its setting's name, and the factor of its unit. */
const ALIASES: Readonly<Record<string, readonly { readonly name: string; readonly scale?: number }[]>> = {
  maxInputBufferBytes: [{ name: "maxBufferBytes" }],
  maxWebSocketPayload: [{ name: "maxPayload" }],
  telnetKeepaliveSeconds: [{ name: "keepaliveSeconds" }],
  webSocketCloseTimeoutSeconds: [{ name: "closeTimeoutMs", scale: 1000 }],
  refusalLingerSeconds: [{ name: "refusalLingerMs", scale: 1000 }],
  inputLinesPerTurn: [{ name: "linesPerTurn" }],
  inputBytesPerTurn: [{ name: "bytesPerTurn" }],
  tellsPerSecond: [{ name: "perSecond" }],
  tellBurst: [{ name: "burst" }],
  channelPostsPerSecond: [{ name: "postsPerSecond" }, { name: "perSecond" }],
  channelBurst: [{ name: "burst" }],
  commandsPerSecond: [{ name: "perSecond" }],
  commandBurst: [{ name: "burst" }],
  newConnectionsPerSecond: [{ name: "perSecond" }],
  newConnectionBurst: [{ name: "burst" }],
  hashConcurrency: [{ name: "maxConcurrent" }],
  maxQueuedHashes: [{ name: "maxQueued" }],
  maxQueuedHashesPerAddress: [{ name: "maxQueuedPerOwner" }],
  accountFreeAttempts: [{ name: "freeAttempts" }],
  accountBackoffMaxSeconds: [{ name: "maxDelayMs", scale: 1000 }],
  failedLoginsPerMinute: [{ name: "maxAttempts" }],
  creationsPerHour: [{ name: "maxAttempts" }],
  resumeTokenSeconds: [{ name: "lifetimeSeconds" }],
  maxResumeTokensPerPlayer: [{ name: "maxPerPlayer" }],
};

/** Every .ts file under `dir`, recursively. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** A numeric literal as code writes it: `2048`, `16_384`, `1 << 20`, `30 * 1000`. */
const NUMBER = String.raw`(-?[\d_.]+(?:\s*(?:<<|\*)\s*[\d_.]+)?)`;

/** The value of a literal matched by {@link NUMBER}. */
function valueOf(text: string): number {
  const [a, op, b] = text.replaceAll("_", "").split(/\s*(<<|\*)\s*/);
  if (op === undefined || b === undefined) return Number(a);
  return op === "<<" ? Number(a) * 2 ** Number(b) : Number(a) * Number(b);
}

/** `maxLineBytes` -> `MAX_LINE_BYTES`. */
function screaming(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly setting: string;
}

/** Every place a file repeats the default of `setting` (value `value`), by its name or an alias. */
function repeats(file: string, text: string, setting: string, value: number): Finding[] {
  const found: Finding[] = [];
  const names = [{ name: setting, scale: 1 }, ...(ALIASES[setting] ?? []).map((a) => ({ name: a.name, scale: a.scale ?? 1 }))];
  for (const { name, scale } of names) {
    const upper = screaming(name);
    if (!text.includes(name) && !text.includes(upper)) continue; // most files name few settings
    const expected = value * scale;
    // A fallback of any literal number: the value belongs in the config, not here.
    const fallback = new RegExp(String.raw`\b${name}\s*\?\?\s*${NUMBER}`);
    // An entry of a default-options object holding the default.
    const entry = new RegExp(String.raw`\b${name}\s*:\s*${NUMBER}\s*[,}]`);
    // A named constant holding the default (DEFAULT_MAX_LINE_BYTES = 2048).
    const constant = new RegExp(String.raw`\bconst\s+\w*${upper}\w*\s*(?::[^=]+)?=\s*${NUMBER}\s*;`);
    text.split("\n").forEach((line, i) => {
      if (/^\s*(\/\/|\*|\/\*\*)/.test(line)) return; // comments may name the default
      const hit = (why: string): void => void found.push({ file: path.relative(root, file), line: i + 1, text: line.trim(), setting: `${setting} (${why})` });
      if (fallback.test(line)) hit(`${name} ?? <number>`);
      const inEntry = entry.exec(line)?.[1];
      if (inEntry !== undefined && valueOf(inEntry) === expected) hit(`${name}: ${expected}`);
      const inConstant = constant.exec(line)?.[1];
      if (inConstant !== undefined && valueOf(inConstant) === expected) hit(`constant = ${expected}`);
    });
  }
  return found;
}

describe("issue 10: the defaults of limits and accounts are written once, in config/default.yaml", () => {
  const settings = { ...defaultConfig.limits, ...defaultConfig.accounts };
  const files = [...sources(path.join(root, "src")), ...sources(path.join(root, "protocols"))];

  it("reads the settings and the sources it checks", () => {
    expect(Object.keys(settings).length).toBeGreaterThan(30);
    expect(files.length).toBeGreaterThan(100);
  });

  it("no source file under src/ or protocols/ repeats one as a fallback, a default-options entry or a constant", () => {
    const findings: Finding[] = [];
    for (const file of files) {
      const text = fs.readFileSync(file, "utf8");
      // Only numbers can be repeated as a literal (`maxConnections: auto` has no number to repeat).
      for (const [setting, value] of Object.entries(settings)) if (typeof value === "number") findings.push(...repeats(file, text, setting, value));
    }
    // One entry per line: a generic option name (`burst`) stands for several settings.
    const byLine = new Map<string, Set<string>>();
    for (const f of findings) {
      const where = `${f.file}:${f.line}: ${f.text}`;
      byLine.set(where, (byLine.get(where) ?? new Set()).add(f.setting));
    }
    expect([...byLine].map(([where, names]) => `${where}  <- ${[...names].join(", ")}`)).toEqual([]);
  });

  it("would catch each form it looks for", () => {
    const sample = [
      "const max = options.maxLineBytes ?? 2048;",
      "export const DEFAULT_MAX_LINE_BYTES = 2048;",
      "const defaults = { maxBufferBytes: 16_384, other: 1 };",
      "const out = { maxOutputBytes: 1 << 20 };",
      "// maxLineBytes ?? 2048 in a comment is fine",
      "const fine = { maxLineBytes: limits.maxLineBytes };",
    ].join("\n");
    const found = [
      ...repeats("sample.ts", sample, "maxLineBytes", 2048),
      ...repeats("sample.ts", sample, "maxInputBufferBytes", 16384),
      ...repeats("sample.ts", sample, "maxOutputBytes", 1048576),
    ];
    expect(found.map((f) => f.line)).toEqual([1, 2, 3, 4]);
  });
});
