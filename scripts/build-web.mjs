#!/usr/bin/env node
/**
 * Builds the browser client into dist/web/: bundles web/client.ts (and what it imports) with
 * esbuild into client.js, and copies index.html and style.css beside it. Paths are taken from
 * this file's location, so it works from any working directory; it takes well under a second.
 * `--report` prints the bundle's size, raw and gzipped (the figure docs/web-client.md quotes).
 *
 *   node scripts/build-web.mjs [--report]
 */
import { copyFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const webDir = path.join(root, "web");
const outDir = path.join(root, "dist", "web");

await mkdir(outDir, { recursive: true });
await Promise.all([
  build({
    entryPoints: [path.join(webDir, "client.ts")],
    outfile: path.join(outDir, "client.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    // Browsers from 2022 on: every one with ResizeObserver and private class fields.
    target: ["es2022"],
    minify: true,
    sourcemap: "linked",
    // Type-checking is `tsc -p web/tsconfig.json`'s job; esbuild only strips types.
    tsconfig: path.join(webDir, "tsconfig.json"),
    logLevel: "warning",
    legalComments: "none",
  }),
  copyFile(path.join(webDir, "index.html"), path.join(outDir, "index.html")),
  copyFile(path.join(webDir, "style.css"), path.join(outDir, "style.css")),
]);

if (process.argv.includes("--report")) {
  for (const name of ["client.js", "style.css", "index.html"]) {
    const bytes = await readFile(path.join(outDir, name));
    console.log(`${name}: ${bytes.length} B, ${gzipSync(bytes).length} B gzipped`);
  }
}
