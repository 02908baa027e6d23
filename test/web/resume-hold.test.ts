/** web/resume-hold.ts: the text held back while a resume is in flight, and the wait for its answer. */
import { describe, expect, it } from "vitest";
import type { OutputMessage } from "../../src/session/messages.js";
import { MAX_HELD_MESSAGES, RESUME_ANSWER_MS, ResumeHold, type Schedule } from "../../web/resume-hold.js";

/** A hand-run scheduler: tests fire or inspect what is pending instead of waiting. */
class ManualSchedule {
  readonly pending = new Map<number, { run: () => void; ms: number }>();
  #next = 0;
  readonly schedule: Schedule = (run, ms) => {
    const id = this.#next++;
    this.pending.set(id, { run, ms });
    return () => this.pending.delete(id);
  };

  fireAll(): void {
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const entry of due) entry.run();
  }
}

function line(text: string): OutputMessage {
  return { kind: "line", spans: [text] };
}

function prompt(text: string): OutputMessage {
  return { kind: "prompt", spans: [text] };
}

function setup(): { shown: OutputMessage[]; timers: ManualSchedule; hold: ResumeHold } {
  const shown: OutputMessage[] = [];
  const timers = new ManualSchedule();
  return { shown, timers, hold: new ResumeHold((message) => shown.push(message), timers.schedule) };
}

describe("ResumeHold", () => {
  it("shows text at once when no resume is in flight", () => {
    const { shown, hold } = setup();
    hold.write(line("Welcome"));
    expect(shown).toEqual([line("Welcome")]);
    hold.release(true);
    expect(shown).toEqual([line("Welcome")]);
  });

  it("drops the greeting up to the last prompt once the resume worked, and shows what followed", () => {
    const { shown, timers, hold } = setup();
    hold.start(() => expect.fail("answered in time"));
    for (const message of [line("Welcome to Loom."), prompt("Your name:"), line("Welcome back, Ann.")]) hold.write(message);
    expect(shown).toEqual([]);
    hold.release(true);
    expect(shown).toEqual([line("Welcome back, Ann.")]);
    expect(timers.pending.size).toBe(0);
    hold.write(line("later"));
    expect(shown.at(-1)).toEqual(line("later"));
  });

  it("shows everything held when the resume failed or the connection went", () => {
    const { shown, hold } = setup();
    hold.start(() => undefined);
    hold.write(line("Welcome to Loom."));
    hold.write(prompt("Your name:"));
    hold.release(false);
    expect(shown).toEqual([line("Welcome to Loom."), prompt("Your name:")]);
  });

  it("gives up after RESUME_ANSWER_MS with no answer", () => {
    const { timers, hold } = setup();
    let gaveUp = 0;
    hold.start(() => gaveUp++);
    expect([...timers.pending.values()].map((entry) => entry.ms)).toEqual([RESUME_ANSWER_MS]);
    timers.fireAll();
    expect(gaveUp).toBe(1);
  });

  it("holds at most MAX_HELD_MESSAGES; one more shows at once", () => {
    const { shown, hold } = setup();
    hold.start(() => undefined);
    for (let i = 0; i < MAX_HELD_MESSAGES; i++) hold.write(line(String(i)));
    expect(shown).toEqual([]);
    hold.write(line("one past"));
    expect(shown).toEqual([line("one past")]);
    hold.release(false);
    expect(shown).toHaveLength(MAX_HELD_MESSAGES + 1);
  });
});
