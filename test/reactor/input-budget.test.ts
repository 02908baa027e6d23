/**
 * The per-connection input budget (issue 5 item 3), with turns stepped by hand: a turn ends
 * only when the test runs the deferred callback, as the check phase would.
 */
import { describe, expect, it } from "vitest";
import { InputBudget, InputTurns } from "../../src/reactor/input-budget.js";

/** An InputTurns whose turns end when the test says so. */
function steppedTurns(): { turns: InputTurns; endTurn: () => void; armed: () => number } {
  let deferred: (() => void)[] = [];
  const turns = new InputTurns((fn) => deferred.push(fn));
  return {
    turns,
    endTurn: () => {
      const run = deferred;
      deferred = [];
      for (const fn of run) fn();
    },
    armed: () => deferred.length,
  };
}

describe("issue 5 item 3: InputBudget", () => {
  it("gives lines and bytes per turn, and a full budget again at the next turn", () => {
    const { turns, endTurn } = steppedTurns();
    const budget = new InputBudget(turns, { linesPerTurn: 3, bytesPerTurn: 100 });
    expect(budget.linesLeft).toBe(3);
    budget.spend(2, 40);
    expect([budget.linesLeft, budget.bytesLeft, budget.available]).toEqual([1, 60, true]);
    budget.spend(1, 0);
    expect(budget.available).toBe(false);
    budget.spend(5, 500); // overspending is clamped
    expect([budget.linesLeft, budget.bytesLeft]).toEqual([0, 0]);
    endTurn();
    expect([budget.linesLeft, budget.bytesLeft, budget.available]).toEqual([3, 100, true]);
    budget.spend(0, 100);
    expect(budget.available).toBe(false);
  });

  it("runs next-turn callbacks after the turn has moved on, in order, with one deferral per turn", () => {
    const { turns, endTurn, armed } = steppedTurns();
    const a = new InputBudget(turns, { linesPerTurn: 1, bytesPerTurn: 65536 });
    const b = new InputBudget(turns, { linesPerTurn: 1, bytesPerTurn: 65536 });
    a.spend(1, 0);
    b.spend(1, 0);
    const seen: string[] = [];
    a.callNextTurn(() => seen.push(`a:${a.linesLeft}`));
    b.callNextTurn(() => seen.push(`b:${b.linesLeft}`));
    expect(armed()).toBe(1);
    endTurn();
    expect(seen).toEqual(["a:1", "b:1"]);
  });

  it("a callback that throws does not stop the others", () => {
    const { turns, endTurn } = steppedTurns();
    const seen: number[] = [];
    turns.callNextTurn(() => {
      throw new Error("one connection's bug");
    });
    turns.callNextTurn(() => seen.push(1));
    endTurn();
    expect(seen).toEqual([1]);
  });

  it("a budget last used long ago is full: reading the turn number always ends the turn", () => {
    const { turns, endTurn } = steppedTurns();
    const budget = new InputBudget(turns, { linesPerTurn: 2, bytesPerTurn: 65536 });
    budget.spend(2, 0);
    endTurn();
    endTurn(); // nothing armed: no-op
    expect(budget.linesLeft).toBe(2);
  });

  it("rejects budgets that are not positive integers", () => {
    const { turns } = steppedTurns();
    expect(() => new InputBudget(turns, { linesPerTurn: 0, bytesPerTurn: 65536 })).toThrow(RangeError);
    expect(() => new InputBudget(turns, { linesPerTurn: 1, bytesPerTurn: 1.5 })).toThrow(RangeError);
  });
});
