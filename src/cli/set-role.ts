/**
 * `loom role <name> <role>` (src/cli/commands.ts): sets a player's role in the database, with
 * the server stopped. This is how the first admin is made (issue 7, "The operator's command
 * line"); after that, admins can use `role` in the game.
 */
import { Roles, type Role } from "../store/store.js";
import { ExitStatus, shown, type CliIo } from "./cli-io.js";
import { openExistingStore, readConfig } from "./cli-setup.js";
import type { CommandArgs } from "./command.js";

/** Runs `loom role` with its parsed (and checked) arguments. */
export function setRole({ positionals: [name = "", wanted = ""], config }: CommandArgs, io: CliIo): ExitStatus {
  // roleCommand.check has refused anything else.
  const role = Roles.find((r) => r === wanted.toLowerCase()) ?? "player";
  const settings = readConfig(io, "role", config);
  if (settings === undefined) return ExitStatus.failed;
  const store = openExistingStore(io, "role", settings.dataDir);
  if (store === undefined) return ExitStatus.failed;
  try {
    const player = store.findPlayer(name.toLowerCase());
    if (player === undefined) {
      io.err(`loom role: no player is named "${name}" in ${shown(io, store.file)}.\n`);
      return ExitStatus.failed;
    }
    if (player.role === role) {
      io.out(`${player.name} is already ${article(role)} ${role}.\n`);
      return ExitStatus.ok;
    }
    store.setRole(player.key, role);
    io.out(`${player.name} is now ${article(role)} ${role} (was ${article(player.role)} ${player.role}).\n`);
    return ExitStatus.ok;
  } finally {
    store.close();
  }
}

function article(role: Role): string {
  return role === "admin" ? "an" : "a";
}
