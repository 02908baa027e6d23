import { describe, expect, it } from "vitest";
import { AccountError } from "../../src/accounts/account-error.js";
import { argon2idBackend, PasswordHasher, type Argon2Parameters, type HashBackend } from "../../src/accounts/passwords.js";
import { defaultHasherLimits } from "../support/default-config.js";

/** Cheap parameters: argon2's own minimum memory is 8 KiB per lane. */
const FAST = { memoryCost: 1024, timeCost: 1, parallelism: 1 } as const;
const PHC = /^\$argon2id\$v=19\$([a-z]=\d+(?:,[a-z]=\d+)*)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/** The m, t and p parameters of a PHC string (node-argon2 writes them in its own order), or undefined if it is not one. */
function phcParameters(hash: string): Record<string, number> | undefined {
  const match = PHC.exec(hash);
  if (match === null) return undefined;
  return Object.fromEntries(match[1]!.split(",").map((kv) => [kv[0]!, Number(kv.slice(2))]));
}

/** The real argon2 backend, counting how many calls are inside it at once. */
function countingBackend(): HashBackend & { readonly maxInFlight: number; readonly calls: number } {
  let inFlight = 0;
  let maxInFlight = 0;
  let calls = 0;
  const around = async <T>(work: () => Promise<T>): Promise<T> => {
    calls += 1;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      return await work();
    } finally {
      inFlight -= 1;
    }
  };
  return {
    hash: (password: string, params: Argon2Parameters) => around(() => argon2idBackend.hash(password, params)),
    verify: (hash: string, password: string) => around(() => argon2idBackend.verify(hash, password)),
    get maxInFlight() {
      return maxInFlight;
    },
    get calls() {
      return calls;
    },
  };
}

/** A backend whose calls finish only when the test says so. */
function manualBackend(): HashBackend & { readonly pending: Array<(ok: boolean) => void> } {
  const pending: Array<(ok: boolean) => void> = [];
  return {
    pending,
    hash: () => new Promise<string>((resolve) => pending.push(() => resolve("$argon2id$stub"))),
    verify: () => new Promise<boolean>((resolve) => pending.push(resolve)),
  };
}

