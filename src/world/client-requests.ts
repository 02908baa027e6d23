/**
 * Out-of-band requests a client makes for data the world has, answered out of band to the
 * asking session only: GMCP's `Comm.Channel.Players` and IRE's `Char.Items.Inv`. Each answer is
 * bounded (a first page, the first 100 things) so that it never grows with the crowd; the
 * doors' GMCP limits bound how often a client can ask.
 */
import type { SessionId } from "../session/messages.js";
import type { WorldServices } from "./actions/action.js";
import { WHO_PAGE_SIZE } from "./actions/who.js";
import type { Channels } from "./channels/channel-service.js";
import { itemList } from "./room-contents.js";
import type { Player } from "./seats.js";

/** What the answers are made from. */
export interface ClientRequestsDeps {
  /** The player a session plays, if it is past the login. */
  readonly playerOf: (session: SessionId) => Player | undefined;
  readonly world: Pick<WorldServices, "oob" | "online">;
  readonly channels: Pick<Channels, "players">;
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
   * Answers IRE's `Char.Items.Inv` with `Char.Items.List` of what the player carries: the first
   * 100 things, from one walk of their hands that stops there.
   */
  #inventory(session: SessionId): void {
    const player = this.#deps.playerOf(session);
    if (player !== undefined) this.#deps.world.oob(player.character, "Char.Items.List", itemList(player.character, "inv"));
  }
}
