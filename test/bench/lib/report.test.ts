/**
 * The bench report's issue 11 additions (bench/lib/report.ts): the capacity and slow-reader rows
 * appear only for runs that have them, the notes say whether Loom's connection cap fit and what
 * became of the slow readers, and a run read back from `--json` (where NaN was written as null)
 * renders the same way.
 */
import { describe, expect, it } from "vitest";
import { EMPTY_WINDOW, renderNotes, renderTable, type RunResult, type SlowReaderFigures } from "../../../bench/lib/report.js";

/** A finished run with every figure plain; `extra` overrides. */
function run(extra: Partial<RunResult> = {}): RunResult {
  return {
    ...EMPTY_WINDOW,
    kind: "loom",
    scenario: "fanout",
    door: "line",
    logins: "seeded",
    rate: 10,
    clients: 30,
    loginFailures: 0,
    loginSeconds: 1,
    loginSecondsFirstHalf: 0.5,
    loginSecondsSecondHalf: 0.5,
    loginLoopDelayP99Ms: 1,
    loginLoopDelayMaxMs: 2,
    backgroundCore0Percent: 0,
    backgroundCore1Percent: 0,
    rssPerConnectionKb: 10,
    rssMarginalPerConnectionKb: 10,
    heapPerConnectionKb: 5,
    heapMarginalPerConnectionKb: 5,
    heapLoggedInMb: 20,
    rssLoggedInMb: 100,
    rssEndMb: 100,
    dropped: 0,
    warnings: 0,
    ramp: undefined,
    connectionCap: { maxConnections: 19_000, source: "file-limit" },
    capacity: undefined,
    slowReaders: undefined,
    ...extra,
  };
}

const slow: SlowReaderFigures = {
  requested: 3,
  loggedIn: 3,
  cutOff: 1,
  cutOffAfterSeconds: [12.5],
  observedSeconds: 30,
  kernelRecvQPerReaderKb: 128,
  kernelSendQPerReaderKb: 3800,
  kernelSockets: 2,
  chatterDropped: 900,
  chatterDropEpisodes: 2,
  chatterDropFirstAfterSeconds: 10,
  chatterDropLastAfterSeconds: 11,
  rssBeforeMb: 100,
  rssPeakMb: 110,
};

describe("bench report, issue 11 scenarios", () => {
  it("shows the capacity and slow-reader rows only when some run has them", () => {
    const plain = renderTable([run()]);
    expect(plain).not.toContain("announcements sent");
    expect(plain).not.toContain("slow readers logged in");
    const capacity = renderTable([
      run({ scenario: "capacity", capacity: { connections: 30, deliveredToEveryClientPercent: 100, announcements: [], worstAnnouncementP99Ms: 40 } }),
    ]);
    expect(capacity).toMatch(/\| connection cap \(Loom: logged at boot\) +\| +19,000 \|/);
    expect(capacity).toMatch(/\| worst announcement's p99, ms +\| +40\.0 \|/);
    expect(renderTable([run({ slowReaders: slow })])).toMatch(/\| {3}cut off by the server +\| +1 \|/);
  });

  it("says plainly when the connection cap is below the connections asked for", () => {
    const notes = renderNotes([
      run({
        scenario: "capacity",
        connectionCap: { maxConnections: 944, source: "file-limit" },
        capacity: { connections: 1000, deliveredToEveryClientPercent: 100, announcements: [], worstAnnouncementP99Ms: Number.NaN },
      }),
    ]);
    expect(notes).toContain("is BELOW the 1000 connections asked for: 56 of them could not be admitted");
  });

  it("tells what became of the slow readers, and leaves out Loom-only figures when they were saved as null", () => {
    expect(renderNotes([run({ slowReaders: slow })])).toContain("1 cut off, 12.5–12.5 s after they stopped reading");
    // JSON.stringify writes NaN as null: a peer's run read back by render-json.
    const saved = JSON.parse(JSON.stringify(run({ kind: "node", slowReaders: { ...slow, chatterDropped: Number.NaN } }))) as RunResult;
    const notes = renderNotes([saved]);
    expect(notes).toContain("3 of 3 slow readers logged in");
    expect(notes).not.toContain("chatter messages dropped");
  });
});