/** Lets every already-settled promise callback run; no timers involved. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe("PasswordHasher", () => {
  it("A1: hashes to an argon2id PHC string with the documented defaults, never containing the password", async () => {
    const hasher = new PasswordHasher(defaultHasherLimits);
    const password = "correct horse battery staple";
    const hash = await hasher.hash(password);
    expect(phcParameters(hash)).toEqual({ m: 19456, t: 2, p: 1 });
    expect(hash).not.toContain(password);
    expect(hash).not.toContain(Buffer.from(password).toString("base64").replace(/=+$/, ""));
    expect(hasher.parameters).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });

  it("uses its configured parameters and a fresh salt each time", async () => {
    const hasher = new PasswordHasher({ ...defaultHasherLimits, ...defaultHasherLimits, ...FAST });
    const [a, b] = await Promise.all([hasher.hash("hunter2"), hasher.hash("hunter2")]);
    expect(phcParameters(a!)).toEqual({ m: 1024, t: 1, p: 1 });
    expect(a).not.toBe(b);
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const hasher = new PasswordHasher({ ...defaultHasherLimits, ...defaultHasherLimits, ...FAST });
    const hash = await hasher.hash("open sesame");
    expect(await hasher.verify(hash, "open sesame")).toBe(true);
    expect(await hasher.verify(hash, "open sesame ")).toBe(false);
    expect(await hasher.verify(hash, "Open sesame")).toBe(false);
  });

  it("normalises to NFC, so a decomposed accent matches a composed one", async () => {
    const hasher = new PasswordHasher({ ...defaultHasherLimits, ...defaultHasherLimits, ...FAST });
    const hash = await hasher.hash("caf\u00e9");
    expect(await hasher.verify(hash, "cafe\u0301")).toBe(true);
  });

  it("returns false, never throws, for a malformed or foreign hash", async () => {
    const hasher = new PasswordHasher({ ...defaultHasherLimits, ...defaultHasherLimits, ...FAST });
    const good = await hasher.hash("pw12");
    for (const bad of ["", "garbage", "$argon2id$", "$argon2id$v=19$m=1024,t=1,p=1$!!$!!", good.slice(0, -10), "$2b$10$abcdefghijklmnopqrstuv", "x".repeat(10_000)]) {
      await expect(hasher.verify(bad, "pw12")).resolves.toBe(false);
    }
  });

  it("A5: twenty concurrent verifies all complete, never more than maxConcurrent at once", async () => {
    const backend = countingBackend();
    const hasher = new PasswordHasher({ ...defaultHasherLimits, ...FAST, backend });
    const hash = await hasher.hash("letmein");
    const results = Promise.all(Array.from({ length: 20 }, (_, i) => hasher.verify(hash, i % 2 === 0 ? "letmein" : "wrong")));
    expect(hasher.load).toEqual({ running: 2, queued: 18 });

    // The loop stays free meanwhile: a callback queued now runs before the batch is done.
    let done = false;
    void results.then(() => (done = true));
    const loopTurnedFirst = await new Promise<boolean>((resolve) => setImmediate(() => resolve(!done)));
    expect(loopTurnedFirst).toBe(true);

    expect(await results).toEqual(Array.from({ length: 20 }, (_, i) => i % 2 === 0));
    expect(backend.calls).toBe(21);
    expect(backend.maxInFlight).toBe(2);
    expect(hasher.load).toEqual({ running: 0, queued: 0 });
  });

  it("runs queued calls in arrival order as slots free up", async () => {
    const backend = manualBackend();
    const hasher = new PasswordHasher({ ...defaultHasherLimits, maxConcurrent: 2, backend });
    const order: number[] = [];
    const calls = [0, 1, 2, 3].map((i) => hasher.verify("h", "p").then(() => order.push(i)));
    await settle();
    expect(backend.pending.length).toBe(2);
    backend.pending[1]!(true);
    await settle();
    expect(backend.pending.length).toBe(3); // call 2 took the freed slot
    backend.pending[0]!(true);
    await settle();
    expect(backend.pending.length).toBe(4);
    backend.pending[3]!(true);
    backend.pending[2]!(true);
    await Promise.all(calls);
    expect(order).toEqual([1, 0, 3, 2]);
    expect(hasher.load).toEqual({ running: 0, queued: 0 });
  });

  it("a backend failure frees its slot", async () => {
    let n = 0;
    const backend: HashBackend = {
      hash: async () => {
        n += 1;
        if (n === 1) throw new Error("out of memory");
        return "$argon2id$ok";
      },
      verify: async () => {
        throw new Error("unreachable");
      },
    };
    const hasher = new PasswordHasher({ ...defaultHasherLimits, maxConcurrent: 1, backend });
    await expect(hasher.hash("a")).rejects.toThrow("out of memory");
    await expect(hasher.hash("b")).resolves.toBe("$argon2id$ok");
    await expect(hasher.verify("h", "p")).resolves.toBe(false);
    expect(hasher.load).toEqual({ running: 0, queued: 0 });
  });

  it("rejects with hasher-busy once maxQueued calls are waiting, and recovers", async () => {
    const backend = manualBackend();
    const hasher = new PasswordHasher({ ...defaultHasherLimits, maxConcurrent: 1, maxQueued: 2, backend });
    const accepted = [hasher.verify("h", "p"), hasher.verify("h", "p"), hasher.verify("h", "p")];
    const refused = hasher.verify("h", "p");
    await expect(refused).rejects.toBeInstanceOf(AccountError);
    await expect(refused).rejects.toMatchObject({ code: "hasher-busy" });
    expect(hasher.load).toEqual({ running: 1, queued: 2 });
    for (let i = 0; i < 3; i++) {
      await settle();
      backend.pending[i]!(true);
    }
    expect(await Promise.all(accepted)).toEqual([true, true, true]);
    expect(hasher.load).toEqual({ running: 0, queued: 0 });
  });
});

describe("issue 5 item 4: the hash queue is fair between addresses", () => {
  it("one address flooding the queue delays another's login by one turn, not by its backlog", async () => {
    const backend = manualBackend();
    const hasher = new PasswordHasher({ ...defaultHasherLimits, maxConcurrent: 1, maxQueuedPerOwner: 4, backend });
    const order: string[] = [];
    const run = (owner: string, label: string): Promise<unknown> =>
      hasher.verify("h", "p", owner).then(
        () => order.push(label),
        (err: unknown) => order.push(`${label}:${(err as AccountError).code}`),
      );
    // The flooder takes the slot and fills its share of the queue; its sixth call is refused.
    const flood = Array.from({ length: 6 }, (_, i) => run("203.0.113.66", `flood${i}`));
    const owner = run("198.51.100.1", "owner");
    await settle();
    expect(order).toEqual(["flood5:hasher-busy"]);
    expect(hasher.load).toEqual({ running: 1, queued: 5 });
    // Release one hash at a time: the owner waits for the hash already running and for one
    // turn of the flooder (which queued first), not for its whole backlog.
    for (let i = 0; i < 6; i++) {
      backend.pending[i]!(false);
      await settle();
    }
    await Promise.all([...flood, owner]);
    expect(order).toEqual(["flood5:hasher-busy", "flood0", "flood1", "owner", "flood2", "flood3", "flood4"]);
  });

  it("waiting owners are served in turn, each in its own arrival order", async () => {
    const backend = manualBackend();
    const hasher = new PasswordHasher({ ...defaultHasherLimits, maxConcurrent: 1, backend });
    const order: string[] = [];
    const calls = [
      ["a", "a0"],
      ["a", "a1"],
      ["a", "a2"],
      ["b", "b0"],
      ["b", "b1"],
      ["c", "c0"],
    ].map(([owner, label]) => hasher.verify("h", "p", owner).then(() => order.push(label!)));
    for (let i = 0; i < 6; i++) {
      await settle();
      backend.pending[i]!(true);
    }
    await Promise.all(calls);
    // a0 ran at once; then a1, b0, c0 in turn, then a2, b1.
    expect(order).toEqual(["a0", "a1", "b0", "c0", "a2", "b1"]);
  });

  it("the global cap still holds across owners", async () => {
    const backend = manualBackend();
    const hasher = new PasswordHasher({ ...defaultHasherLimits, maxConcurrent: 1, maxQueued: 2, backend });
    const accepted = [hasher.verify("h", "p", "a"), hasher.verify("h", "p", "b"), hasher.verify("h", "p", "c")];
    await expect(hasher.verify("h", "p", "d")).rejects.toMatchObject({ code: "hasher-busy" });
    for (let i = 0; i < 3; i++) {
      await settle();
      backend.pending[i]!(true);
    }
    expect(await Promise.all(accepted)).toEqual([true, true, true]);
  });
});
