/**
 * `limits.maxConnections: auto` (hardening F5, issue 11): the cap follows the soft file limit
 * read from /proc/self/limits, less headroom, and falls back to 5,000 (saying so) when the
 * limit is missing, unreadable or unlimited. Sample texts, no real /proc.
 */
import { describe, expect, it } from "vitest";
import { connectionCap, FALLBACK_MAX_CONNECTIONS, fileHeadroom, softFileLimit } from "../../src/reactor/connection-cap.js";

/** A /proc/self/limits as Linux writes it, with the given soft and hard "Max open files". */
function limitsText(soft: string, hard: string): string {
  return [
    "Limit                     Soft Limit           Hard Limit           Units     ",
    "Max cpu time              unlimited            unlimited            seconds   ",
    "Max processes             96364                96364                processes ",
    `Max open files            ${soft.padEnd(21)}${hard.padEnd(21)}files     `,
    "Max locked memory         8388608              8388608              bytes     ",
    "",
  ].join("\n");
}

describe("softFileLimit", () => {
  it("reads the soft column, not the hard one", () => {
    expect(softFileLimit(limitsText("20000", "20000"))).toBe(20_000);
    expect(softFileLimit(limitsText("1024", "1048576"))).toBe(1024);
  });

  it("unlimited, a missing line, garbage", () => {
    expect(softFileLimit(limitsText("unlimited", "unlimited"))).toBe("unlimited");
    expect(softFileLimit("Limit Soft Limit Hard Limit Units\nMax processes 10 10 processes\n")).toBeUndefined();
    expect(softFileLimit("")).toBeUndefined();
    expect(softFileLimit(limitsText("-1", "5"))).toBeUndefined();
    expect(softFileLimit(limitsText("0", "5"))).toBeUndefined();
  });
});

describe("fileHeadroom", () => {
  it("5%, at least 256, at most half the limit", () => {
    expect(fileHeadroom(20_000)).toBe(1000);
    expect(fileHeadroom(1024)).toBe(256);
    expect(fileHeadroom(65_536)).toBe(3277);
    expect(fileHeadroom(300)).toBe(150);
    expect(fileHeadroom(1)).toBe(0);
  });
});

describe("connectionCap", () => {
  it("auto on this kind of machine (soft 20,000): 19,000 from the file limit", () => {
    const cap = connectionCap("auto", limitsText("20000", "20000"));
    expect(cap).toMatchObject({ max: 19_000, source: "file-limit", fileLimit: 20_000, warning: undefined });
    expect(cap.reason).toBe("auto: soft RLIMIT_NOFILE 20000 less 1000 for the database, listeners, logs and threads");
  });

  it("auto under the compose ulimit (65,536) and a common 1,024", () => {
    expect(connectionCap("auto", limitsText("65536", "65536")).max).toBe(62_259);
    expect(connectionCap("auto", limitsText("1024", "1048576")).max).toBe(768);
  });

  it("auto never goes past the schema's maximum, nor below 1", () => {
    expect(connectionCap("auto", limitsText("1073741816", "1073741816")).max).toBe(1_000_000);
    expect(connectionCap("auto", limitsText("1", "1")).max).toBe(1);
  });

  it("auto with an unlimited file limit falls back to 5,000 and says so", () => {
    const cap = connectionCap("auto", limitsText("unlimited", "unlimited"));
    expect(cap).toMatchObject({ max: FALLBACK_MAX_CONNECTIONS, source: "fallback", fileLimit: "unlimited" });
    expect(cap.warning).toMatch(/unlimited: using 5000/);
  });

  it("auto without /proc/self/limits (not Linux) or without its line falls back to 5,000 and says so", () => {
    const missing = connectionCap("auto", undefined);
    expect(missing).toMatchObject({ max: 5000, source: "fallback", fileLimit: undefined });
    expect(missing.warning).toMatch(/could not be read/);
    const garbled = connectionCap("auto", "Limit Soft Limit\n");
    expect(garbled).toMatchObject({ max: 5000, source: "fallback" });
    expect(garbled.warning).toMatch(/no readable Max open files/);
  });

  it("a number is the operator's: kept, with a warning only when the file limit runs out first", () => {
    expect(connectionCap(5000, limitsText("20000", "20000"))).toMatchObject({ max: 5000, source: "config", warning: undefined });
    // At the limit less headroom: fine; one past it: warned, still kept.
    expect(connectionCap(19_000, limitsText("20000", "20000")).warning).toBeUndefined();
    const over = connectionCap(19_001, limitsText("20000", "20000"));
    expect(over).toMatchObject({ max: 19_001, source: "config" });
    expect(over.warning).toMatch(/above what the file limit \(20000\) leaves after headroom \(19000\)/);
    expect(connectionCap(50_000, undefined)).toMatchObject({ max: 50_000, source: "config", warning: undefined });
  });
});
