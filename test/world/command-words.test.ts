import { describe, expect, it } from "vitest";
import type { Action } from "../../src/world/actions/action.js";
import { commandsForRole } from "../../src/world/command-words.js";

/** Only the fields commandsForRole reads matter; the rest is never called. */
function action(names: readonly string[], role?: Action["role"]): Action {
  return { names, syntax: [""], summary: "", help: "", ...(role === undefined ? {} : { role }), run: () => undefined } as unknown as Action;
}

describe("commandsForRole (GMCP Loom.Commands)", () => {
  it("lists each role's words sorted, once, lowercase, letters first only", () => {
    const actions = [action(["Look", "l"]), action(["say", "'"]), action(["shutdown"], "admin")];
    expect(commandsForRole(actions, "player")).toEqual(["l", "look", "say"]);
    expect(commandsForRole(actions, "admin")).toEqual(["l", "look", "say", "shutdown"]);
  });

  it("issue 11 target 3: every player of a role shares one frozen list, not a copy each", () => {
    const actions = [action(["look"]), action(["say"])];
    const first = commandsForRole(actions, "player");
    expect(commandsForRole(actions, "player")).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it("a registry that grew gets a new list (the registry only appends)", () => {
    const actions = [action(["look"])];
    const before = commandsForRole(actions, "player");
    actions.push(action(["wave"]));
    expect(commandsForRole(actions, "player")).toEqual(["look", "wave"]);
    expect(before).toEqual(["look"]);
  });
});
