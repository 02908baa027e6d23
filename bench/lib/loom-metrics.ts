/**
 * Reading Loom's /metrics from the benches: one request, one figure out of the text, and a
 * poller of the event loop's delay while something runs. Shared by the broadcast and the
 * mixed-play benches.
 */
import http from "node:http";

/** Loom's /metrics text, and when it arrived (`performance.now()` as its response began). */
export interface MetricsText {
  readonly text: string;
  readonly at: number;
}

/**
 * Reads Loom's /metrics once: undefined after `timeoutMs` of silence, an error or a status other
 * than 200. One connection per request, closed after it (no keep-alive agent): an idle kept-alive
 * socket would hold one of Loom's connection slots (F5) for the whole run. A saturated Loom
 * (10,000 players on this machine) takes seconds to answer, so the mixed-play bench waits longer
 * than the default.
 */
export function fetchMetrics(httpPort: number, timeoutMs = 2000): Promise<MetricsText | undefined> {
  return new Promise((resolve) => {
    const request = http.get({ host: "127.0.0.1", port: httpPort, path: "/metrics", agent: false, timeout: timeoutMs }, (response) => {
      const at = performance.now();
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve(response.statusCode === 200 ? { text, at } : undefined));
      response.on("error", () => resolve(undefined));
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(undefined));
  });
}

/** One sample of the exposition: `name` with exactly the label set `labels` (`{quantile="0.99"}`, or none); NaN if absent. */
export function metricValue(text: string, name: string, labels = ""): number {
  const m = new RegExp(`^${name}${labels.replace(/[{}"]/g, "\\$&")} ([0-9.eE+-]+)$`, "m").exec(text);
  return m === null ? Number.NaN : Number(m[1]);
}

/** loom_event_loop_delay_seconds' p99 and max (Loom's last 10 s window and the current one), in ms. */
export function loopDelayOf(text: string): { p99Ms: number; maxMs: number } {
  return {
    p99Ms: metricValue(text, "loom_event_loop_delay_seconds", '{quantile="0.99"}') * 1000,
    maxMs: metricValue(text, "loom_event_loop_delay_seconds", '{quantile="1"}') * 1000,
  };
}

/**
 * Polls Loom's /metrics every second while `during` runs: its value, and the worst event-loop
 * delay Loom reported meanwhile (NaN if no poll got an answer). A poll is skipped while
 * `mayPoll` says no: its HTTP connection counts against Loom's connection cap (F5), and the
 * capacity scenario's last logins fill that cap.
 */
export async function watchLoopDelay<T>(
  httpPort: number | undefined,
  during: Promise<T>,
  options: { readonly mayPoll?: () => boolean; readonly timeoutMs?: number } = {},
): Promise<{ value: T; p99Ms: number; maxMs: number }> {
  let p99Ms = Number.NaN;
  let maxMs = Number.NaN;
  let done = false;
  const over = during.then(
    () => undefined,
    () => undefined,
  );
  const poll = async (): Promise<void> => {
    while (!done && httpPort !== undefined) {
      const reading = options.mayPoll?.() === false ? undefined : await fetchMetrics(httpPort, options.timeoutMs);
      if (reading !== undefined) {
        const delay = loopDelayOf(reading.text);
        p99Ms = Number.isNaN(p99Ms) ? delay.p99Ms : Math.max(p99Ms, delay.p99Ms);
        maxMs = Number.isNaN(maxMs) ? delay.maxMs : Math.max(maxMs, delay.maxMs);
      }
      await Promise.race([new Promise((resolve) => setTimeout(resolve, 1000)), over]);
    }
  };
  const poller = poll();
  try {
    const value = await during;
    return { value, p99Ms, maxMs };
  } finally {
    done = true;
    await poller;
  }
}
