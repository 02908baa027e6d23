/**
 * /metrics' text (src/metrics.ts): the figures the reactor keeps, as Prometheus counters.
 */
import { describe, expect, it } from "vitest";
import { renderMetrics } from "../src/metrics.js";
import { EMPTY_METRICS } from "./support/metrics-snapshot.js";

const base = { ...EMPTY_METRICS, hub: { ...EMPTY_METRICS.hub, delivered: 90 } };

describe("renderMetrics", () => {
  it("reports the turn queue's flushes beside the deliveries, so deliveries per write can be read off (issue 11)", () => {
    const text = renderMetrics({ ...base, outputFlushes: 30 });
    expect(text).toMatch(/^# TYPE loom_output_flushes_total counter$/m);
    expect(text).toMatch(/^loom_output_flushes_total 30$/m);
    expect(text).toMatch(/^loom_deliveries_total 90$/m);
  });

  it("leaves the flushes out when the caller has none to report", () => {
    expect(renderMetrics(base)).not.toContain("loom_output_flushes_total");
  });
});
