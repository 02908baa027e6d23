import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, EnvOverrides, loadConfig } from "../../src/config/load-config.js";
import { findProjectRoot } from "../../src/config/project-root.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "loom-config-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Loads with nothing from the real process: no argv, no environment, cwd a temp dir. */
function load(env: Record<string, string> = {}, argv: string[] = []) {
  return loadConfig({ argv, env, cwd: dir });
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The ConfigError message that `fn` throws (fails the test if it does not throw one). */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig defaults", () => {
  it("loads config/default.yaml with every documented default", () => {
    const config = load();
    expect(config.host).toBe("0.0.0.0");
    expect(config.telnet.port).toBe(4000);
    expect(config.line.port).toBe(4001);
    expect(config.http).toEqual({
      port: 8080,
      allowedOrigins: [],
      publicOrigins: [],
      metricsAllow: ["127.0.0.0/8", "::1", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
      serveSourceMaps: false,
      staticCacheFileBytes: 1048576,
      staticCacheTotalBytes: 16777216,
    });
    expect(config.log).toEqual({ level: "info", format: "auto" });
    // Issue 10: TLS is off and nobody is a trusted proxy unless the operator says so.
    expect(config.tls).toEqual({ enabled: false, certFile: "", keyFile: "", telnetPort: 4443, httpPort: 8443 });
    expect(config.proxy).toEqual({ trusted: [], headerTimeoutSeconds: 5 });
    expect(config.limits).toEqual({
      maxLineBytes: 2048,
      maxInputBufferBytes: 16384,
      inputLinesPerTurn: 32,
      inputBytesPerTurn: 65536,
      maxOutputBytes: 1048576,
      chatterBacklogFraction: 0.25,
      outputPacingMs: 50,
      tellsPerSecond: 2,
      tellBurst: 10,
      channelPostsPerSecond: 1,
      channelBurst: 5,
      crowdThreshold: 50,
      maxWebSocketPayload: 65536,
      maxSubnegotiationBytes: 8192,
      telnetKeepaliveSeconds: 60,
      loginTimeoutSeconds: 60,
      idleTimeoutSeconds: 0,
      idleWarningSeconds: 60,
      commandsPerSecond: 20,
      commandBurst: 40,
      maxConnectionsPerAddress: 10,
      maxConnections: "auto",
      newConnectionsPerSecond: 2,
      newConnectionBurst: 20,
      refusalLingerSeconds: 1,
      maxPipelinedRequests: 8,
      webSocketCloseTimeoutSeconds: 2,
    });
    expect(config.shutdown.graceSeconds).toBe(10);
    expect(config.accounts).toEqual({
      hashConcurrency: 2,
      maxQueuedHashesPerAddress: 4,
      maxQueuedHashes: 200,
      failedLoginsPerMinute: 5,
      failedLoginsPerAddressPerMinute: 20,
      accountFreeAttempts: 10,
      accountBackoffMaxSeconds: 300,
      creationsPerHour: 5,
      resumeTokenSeconds: 86400,
      maxResumeTokensPerPlayer: 5,
    });
  });

  it("resolves dataDir and worldDir against cwd", () => {
    const config = load();
    expect(config.dataDir).toBe(join(dir, "data"));
    expect(config.worldDir).toBe(join(dir, "config", "world"));
    expect(loadConfig({ argv: [], env: { LOOM_DATA_DIR: "/srv/loom" }, cwd: dir }).dataDir).toBe("/srv/loom");
  });

  it("returns a deeply frozen object", () => {
    const config = load();
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.limits)).toBe(true);
    expect(Object.isFrozen(config.http.allowedOrigins)).toBe(true);
    expect(() => {
      (config.telnet as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it("finds the project root from the module's own location", () => {
    const root = findProjectRoot();
    expect(root).toBe(findProjectRoot(new URL("../../package.json", import.meta.url).href));
    // From a path shaped like tsc's output, dist/src/config/, it still lands on the root.
    expect(findProjectRoot(pathToFileURL(join(root, "dist", "src", "config", "load-config.js")).href)).toBe(root);
  });
});

describe("environment overrides", () => {
  const cases: [string, string, (c: ReturnType<typeof load>) => unknown, unknown][] = [
    ["LOOM_TELNET_PORT", "5000", (c) => c.telnet.port, 5000],
    ["LOOM_LINE_PORT", "5001", (c) => c.line.port, 5001],
    ["LOOM_HTTP_PORT", "0", (c) => c.http.port, 0],
    ["LOOM_HOST", "127.0.0.1", (c) => c.host, "127.0.0.1"],
    ["LOOM_DATA_DIR", "state", (c) => c.dataDir, "<dir>/state"],
    ["LOOM_LOG_LEVEL", "debug", (c) => c.log.level, "debug"],
    ["LOOM_LOG_FORMAT", "pretty", (c) => c.log.format, "pretty"],
    ["LOOM_TLS_CERT", "cert.pem", (c) => c.tls.certFile, "<dir>/cert.pem"],
    ["LOOM_TLS_KEY", "/etc/loom/key.pem", (c) => c.tls.keyFile, "/etc/loom/key.pem"],
    ["LOOM_TELNET_TLS_PORT", "4993", (c) => c.tls.telnetPort, 4993],
    ["LOOM_HTTPS_PORT", "443", (c) => c.tls.httpPort, 443],
  ];
  it.each(cases)("%s=%s overrides its key", (name, value, pick, expected) => {
    const actual = pick(load({ [name]: value }));
    expect(actual).toBe(typeof expected === "string" ? expected.replace("<dir>", dir) : expected);
  });

  it("covers every variable in the user contract", () => {
    expect(EnvOverrides.map((e) => e.name).sort()).toEqual(cases.map(([name]) => name).sort());
  });

  it("accepts port 0 (pick a free port) on every door", () => {
    const config = load({ LOOM_TELNET_PORT: "0", LOOM_LINE_PORT: "0", LOOM_HTTP_PORT: "0" });
    expect([config.telnet.port, config.line.port, config.http.port]).toEqual([0, 0, 0]);
  });

  it("wins over the --config file", () => {
    const custom = file("custom.yaml", "telnet: { port: 6000 }\n");
    expect(load({ LOOM_TELNET_PORT: "7000" }, ["--config", custom]).telnet.port).toBe(7000);
  });
});

describe("config files", () => {
  it("--config merges over the defaults, key by key", () => {
    const custom = file("custom.yaml", "http:\n  allowedOrigins: [https://play.example.com]\nlimits:\n  maxConnections: 100\n");
    const config = load({}, ["--config", custom]);
    expect(config.http).toMatchObject({ port: 8080, allowedOrigins: ["https://play.example.com"], publicOrigins: [] });
    expect(config.limits.maxConnections).toBe(100);
    expect(config.limits.maxConnectionsPerAddress).toBe(10);
  });

  it("accepts -c, --config=path and a path relative to cwd", () => {
    file("a.yaml", "line: { port: 1111 }\n");
    expect(load({}, ["-c", "a.yaml"]).line.port).toBe(1111);
    expect(load({}, ["--config=a.yaml"]).line.port).toBe(1111);
  });

  it("LOOM_CONFIG names the file when --config does not", () => {
    file("env.yaml", "line: { port: 2222 }\n");
    file("arg.yaml", "line: { port: 3333 }\n");
    expect(load({ LOOM_CONFIG: "env.yaml" }).line.port).toBe(2222);
    expect(load({ LOOM_CONFIG: "env.yaml" }, ["--config", "arg.yaml"]).line.port).toBe(3333);
  });

  it("an empty file changes nothing", () => {
    file("empty.yaml", "# nothing here\n");
    expect(load({}, ["--config", "empty.yaml"]).telnet.port).toBe(4000);
  });

  it("options.overrides apply last", () => {
    const config = loadConfig({ argv: [], env: { LOOM_LINE_PORT: "9" }, cwd: dir, overrides: { line: { port: 0 }, limits: { maxConnections: 3 } } });
    expect(config.line.port).toBe(0);
    expect(config.limits.maxConnections).toBe(3);
  });

  it("a missing --config file stops with its name", () => {
    expect(errorOf(() => load({}, ["--config", "nope.yaml"]))).toBe(
      "config: cannot read: no such file (from nope.yaml, named by --config)",
    );
  });

  it("a file that is not a mapping is refused", () => {
    file("list.yaml", "- a\n- b\n");
    expect(errorOf(() => load({}, ["--config", "list.yaml"]))).toMatch(/list\.yaml.*must be a mapping|must be a mapping.*list\.yaml/);
  });

  it("a YAML syntax error names the file and line", () => {
    file("broken.yaml", "telnet:\n  port: 4000\nline: [1, 2\nhttp: {}\n");
    const message = errorOf(() => load({}, ["--config", "broken.yaml"]));
    expect(message).toMatch(/^config: invalid YAML: .+ \(from broken\.yaml, named by --config, line \d+, column \d+\)$/);
  });

  it("duplicate keys in one file are an error", () => {
    file("dup.yaml", "telnet: { port: 1 }\ntelnet: { port: 2 }\n");
    expect(errorOf(() => load({}, ["--config", "dup.yaml"]))).toBe(
      "config: invalid YAML: Map keys must be unique (from dup.yaml, named by --config, line 2, column 1)",
    );
  });

  it("refuses a YAML alias bomb (billion laughs) with a clear message", () => {
    const levels = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < levels.length; i++) {
      const prev = levels[i - 1];
      lines.push(`${levels[i]}: &${levels[i]} [${Array(9).fill(`*${prev}`).join(",")}]`);
    }
    file("bomb.yaml", lines.join("\n") + "\n");
    const started = performance.now();
    const message = errorOf(() => load({}, ["--config", "bomb.yaml"]));
    expect(message).toMatch(/alias bomb/);
    expect(message).toContain("bomb.yaml");
    // Refused before expansion: 9^9 nodes would take far longer (and gigabytes).
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("allows a few ordinary aliases", () => {
    file("alias.yaml", "telnet: &p { port: 0 }\nline: *p\n");
    const config = load({}, ["--config", "alias.yaml"]);
    expect([config.telnet.port, config.line.port]).toEqual([0, 0]);
  });
});

describe("bad values stop boot with the key and the source", () => {
  it("a non-numeric port from the environment", () => {
    expect(errorOf(() => load({ LOOM_TELNET_PORT: "abc" }))).toBe(
      'config: telnet.port: must be an integer from 0 to 65535 (from LOOM_TELNET_PORT="abc")',
    );
  });

  it.each(["", " ", "-1", "65536", "80.5", "0x50", "4000abc"])("LOOM_LINE_PORT=%j is refused", (value) => {
    expect(errorOf(() => load({ LOOM_LINE_PORT: value }))).toBe(
      `config: line.port: must be an integer from 0 to 65535 (from LOOM_LINE_PORT=${JSON.stringify(value)})`,
    );
  });

  it("an unknown log level lists the levels", () => {
    expect(errorOf(() => load({ LOOM_LOG_LEVEL: "loud" }))).toBe(
      'config: log.level: must be one of fatal, error, warn, info, debug, trace, silent (from LOOM_LOG_LEVEL="loud")',
    );
  });

  it("an unknown log format lists the formats", () => {
    expect(errorOf(() => load({ LOOM_LOG_FORMAT: "fancy" }))).toBe(
      'config: log.format: must be one of auto, json, pretty (from LOOM_LOG_FORMAT="fancy")',
    );
  });

  it("an empty host", () => {
    expect(errorOf(() => load({ LOOM_HOST: "" }))).toMatch(/^config: host: must be a host name or address \(from LOOM_HOST=""\)$/);
  });

  it("a bad value in a file names the file and line", () => {
    file("custom.yaml", "limits:\n  maxLineBytes: 2048\n  maxConnections: -5\n");
    expect(errorOf(() => load({}, ["--config", "custom.yaml"]))).toBe(
      "config: limits.maxConnections: must be an integer from 1 to 1000000 (from custom.yaml, named by --config, line 3)",
    );
  });

  it('F5: limits.maxConnections takes "auto" or a number, nothing else (issue 11)', () => {
    file("number.yaml", "limits: { maxConnections: 1000000 }\n");
    expect(load({}, ["--config", "number.yaml"]).limits.maxConnections).toBe(1_000_000);
    file("auto.yaml", "limits: { maxConnections: auto }\n");
    expect(load({}, ["--config", "auto.yaml"]).limits.maxConnections).toBe("auto");
    file("over.yaml", "limits: { maxConnections: 1000001 }\n");
    expect(errorOf(() => load({}, ["--config", "over.yaml"]))).toMatch(/^config: limits\.maxConnections: must be an integer from 1 to 1000000 \(from over\.yaml/);
    file("word.yaml", "limits: { maxConnections: lots }\n");
    expect(errorOf(() => load({}, ["--config", "word.yaml"]))).toMatch(/^config: limits\.maxConnections: must be "auto" or an integer from 1 to 1000000 \(from word\.yaml/);
  });

  it("a wrong type in a file", () => {
    file("custom.yaml", "http:\n  allowedOrigins: https://example.com\n");
    expect(errorOf(() => load({}, ["--config", "custom.yaml"]))).toMatch(/^config: http\.allowedOrigins: must be a list of origins \(from custom\.yaml/);
  });

  it("an origin with a path", () => {
    file("custom.yaml", "http:\n  allowedOrigins: [https://example.com/play]\n");
    expect(errorOf(() => load({}, ["--config", "custom.yaml"]))).toMatch(/^config: http\.allowedOrigins\[0\]: must be an origin/);
  });

  it("W6: a trusted proxy given by name, or no time for its header", () => {
    file("custom.yaml", "proxy:\n  trusted: [lb.example.com]\n  headerTimeoutSeconds: 0\n");
    const message = errorOf(() => load({}, ["--config", "custom.yaml"]));
    expect(message).toMatch(/config: proxy\.trusted\[0\]: must be an IP address or CIDR range/);
    expect(message).toMatch(/config: proxy\.headerTimeoutSeconds: must be a number of seconds above 0/);
  });

  it("limits that contradict each other", () => {
    file("custom.yaml", "limits: { maxLineBytes: 65536 }\n");
    expect(errorOf(() => load({}, ["--config", "custom.yaml"]))).toMatch(
      /^config: limits\.maxLineBytes: must not exceed limits\.maxInputBufferBytes \(16384\).*\(from custom\.yaml/,
    );
  });

  it("an idle warning no shorter than the idle timeout (F8); 0 turns either off", () => {
    file("custom.yaml", "limits: { idleTimeoutSeconds: 60 }\n");
    expect(errorOf(() => load({}, ["--config", "custom.yaml"]))).toMatch(
      /^config: limits\.idleWarningSeconds: must be less than limits\.idleTimeoutSeconds \(60\), or 0 for no warning/,
    );
    file("custom.yaml", "limits: { idleTimeoutSeconds: 61 }\n");
    expect(load({}, ["--config", "custom.yaml"]).limits).toMatchObject({ idleTimeoutSeconds: 61, idleWarningSeconds: 60 });
    file("custom.yaml", "limits: { idleTimeoutSeconds: 60, idleWarningSeconds: 0 }\n");
    expect(load({}, ["--config", "custom.yaml"]).limits).toMatchObject({ idleTimeoutSeconds: 60, idleWarningSeconds: 0 });
    file("custom.yaml", "limits: { idleTimeoutSeconds: -1 }\n");
    expect(errorOf(() => load({}, ["--config", "custom.yaml"]))).toMatch(/^config: limits\.idleTimeoutSeconds: must be an integer from 0 to 604800/);
  });

  it("a zero or negative time", () => {
    file("custom.yaml", "shutdown: { graceSeconds: 0 }\n");
    expect(errorOf(() => load({}, ["--config", "custom.yaml"]))).toMatch(/^config: shutdown\.graceSeconds: must be a number of seconds above 0/);
  });

  it("reports every bad value at once, one per line", () => {
    const message = errorOf(() => load({ LOOM_TELNET_PORT: "x", LOOM_HTTP_PORT: "99999" }));
    expect(message.split("\n")).toHaveLength(2);
    expect(message).toContain("telnet.port");
    expect(message).toContain("http.port");
    expect(message).toContain('LOOM_HTTP_PORT="99999"');
  });

  it("an unknown key is rejected with its full path", () => {
    file("custom.yaml", "telnet:\n  port: 4000\n  prot: 4001\n");
    expect(errorOf(() => load({}, ["--config", "custom.yaml"]))).toBe(
      "config: telnet.prot: unknown key (from custom.yaml, named by --config, line 3)",
    );
  });

  it("an unknown top-level key, and __proto__, are rejected", () => {
    file("custom.yaml", "colour: true\n__proto__: { polluted: true }\n");
    const message = errorOf(() => load({}, ["--config", "custom.yaml"]));
    expect(message).toContain("config: colour: unknown key");
    expect(message).toContain("config: __proto__: unknown key");
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("an unknown command-line option", () => {
    expect(errorOf(() => load({}, ["--conifg", "x.yaml"]))).toMatch(/^config: .*--conifg.* \(from command line\)$/);
  });

  it("a defaults file missing a key says it is required", () => {
    const defaults = file("defaults.yaml", "host: 0.0.0.0\n");
    const message = errorOf(() => loadConfig({ argv: [], env: {}, cwd: dir, defaultsPath: defaults }));
    expect(message).toContain("config: telnet: is required");
  });
});
