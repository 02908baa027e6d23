/**
 * Showing a character their room: the text every time (`look`, arriving), and, on entering a
 * room or seeing it from a new connection, its data out of band — `Room.Info`, who is there
 * (`Room.Players`) and what (`Char.Items.List`) — but not again on a `look` in the same room.
 */
import type { SessionId } from "../session/messages.js";
import type { WorldServices } from "./actions/action.js";
import type { Thing } from "./model/thing.js";
import { RoomLists } from "./room-contents.js";
import { describeRoom, roomInfo } from "./room-view.js";

/** Which room each character was last shown the data of. */
export class RoomDisplay {
  readonly #world: Pick<WorldServices, "narrator" | "oob" | "thing">;
  /**
   * The room each character was last sent `Room.Info` (and who and what is there) for, and on
   * which connection, so a look does not resend it but a new connection to the same character
   * (a takeover, a resume) is sent it.
   */
  readonly #sent = new WeakMap<Thing, { readonly room: Thing; readonly session: SessionId }>();

  constructor(world: Pick<WorldServices, "narrator" | "oob" | "thing">) {
    this.#world = world;
  }

  /** Tells `character` where they are; nothing if they are nowhere or not connected. */
  show(character: Thing): void {
    const room = character.location;
    const session = character.session;
    if (room === null || session === undefined) return;
    const world = this.#world;
    const sent = this.#sent.get(character);
    // Entering (or seeing it anew on another connection): the lists are filled by the walk
    // that describes the room, not by one of their own (issue 11).
    const lists = sent?.room !== room || sent.session !== session ? new RoomLists() : undefined;
    world.narrator.tell(character, describeRoom(room, character, lists));
    if (lists !== undefined) {
      this.#sent.set(character, { room, session });
      world.oob(character, "Room.Info", roomInfo(room, (id) => world.thing(id)));
      world.oob(character, "Room.Players", lists.players);
      world.oob(character, "Char.Items.List", lists.itemList);
    }
  }
}
