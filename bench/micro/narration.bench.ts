/**
 * Narration (src/world/narrator.ts): one event, rendered once for the actor and once for all
 * bystanders, its recipients gathered by one walk of the room. A `say` in a room of 100 and of
 * 5,000 players; the gateway only counts.
 */
import { bench, describe } from "vitest";
import type { GatewayPort } from "../../src/session/messages.js";
import { place } from "../../src/world/model/containment.js";
import { Thing } from "../../src/world/model/thing.js";
import { Narrator } from "../../src/world/narrator.js";

class CountingGateway implements GatewayPort {
  recipients = 0;
  send(message: Parameters<GatewayPort["send"]>[0]): void {
    if (message.type === "deliver") this.recipients += message.to.length;
  }
}

/** A room with `players` characters in it, each played by a session. */
function crowdedRoom(players: number): { room: Thing; speaker: Thing } {
  const room = Thing.fromRecord({ id: "square", location: null, name: "The Square", keywords: ["square"], description: "", facets: { room: { area: "bench" } } });
  let speaker: Thing | undefined;
  for (let i = 0; i < players; i++) {
    const key = `p${i}`;
    const thing = Thing.fromRecord({ id: `player:${key}`, location: null, name: `P${i}`, keywords: [key], description: "", facets: { character: { pronouns: "they", player: key } } });
    place(thing, room);
    thing.session = i + 1;
    speaker ??= thing;
  }
  return { room, speaker: speaker! };
}

const SAY = { text: "{actor} {actor|say}, {text}" };

describe("narrate a say", () => {
  for (const players of [100, 5000]) {
    const gateway = new CountingGateway();
    const narrator = new Narrator(gateway, () => {});
    const { room, speaker } = crowdedRoom(players);
    bench(`room of ${players.toLocaleString("en")}`, () => {
      narrator.narrate({ kind: "say", place: room, actor: speaker, text: '"hello, everyone"', phrase: SAY, ignorable: true });
    });
  }
});
