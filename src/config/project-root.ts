/**
 * Where the project lives on disk, found from a module's own URL, so that it is the same
 * whether the code runs from `src/` (vitest, tsx) or from `dist/src/` after `tsc`.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The nearest directory at or above `fromUrl`'s directory that holds a `package.json`.
 * Defaults to this module's URL: `src/config/` and `dist/src/config/` both lead to the
 * project root (tsc does not copy package.json into `dist/`). Throws if none is found,
 * which means the installation is broken, not the configuration.
 */
export function findProjectRoot(fromUrl: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(fromUrl));
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json found above ${fileURLToPath(fromUrl)}`);
    dir = parent;
  }
}
