/**
 * web/resume-store.ts and web/resume-flow.ts: the resume token in storage (`loom.resume`), and
 * when the page asks for one, uses it and forgets it.
 */
import { describe, expect, it } from "vitest";
import { RESUME_KEY, ResumeStore } from "../../web/resume-store.js";
import { ResumeFlow } from "../../web/resume-flow.js";
import { MemoryStorage } from "./memory-storage.js";

const NOW = 1_800_000_000_000;

function setup(): { storage: MemoryStorage; store: ResumeStore; sent: [string, unknown][]; flow: ResumeFlow } {
  const storage = new MemoryStorage();
  const store = new ResumeStore(storage);
  const sent: [string, unknown][] = [];
  const flow = new ResumeFlow(store, (channel, data) => sent.push([channel, data]), () => NOW);
  return { storage, store, sent, flow };
}

/** A flow given a live `token`, on a connection that has opened and sent it: a resume awaiting its answer. */
function resumingWith(token: string): ReturnType<typeof setup> {
  const rig = setup();
  rig.flow.token(token, NOW + 1000);
  rig.flow.opened();
  return rig;
}

describe("ResumeStore", () => {
  it("keeps the latest token and gives it back until it expires", () => {
    const { storage, store } = setup();
    store.save({ token: "abc", expiresAt: NOW + 1 });
    expect(store.current(NOW)).toEqual({ token: "abc", expiresAt: NOW + 1 });
    expect(store.current(NOW + 1)).toBeUndefined();
    expect(storage.map.has(RESUME_KEY)).toBe(false);
  });

  it("treats anything garbled as no token, and removes it", () => {
    const { storage, store } = setup();
    for (const raw of ["{", "[]", '{"token":"","expiresAt":1}', `{"token":"x","expiresAt":"${NOW + 5}"}`, `{"token":"${"x".repeat(513)}","expiresAt":${NOW + 5}}`]) {
      storage.map.set(RESUME_KEY, raw);
      expect(store.current(NOW)).toBeUndefined();
      expect(storage.map.has(RESUME_KEY)).toBe(false);
    }
  });

  it("works without storage", () => {
    const store = new ResumeStore(undefined);
    store.save({ token: "abc", expiresAt: NOW + 1 });
    expect(store.current(NOW)).toBeUndefined();
  });
});

describe("ResumeFlow", () => {
  it("without a token: logs in by the form, then asks for a token once", () => {
    const { flow, sent } = setup();
    expect(flow.opened()).toBe("login");
    flow.loggedIn();
    flow.loggedIn();
    expect(sent).toEqual([["Loom.Resume.Ask", {}]]);
  });

  it("keeps the token it is given; the next connection resumes with it and does not ask again", () => {
    const { flow, sent, store } = setup();
    flow.opened();
    flow.loggedIn();
    flow.token("t1", NOW + 1000);
    expect(store.current(NOW)?.token).toBe("t1");
    sent.length = 0;
    expect(flow.opened()).toBe("resuming");
    expect(flow.pending).toBe(true);
    expect(sent).toEqual([["Loom.Resume.Login", { token: "t1" }]]);
    flow.loggedIn();
    flow.token("t2", NOW + 2000);
    expect(sent).toHaveLength(1);
    expect(store.current(NOW)?.token).toBe("t2");
  });

  it("lets the page send its caps before Loom.Resume.Login (regression: a resumed room came unwrapped)", () => {
    const { flow, sent } = setup();
    flow.token("t1", NOW + 1000);
    const attempts: string[] = [];
    const attempt = flow.opened((which) => {
      attempts.push(which);
      sent.push(["caps", { width: 40 }]);
    });
    expect(attempt).toBe("resuming");
    expect(attempts).toEqual(["resuming"]);
    expect(sent.map(([channel]) => channel)).toEqual(["caps", "Loom.Resume.Login"]);
  });

  it("tells the page it will log in by the form when there is no live token", () => {
    const { flow, sent } = setup();
    const attempts: string[] = [];
    expect(flow.opened((which) => attempts.push(which))).toBe("login");
    expect(attempts).toEqual(["login"]);
    expect(sent).toEqual([]);
  });

  it("forgets the token on Loom.Resume.Failed and on quit", () => {
    const { flow, store } = resumingWith("t1");
    flow.failed();
    expect(flow.pending).toBe(false);
    expect(store.current(NOW)).toBeUndefined();
    flow.token("t2", NOW + 1000);
    flow.quit();
    expect(store.current(NOW)).toBeUndefined();
  });

  it("an expired token is never sent", () => {
    const { flow, sent } = setup();
    flow.token("old", NOW);
    expect(flow.opened()).toBe("login");
    expect(sent).toEqual([]);
  });

  it("a resume that gets no answer keeps the token for the next connection", () => {
    const { flow, store } = resumingWith("t1");
    flow.gaveUp();
    expect(flow.pending).toBe(false);
    expect(store.current(NOW)?.token).toBe("t1");
  });
});
