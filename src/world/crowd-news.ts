/**
 * Comings and goings in a crowd (issue 11, docs/crowds.md). In a quiet room every arrival and
 * departure is narrated as it happens, as it always was. In a room holding more than
 * `crowdThreshold` people, one more login must not cost a line (and a `Room.AddPlayer`) to
 * each of thousands of readers: the room's comings and goings are gathered instead, and a
 * second later ({@link CROWD_NEWS_MS}) the room reads one summary — "Alice, Bob, Carol and 22
 * others arrive." — with one fresh `Room.Players`. So a login costs O(1) however big the crowd, and
 * the crowd's readers get at most one such line a second per room.
 *
 * A room with news still waiting gathers every coming and going until it is told, whatever its
 * size by then, so nobody reads of a departure before the arrival it follows.
 */
import type { Clock, DelayedCall } from "../reactor/clock.js";
import { MAX_ROOM_PLAYERS } from "../session/gmcp-packages.js";
import { chatter, styled, type Span } from "../session/messages.js";
import { listing } from "./language/lists.js";
import type { Thing } from "./model/thing.js";
import type { Narrator, WorldEvent } from "./narrator.js";
import { nounOf } from "./phrase.js";
import { isPlayerCharacter, roomPlayerOf, type OobMessage, type RoomPlayer } from "./room-contents.js";

/** How long a crowded room's news is gathered before it is told: at most one summary a second per room. */
export const CROWD_NEWS_MS = 1000;

/** How many names a summary gives before "and N others". */
export const MAX_NAMED_IN_SUMMARY = 3;

/**
 * The comings (and, apart, the goings) one room remembers by name per interval, to cancel an
 * arrival against a departure of the same character ("arrived and left again": nobody is
 * told) and to spare the newcomers a summary of themselves. Past it they are only counted, so
 * a storm of logins into one room holds at most this many entries per direction.
 */
export const MAX_TRACKED_PASSAGES = 1000;

/** The most people the fresh `Room.Players` walk looks at for its 51 players (creatures are skipped). */
const PLAYERS_WALK = 4 * MAX_ROOM_PLAYERS;

/** Which way a character passed: into the place, or out of it. */
export type Passage = "arrive" | "leave";

/** One direction's gathered news: who, by id (their words as the room reads them), and how many more. */
class Passages {
  readonly named = new Map<string, string>();
  untracked = 0;

  get count(): number {
    return this.named.size + this.untracked;
  }

  add(thing: Thing): void {
    if (this.named.size < MAX_TRACKED_PASSAGES) this.named.set(thing.id, nounOf(thing, "indefinite"));
    else this.untracked++;
  }
}

/** A room's news while it waits to be told. */
interface RoomNews {
  readonly arrivals: Passages;
  readonly departures: Passages;
  readonly timer: DelayedCall;
}

/** What the gathering needs: the clock to wait on and the narrator to tell through. */
export interface CrowdNewsDeps {
  readonly clock: Clock;
  readonly narrator: Pick<Narrator, "narrate" | "announce">;
  /** More people than this in a room and its comings and goings are gathered; 0: never (`limits.crowdThreshold`). */
  readonly crowdThreshold: number;
}

/** The crowded rooms' waiting news: one timer per room with news at most. */
export class CrowdNews {
  readonly #deps: CrowdNewsDeps;
  readonly #rooms = new Map<Thing, RoomNews>();

  constructor(deps: CrowdNewsDeps) {
    this.#deps = deps;
  }

  /**
   * Tells `event.place` that `event.actor` came in or went out: `event` is narrated now in a
   * quiet room, or gathered into the room's next summary in a crowd (then only the summary is
   * told, and minds in the room hear nothing of it). A passage has no text for its actor (who
   * is shown the room, or is gone). O(1) in a crowd: no walk of the room, no message per reader.
   */
  pass(event: WorldEvent, way: Passage): void {
    const { place, actor } = event;
    const news = this.#rooms.get(place);
    if (news === undefined && !this.#crowded(place, actor)) {
      this.#deps.narrator.narrate(event);
      return;
    }
    const waiting = news ?? this.#open(place);
    if (way === "arrive") {
      // Back before the room was told they left: nobody needs telling.
      if (!waiting.departures.named.delete(actor.id)) waiting.arrivals.add(actor);
    } else if (!waiting.arrivals.named.delete(actor.id)) {
      waiting.departures.add(actor);
    }
  }

