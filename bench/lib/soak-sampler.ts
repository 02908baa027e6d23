/**
 * Watching the server during the soak, from 127.0.0.1:
 *
 * - every second: open file descriptors (`/proc/<pid>/fd`), resident memory (`VmRSS`), and
 *   `/metrics` (kept whole; the soak reads the event-loop delay from it if Loom exposes one, any
 *   gauge named `loom_event_loop_delay*`, and reports the final counters);
 * - every 200 ms: the time a fresh `GET /healthz` takes, connect included: an outside measure of
 *   the event loop's delay, which also fails (and is counted) when the server cannot accept.
 *
 * One request of each kind at a time: a probe still waiting when the next is due is counted as
 * late, not stacked; each times out after 2 s.
 */
import http from "node:http";
import { readdirSync } from "node:fs";
import { readStatusKb } from "./proc.js";

/** One second's sample. */
export interface Sample {
  /** Seconds since the sampler started. */
  readonly t: number;
  readonly fds: number | undefined;
  readonly rssKb: number | undefined;
}

/** Event-loop delay as Loom reports it on /metrics, in ms (whichever of the figures it gives). */
export interface ServerLoopDelay {
  /** The metric names found, as reported. */
  readonly names: readonly string[];
  /** Per sample: the p99 (or the only figure) and the max, when given. */
  readonly p99: number[];
  readonly max: number[];
}

/** Counts of the /healthz probes. */
export interface HealthFigures {
  readonly probes: number;
  readonly failed: number;
  readonly late: number;
  /** Latencies of the probes that answered 200, ms, ascending. */
  readonly latencies: Float64Array;
}

/** The sampler. */
export class Sampler {
  readonly #pid: number;
  readonly #port: number;
  readonly #samples: Sample[] = [];
  readonly #health: number[] = [];
  #healthFailed = 0;
  #healthLate = 0;
  #healthProbes = 0;
  #healthBusy = false;
  #metricsBusy = false;
  #lastMetrics: string | undefined;
  #firstMetrics: string | undefined;
  readonly #loop: { names: Set<string>; p99: number[]; max: number[] } = { names: new Set(), p99: [], max: [] };
  #timers: NodeJS.Timeout[] = [];
  #started = 0;

  constructor(pid: number, httpPort: number) {
    this.#pid = pid;
    this.#port = httpPort;
  }

  /** Starts sampling. */
  start(): void {
    this.#started = performance.now();
    this.#sample();
    this.#timers.push(setInterval(() => this.#sample(), 1000));
    this.#timers.push(setInterval(() => this.#probeHealth(), 200));
  }

  /** Stops sampling (one last sample is taken). */
  stop(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    this.#sample();
  }

  /** One sample now, without /metrics. */
  sampleNow(): Sample {
    return {
      t: (performance.now() - this.#started) / 1000,
      fds: countFds(this.#pid),
      rssKb: readStatusKb(this.#pid, "VmRSS"),
    };
  }

  #sample(): void {
    this.#samples.push(this.sampleNow());
    if (this.#metricsBusy) return;
    this.#metricsBusy = true;
    void get(this.#port, "/metrics").then((r) => {
      this.#metricsBusy = false;
      if (r.status !== 200) return;
      this.#firstMetrics ??= r.body;
      this.#lastMetrics = r.body;
      this.#readLoopDelay(r.body);
    });
  }

  #readLoopDelay(body: string): void {
    let p99: number | undefined;
    let max: number | undefined;
    let only: number | undefined;
    for (const m of body.matchAll(/^(loom_event_loop_delay\w*)(\{[^}]*\})?\s+(\S+)$/gm)) {
      const name = m[1]!;
      const labels = m[2] ?? "";
      const raw = Number(m[3]);
      if (!Number.isFinite(raw)) continue;
      this.#loop.names.add(`${name}${labels}`);
      // Prometheus convention is seconds; a name saying ms is taken at its word.
      const ms = /_ms\b|millis/.test(name) ? raw : raw * 1000;
      if (/p99|0\.99/.test(name + labels)) p99 = ms;
      else if (/max|quantile="1"/.test(name + labels)) max = ms;
      else only ??= ms;
    }
    const q = p99 ?? only;
    if (q !== undefined) this.#loop.p99.push(q);
    if (max !== undefined) this.#loop.max.push(max);
  }

  #probeHealth(): void {
    this.#healthProbes++;
    if (this.#healthBusy) {
      this.#healthLate++;
      return;
    }
    this.#healthBusy = true;
    const started = performance.now();
    void get(this.#port, "/healthz").then((r) => {
      this.#healthBusy = false;
      if (r.status === 200) this.#health.push(performance.now() - started);
      else this.#healthFailed++;
    });
  }

  /** Every one-second sample. */
  get samples(): readonly Sample[] {
    return this.#samples;
  }

  /** /metrics as first and last read (undefined if it never answered). */
  get metrics(): { first: string | undefined; last: string | undefined } {
    return { first: this.#firstMetrics, last: this.#lastMetrics };
  }

  /** The server's own event-loop figures, if /metrics had any. */
  get serverLoopDelay(): ServerLoopDelay | undefined {
    if (this.#loop.names.size === 0) return undefined;
    return { names: [...this.#loop.names], p99: this.#loop.p99, max: this.#loop.max };
  }

  /** The /healthz probes. */
  get health(): HealthFigures {
    return {
      probes: this.#healthProbes,
      failed: this.#healthFailed,
      late: this.#healthLate,
      latencies: Float64Array.from(this.#health).sort(),
    };
  }
}

/** Open descriptors of `pid`, or undefined if it is gone. */
export function countFds(pid: number): number | undefined {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return undefined;
  }
}

/** GET `path` on a fresh connection from 127.0.0.1: status 0 on error or after 2 s. */
export function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (status: number, body = ""): void => {
      if (settled) return;
      settled = true;
      resolve({ status, body });
    };
    const req = http.get({ host: "127.0.0.1", port, path, localAddress: "127.0.0.1", agent: false, timeout: 2000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => settle(res.statusCode ?? 0, Buffer.concat(chunks).toString("utf8")));
      res.on("error", () => settle(0));
    });
    req.on("timeout", () => {
      req.destroy();
      settle(0);
    });
    req.on("error", () => settle(0));
  });
}

/** The counters and gauges of a Prometheus text body, by full name with labels. */
export function parseMetrics(body: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (body === undefined) return out;
  for (const m of body.matchAll(/^(loom_[\w]+(?:\{[^}]*\})?)\s+(\S+)$/gm)) {
    const value = Number(m[2]);
    if (Number.isFinite(value)) out.set(m[1]!, value);
  }
  return out;
}
