/**
 * The character as out-of-band data: GMCP `Char.Name` and `Char.Status`, sent at login and
 * whenever one of their fields changes, for clients' status panels.
 */
import type { Player } from "./seats.js";

/** GMCP `Char.Name`. */
export interface CharName {
  readonly name: string;
  readonly fullname: string;
}

/** GMCP `Char.Status`: what Loom knows of a character that a status panel shows. */
export interface CharStatus {
  readonly name: string;
  readonly fullname: string;
  readonly pronouns: string;
  readonly role: string;
  /** The area of the room the character is in. */
  readonly area: string;
}

/** `Char.Name` for a player. */
export function characterName(player: Player): CharName {
  return { name: player.name, fullname: player.name };
}

/** `Char.Status` for a player. */
export function characterStatus(player: Player): CharStatus {
  const room = player.character.location;
  return {
    name: player.name,
    fullname: player.name,
    pronouns: player.character.character?.pronouns ?? "they",
    role: player.role,
    area: room?.room?.area ?? "",
  };
}
