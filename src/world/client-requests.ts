/**
 * Out-of-band requests a client makes for data the world has, answered out of band to the
 * asking session only: GMCP's `Comm.Channel.Players`, IRE's `Char.Items.Inv` and Loom's
 * `Loom.State.Ask` (every state message again). Each answer is
 * bounded (a first page, the first 100 things) so that it never grows with the crowd; the
 * doors' GMCP limits bound how often a client can ask.
 */
import { GMCP_STATE_REQUEST } from "../session/gmcp-packages.js";
import type { SessionId } from "../session/messages.js";
import type { WorldServices } from "./actions/action.js";
import { WHO_PAGE_SIZE } from "./actions/who.js";
import type { Channels } from "./channels/channel-service.js";
import { listEntry } from "./channels/channel-text.js";
import { characterName, characterStatus } from "./char-status.js";
import { commandsForRole } from "./command-words.js";
import { itemList, RoomLists } from "./room-contents.js";
import { describeRoom, roomInfo } from "./room-view.js";
import type { Player } from "./seats.js";

/** What the answers are made from. */
export interface ClientRequestsDeps {
  /** The player a session plays, if it is past the login. */
  readonly playerOf: (session: SessionId) => Player | undefined;
  readonly world: Pick<WorldServices, "oob" | "online" | "actions" | "thing">;
  readonly channels: Pick<Channels, "players" | "summaries">;
}

/** The requests the world answers with data. */
export class ClientRequests {
  readonly #deps: ClientRequestsDeps;

  constructor(deps: ClientRequestsDeps) {
    this.#deps = deps;
  }

  /**
   * Answers `channel` if it asks for something Loom has, and says whether it did. The doors
   * answer GMCP's Core.Hello, Supports and Ping themselves (protocols/gmcp/gmcp-core.ts); of
   * the rest, Comm.Channel.Players and IRE's Char.Items.Inv ask for something Loom has
   * (Core.KeepAlive… ask for nothing it keeps; Char.Items.Room is not answered: it would walk a
   * crowded room on demand, and the room's list comes on entering it anyway).
   */
  answer(session: SessionId, channel: string): boolean {
    if (channel === "Comm.Channel.Players") this.#channelPlayers(session);
    else if (channel.toLowerCase() === "char.items.inv") this.#inventory(session);
    else if (channel === GMCP_STATE_REQUEST) this.#state(session);
    else return false;
    return true;
  }

  /**
   * Answers a client's `Comm.Channel.Players` with who is online and in which channels: the
   * first page of them, as `who` shows (the answer never grows with the crowd).
   */
  #channelPlayers(session: SessionId): void {
    const { playerOf, world, channels } = this.#deps;
    const player = playerOf(session);
    if (player !== undefined) world.oob(player.character, "Comm.Channel.Players", channels.players(world.online(), WHO_PAGE_SIZE));
  }

  /**
   * Answers `Loom.State.Ask` with every state message, in the order a login sends them
   * (sessions.ts, room-display.ts, channel-service.ts): who the player is, their commands, their
   * room with who and what is there, what they carry, their channels. A telnet door asks on
   * behalf of a client that agreed to GMCP after refusing it, as nothing was kept for it (issue
   * 11 target 3). Bounded as on entering a room: the room's walk stops at the lists' caps.
   */
  #state(session: SessionId): void {
    const player = this.#deps.playerOf(session);
    if (player === undefined) return;
    const { world, channels } = this.#deps;
    const character = player.character;
    world.oob(character, "Char.Name", characterName(player));
    world.oob(character, "Char.Status", characterStatus(player));
    world.oob(character, "Loom.Commands", commandsForRole(world.actions(), player.role));
    const room = character.location;
    if (room !== null) {
      // The description is thrown away: its walk is the one that fills the lists (room-view.ts).
      const lists = new RoomLists();
      describeRoom(room, character, lists);
      world.oob(character, "Room.Info", roomInfo(room, (id) => world.thing(id)));
      world.oob(character, "Room.Players", lists.players);
      world.oob(character, "Char.Items.List", lists.itemList);
    }
    world.oob(character, "Char.Items.List", itemList(character, "inv"));
    const joined = channels.summaries(player).filter((summary) => summary.member);
    world.oob(character, "Comm.Channel.List", joined.map((summary) => listEntry(summary.name)));
  }

  /**
   * Answers IRE's `Char.Items.Inv` with `Char.Items.List` of what the player carries: the first
   * 100 things, from one walk of their hands that stops there.
   */
  #inventory(session: SessionId): void {
    const player = this.#deps.playerOf(session);
    if (player !== undefined) this.#deps.world.oob(player.character, "Char.Items.List", itemList(player.character, "inv"));
  }
}
