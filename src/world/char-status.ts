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

/**
 * GMCP `Char.Status`: what Loom knows of a character that a status panel shows. Where the
 * character is belongs to `Room.Info`, which is sent on every change of room.
 */
export interface CharStatus {
  readonly name: string;
  readonly fullname: string;
  readonly pronouns: string;
  readonly role: string;
}

/** `Char.Name` for a player. */
export function characterName(player: Player): CharName {
  return { name: player.name, fullname: player.name };
}

/** `Char.Status` for a player. */
export function characterStatus(player: Player): CharStatus {
  return {
    name: player.name,
    fullname: player.name,
    pronouns: player.character.character?.pronouns ?? "they",
    role: player.role,
  };
}
