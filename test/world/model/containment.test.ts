/**
 * model/containment.ts: a thing's `contents` and its split into `people` and `objects` (issue 11)
 * always agree, in arrival order, however things move.
 */
import { describe, expect, it } from "vitest";
import { detach, place } from "../../../src/world/model/containment.js";
import { Thing } from "../../../src/world/model/thing.js";

function room(id: string): Thing {
  return Thing.fromRecord({ id, location: null, name: id, keywords: [id], description: "", facets: { room: { area: "test" } } });
}
function person(id: string): Thing {
  return Thing.fromRecord({ id, location: null, name: id, keywords: [id], description: "", facets: { character: { pronouns: "they", player: id } } });
}
function item(id: string): Thing {
  return Thing.fromRecord({ id, location: null, name: `a ${id}`, keywords: [id], description: "", facets: {} });
}

const ids = (things: Iterable<Thing> | undefined): string[] => [...(things ?? [])].map((t) => t.id);

describe("containment keeps people and objects beside contents", () => {
  it("in arrival order, through moves out, back in and detaching", () => {
    const hall = room("hall");
    const yard = room("yard");
    const [alice, bob] = [person("alice"), person("bob")];
    const [apple, key] = [item("apple"), item("key")];
    // A thing that holds nothing has neither set: characters are the many.
    expect(alice.people).toBeUndefined();
    expect(alice.objects).toBeUndefined();
    for (const thing of [alice, apple, bob, key]) place(thing, hall);
    expect(ids(hall.contents)).toEqual(["alice", "apple", "bob", "key"]);
    expect(ids(hall.people)).toEqual(["alice", "bob"]);
    expect(ids(hall.objects)).toEqual(["apple", "key"]);
    place(alice, yard);
    place(apple, alice);
    expect(ids(hall.people)).toEqual(["bob"]);
    expect(ids(hall.objects)).toEqual(["key"]);
    expect(ids(alice.objects)).toEqual(["apple"]);
    place(alice, hall); // back in: last in order, as in contents
    expect(ids(hall.contents)).toEqual(["bob", "key", "alice"]);
    expect(ids(hall.people)).toEqual(["bob", "alice"]);
    detach(bob);
    expect(ids(hall.people)).toEqual(["alice"]);
    expect(yard.people?.size).toBe(0);
  });
});
