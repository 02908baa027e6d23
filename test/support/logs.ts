/**
 * Captures what a server under test logs (pass `sink` as startTestServer's `logTo`), for tests
 * that a log line is written, bounded, or free of secrets.
 */
import { Writable } from "node:stream";

/** The log lines a server wrote, as it wrote them. */
export interface CapturedLogs {
  /** Give this to startTestServer as `logTo`. */
  readonly sink: Writable;
  /** Every line written so far, as JSON text without its line end. */
  readonly lines: string[];
  /** Every line written so far, parsed. */
  records(): Record<string, unknown>[];
}

/** A fresh capture: `lines` grows as the server logs. */
export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n")) if (line !== "") lines.push(line);
      done();
    },
  });
  return { sink, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}
