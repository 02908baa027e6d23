/**
 * The static file server behind `/`: the browser client's files from one directory, and nothing
 * outside it (hardening W5). A request path is decoded once, checked segment by segment, resolved
 * against the root, and the file's real path (symlinks followed) must still be inside the root.
 */
import { realpath, stat } from "node:fs/promises";
import path from "node:path";

/** Where a request path leads: a file under the root, or the status to answer. */
export type StaticTarget = { readonly ok: true; readonly file: string } | { readonly ok: false; readonly status: 400 | 404 };

/** The file served for `/`. */
export const INDEX_FILE = "index.html";

/** Content types by file extension; anything else is `application/octet-stream`. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
});

/** The Content-Type for `file`, by extension. */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
}

/**
 * Maps a request path (no query string, still percent-encoded) to a file under `root`. Pure: no
 * file system access. Bad percent-encoding and NUL are 400; `..`, `.`, dotfiles, backslashes and
 * anything resolving outside `root` are 404, so a probe learns nothing.
 */
export function resolveStaticPath(root: string, requestPath: string): StaticTarget {
  if (!requestPath.startsWith("/")) return { ok: false, status: 400 };
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return { ok: false, status: 400 };
  }
  if (decoded.includes("\0")) return { ok: false, status: 400 };
  // Backslashes are separators on Windows and never part of a name we serve.
  if (decoded.includes("\\")) return { ok: false, status: 404 };
  if (decoded === "/") decoded = `/${INDEX_FILE}`;
  const segments = decoded.split("/").filter((s) => s !== "");
  if (segments.length === 0 || segments.some((s) => s.startsWith("."))) return { ok: false, status: 404 };
  const base = path.resolve(root);
  const file = path.resolve(base, ...segments);
  if (!file.startsWith(base + path.sep)) return { ok: false, status: 404 };
  return { ok: true, file };
}

/** A file ready to send. */
export interface StaticFile {
  readonly file: string;
  readonly size: number;
  readonly mtime: Date;
  /** A weak validator from size and modification time. */
  readonly etag: string;
}

/**
 * Looks `file` up: a regular file whose real path is inside `root`'s real path, or `undefined`
 * (missing, a directory, or a symlink leading out). Never throws for a path that is not there
 * (whatever a probe sends); rejects for anything else (permissions, I/O), which is the
 * operator's to hear about.
 */
export async function openStaticFile(root: string, file: string): Promise<StaticFile | undefined> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    if (!realFile.startsWith(realRoot + path.sep)) return undefined;
    const info = await stat(realFile);
    if (!info.isFile()) return undefined;
    return { file: realFile, size: info.size, mtime: info.mtime, etag: `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"` };
  } catch (err) {
    // "Not there" is the answer (404), and probes make it often: not worth a log line.
    if (NOT_THERE.has((err as NodeJS.ErrnoException).code ?? "")) return undefined;
    throw err;
  }
}

/** Error codes that mean a path names nothing servable: missing, through a file, a loop, too long. */
const NOT_THERE: ReadonlySet<string> = new Set(["ENOENT", "ENOTDIR", "ELOOP", "ENAMETOOLONG"]);