  /** Drops every waiting room's news and timer without telling (the world stopping). */
  stop(): void {
    for (const news of this.#rooms.values()) news.timer.cancel();
    this.#rooms.clear();
  }

  /** Whether `place` holds a crowd, counting `actor` whether or not they are still inside. */
  #crowded(place: Thing, actor: Thing): boolean {
    const threshold = this.#deps.crowdThreshold;
    if (threshold === 0) return false;
    const people = (place.people?.size ?? 0) + (actor.location === place ? 0 : 1);
    return people > threshold;
  }

  #open(place: Thing): RoomNews {
    const news: RoomNews = {
      arrivals: new Passages(),
      departures: new Passages(),
      timer: this.#deps.clock.callLater(CROWD_NEWS_MS, () => this.#flush(place)),
    };
    this.#rooms.set(place, news);
    return news;
  }

  /** The summary: one message to everyone in the room but the newcomers it names, with one fresh `Room.Players`. */
  #flush(place: Thing): void {
    const news = this.#rooms.get(place);
    if (news === undefined) return;
    this.#rooms.delete(place);
    const { arrivals, departures } = news;
    if (arrivals.count === 0 && departures.count === 0) return; // everyone came and went
    const spans: Span[] = [];
    if (arrivals.count > 0) spans.push(...summary(arrivals, "arrives", "arrive"));
    if (departures.count > 0) spans.push(...(spans.length > 0 ? ["\n"] : []), ...summary(departures, "leaves", "leave"));
    const players = roomPlayers(place);
    this.#deps.narrator.announce(place, chatter(...spans), arrivals.named, {
      shared: [{ channel: "Room.Players", data: players.shared }],
      personal: players.personal,
    });
  }
}

/** "Alice arrives.", "Alice and Bob arrive.", "Alice, Bob, Carol and 22 others arrive.", "40 people arrive." */
function summary(passages: Passages, singular: string, plural: string): Span[] {
  const names: string[] = [];
  for (const name of passages.named.values()) {
    if (names.length >= MAX_NAMED_IN_SUMMARY) break;
    names.push(name);
  }
  const total = passages.count;
  const others = total - names.length;
  const verb = total === 1 ? singular : plural;
  if (names.length === 0) return [`${total} ${total === 1 ? "person" : "people"} ${verb}.`];
  const first = names[0]!;
  names[0] = first.charAt(0).toUpperCase() + first.slice(1); // "A grey cat and 3 others arrive."
  if (others === 0) return [styled("name", listing(names)), ` ${verb}.`];
  return [styled("name", names.join(", ")), ` and ${others} other${others === 1 ? "" : "s"} ${verb}.`];
}

/**
 * A crowded room's `Room.Players` after its news: the first {@link MAX_ROOM_PLAYERS} players
 * in the order they came, one list for every reader; the readers on that list (at most 50) get
 * their own copy, without themselves (`Room.Players` names the others) and with the next
 * player instead. A bounded walk: a room full of creatures is not walked to its end.
 */
function roomPlayers(place: Thing): { shared: RoomPlayer[]; personal: Map<Thing, readonly OobMessage[]> } {
  const first: Thing[] = [];
  let steps = 0;
  for (const thing of place.people ?? []) {
    if (first.length > MAX_ROOM_PLAYERS || ++steps > PLAYERS_WALK) break;
    if (isPlayerCharacter(thing)) first.push(thing);
  }
  const entries = first.map(roomPlayerOf);
  const shared = entries.slice(0, MAX_ROOM_PLAYERS);
  const personal = new Map<Thing, readonly OobMessage[]>();
  for (const [i, reader] of first.slice(0, MAX_ROOM_PLAYERS).entries()) {
    if (reader.session === undefined) continue;
    personal.set(reader, [{ channel: "Room.Players", data: [...entries.slice(0, i), ...entries.slice(i + 1)] }]);
  }
  return { shared, personal };
}
