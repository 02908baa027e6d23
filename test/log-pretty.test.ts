/**
 * Issue 10: readable log lines at a terminal. Records in, exact lines out; then the whole path
 * through pino (redaction first, then the destination).
 */
import type { DestinationStream } from "pino";
import { describe, expect, it } from "vitest";
import { formatLogRecord, PrettyDestination } from "../src/log-pretty.js";
import { createLogger } from "../src/logging.js";

/** 21:40:05.123 on this machine's clock, whatever its time zone: the formatter shows local time. */
const AT = new Date(2026, 10, 27, 21, 40, 5, 123).getTime();
const plain = { colour: false } as const;

function record(level: number, msg: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { level, time: AT, pid: 4242, hostname: "box", ...fields, msg };
}

describe("formatLogRecord", () => {
  it("writes time, level, message, then the other fields as key=value (pid and hostname left out)", () => {
    expect(formatLogRecord(record(30, "telnet listening", { listener: "telnet", host: "0.0.0.0", port: 4000 }), plain)).toBe(
      "21:40:05.123 INFO  telnet listening  listener=telnet host=0.0.0.0 port=4000",
    );
  });

  it("a record with no fields is the time, level and message alone", () => {
    expect(formatLogRecord(record(30, "stopped"), plain)).toBe("21:40:05.123 INFO  stopped");
  });

  it("names every level in one width", () => {
    const lines = [10, 20, 30, 40, 50, 60].map((level) => formatLogRecord(record(level, "m"), plain));
    expect(lines).toEqual([
      "21:40:05.123 TRACE m",
      "21:40:05.123 DEBUG m",
      "21:40:05.123 INFO  m",
      "21:40:05.123 WARN  m",
      "21:40:05.123 ERROR m",
      "21:40:05.123 FATAL m",
    ]);
  });

  it("colours the level only when asked (a terminal), and nothing else", () => {
    expect(formatLogRecord(record(40, "slow reader", { session: 3 }), { colour: true })).toBe(
      "21:40:05.123 \u001b[33mWARN \u001b[0m slow reader  session=3",
    );
    expect(formatLogRecord(record(50, "x"), { colour: true })).toContain("\u001b[31mERROR\u001b[0m");
  });

  it("flattens nested objects to dotted keys, and shows arrays, null, booleans and empty objects", () => {
    const line = formatLogRecord(
      record(30, "Loom is ready", { ports: { telnet: 4000, line: 4001, http: { plain: 8080 } }, list: [1, "a b"], none: null, ok: true, empty: {} }),
      plain,
    );
    expect(line).toBe('21:40:05.123 INFO  Loom is ready  ports.telnet=4000 ports.line=4001 ports.http.plain=8080 list=[1,"a b"] none=null ok=true empty={}');
  });

  it("quotes strings with spaces, quotes, = or backslashes, and the empty string", () => {
    const line = formatLogRecord(record(30, "m", { a: "two words", b: 'say "hi"', c: "k=v", d: "back\\slash", e: "", f: "plain-word/ok" }), plain);
    expect(line).toBe('21:40:05.123 INFO  m  a="two words" b="say \\"hi\\"" c="k=v" d="back\\\\slash" e="" f=plain-word/ok');
  });

  it("escapes control characters, C1 controls and bidi overrides, so a logged value cannot act on the terminal (E1, E2, E7)", () => {
    const line = formatLogRecord(record(30, "evil\u001b[2J msg", { name: "x\u001b]0;pwned\u0007", c1: "a\u009bb", bidi: "abc\u202edef", nl: "one\ntwo" }), plain);
    expect(line).toBe(
      '21:40:05.123 INFO  evil\\u001b[2J msg  name="x\\u001b]0;pwned\\u0007" c1="a\\u009bb" bidi="abc\\u202edef" nl="one\\ntwo"',
    );
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
  });

  it("an error shows its message in the line (with its own fields) and its stack indented below", () => {
    const err = { type: "Error", message: "read ECONNRESET", stack: "Error: read ECONNRESET\n    at TCP.onStreamRead (node:internal/stream_base_commons:216:20)", code: "ECONNRESET" };
    expect(formatLogRecord(record(50, "http request failed; answered 500", { subsystem: "http", err, path: "/healthz" }), plain)).toBe(
      [
        '21:40:05.123 ERROR http request failed; answered 500  subsystem=http err="read ECONNRESET" err.code=ECONNRESET path=/healthz',
        "    Error: read ECONNRESET",
        "    at TCP.onStreamRead (node:internal/stream_base_commons:216:20)",
      ].join("\n"),
    );
  });

  it("an err that is only a string is an ordinary field", () => {
    expect(formatLogRecord(record(40, "websocket protocol error", { err: "Invalid UTF-8 sequence" }), plain)).toBe(
      '21:40:05.123 WARN  websocket protocol error  err="Invalid UTF-8 sequence"',
    );
  });
});

/** A destination that keeps what it is given. */
function sink(): DestinationStream & { text: string } {
  return {
    text: "",
    write(chunk: string) {
      this.text += chunk;
    },
  };
}

describe("PrettyDestination under the real logger", () => {
  it("redaction applies before the destination: a careless password field shows [redacted]", () => {
    const out = sink();
    const log = createLogger("info", new PrettyDestination(out, plain)).child({ subsystem: "world" });
    log.info({ password: "hunter2", account: { name: "alice", password: "hunter2" } }, "login");
    expect(out.text).not.toContain("hunter2");
    expect(out.text).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}login {2}subsystem=world password=\[redacted\] account\.name=alice account\.password=\[redacted\]\n$/);
  });

  it("a thrown Error logged as err gives its message in the line and its stack below", () => {
    const out = sink();
    createLogger("info", new PrettyDestination(out, plain)).error({ err: new Error("disk full") }, "saving failed");
    const [first, ...rest] = out.text.trimEnd().split("\n");
    expect(first).toMatch(/ ERROR saving failed {2}err="disk full"$/);
    expect(rest[0]).toBe("    Error: disk full");
    expect(rest.length).toBeGreaterThan(1);
    for (const line of rest) expect(line.startsWith("    ")).toBe(true);
  });

  it("writes anything that is not a JSON record through, escaped, rather than lose it", () => {
    const out = sink();
    new PrettyDestination(out, plain).write("not json \u001b[2J\n");
    expect(out.text).toBe("not json \\u001b[2J\n");
  });

  it("writes one line per record, each in one write", () => {
    const writes: string[] = [];
    const dest = new PrettyDestination({ write: (chunk) => void writes.push(chunk) }, plain);
    const log = createLogger("info", dest);
    log.info("one");
    log.info("two");
    expect(writes).toHaveLength(2);
    expect(writes[1]).toMatch(/ INFO {2}two\n$/);
  });
});
