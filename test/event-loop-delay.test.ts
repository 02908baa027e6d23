import { describe, expect, it } from "vitest";
import { EventLoopDelayMonitor } from "../src/event-loop-delay.js";
import { renderMetrics } from "../src/metrics.js";
import { FakeClock } from "../src/reactor/clock.js";
import { EMPTY_METRICS } from "./support/metrics-snapshot.js";

describe("event-loop delay on /metrics", () => {
  it("reports a stall of the loop in the window it happened, as Prometheus quantiles in seconds", async () => {
    const clock = new FakeClock();
    const monitor = new EventLoopDelayMonitor(clock, 10_000);
    try {
      // Let the histogram take a few samples, then block the loop for ~150 ms.
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 15));
      const until = performance.now() + 150;
      while (performance.now() < until) {
        // busy: this is the stall being measured
      }
      await new Promise((resolve) => setTimeout(resolve, 15));
      const delay = monitor.delay;
      expect(delay.max).toBeGreaterThan(0.1);
      expect(delay.p50).toBeLessThanOrEqual(delay.max);
      // The window closes on the clock; the stall is still shown for the next window.
      clock.advance(10_000);
      expect(monitor.delay.max).toBeGreaterThan(0.1);
      const text = renderMetrics({ ...EMPTY_METRICS, loopDelay: monitor.delay });
      expect(text).toMatch(/^loom_event_loop_delay_seconds\{quantile="1"\} 0\.\d+$/m);
    } finally {
      monitor.stop();
    }
  });

  it("reports the seconds the loop was busy as a Prometheus counter, whose rate is its utilisation (issue 11, target 5)", () => {
    const monitor = new EventLoopDelayMonitor(new FakeClock(), 10_000);
    try {
      expect(monitor.busySeconds).toBeGreaterThanOrEqual(0);
      const text = renderMetrics({ ...EMPTY_METRICS, loopBusySeconds: 12.5 });
      expect(text).toMatch(/^# TYPE loom_event_loop_busy_seconds_total counter$/m);
      expect(text).toMatch(/^loom_event_loop_busy_seconds_total 12\.5$/m);
    } finally {
      monitor.stop();
    }
  });

  it("grows the busy counter by at least the time a callback kept the loop busy", async () => {
    const monitor = new EventLoopDelayMonitor(new FakeClock(), 10_000);
    try {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const before = monitor.busySeconds;
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          const until = performance.now() + 120;
          while (performance.now() < until) {
            // busy: the work being counted
          }
          resolve();
        }, 1),
      );
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(monitor.busySeconds - before).toBeGreaterThanOrEqual(0.1);
    } finally {
      monitor.stop();
    }
  });
});
