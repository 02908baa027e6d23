/** The pure path resolver behind the static server (hardening W5). */
import fc from "fast-check";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { contentTypeFor, resolveStaticPath } from "../../src/http/static-files.js";

const root = path.resolve("/srv/loom/web");

describe("resolveStaticPath", () => {
  it("maps / to index.html and plain paths under the root", () => {
    expect(resolveStaticPath(root, "/")).toEqual({ ok: true, file: path.join(root, "index.html") });
    expect(resolveStaticPath(root, "/client.js")).toEqual({ ok: true, file: path.join(root, "client.js") });
    expect(resolveStaticPath(root, "/a%20b.txt")).toEqual({ ok: true, file: path.join(root, "a b.txt") });
  });

  it("refuses dot segments, dotfiles and backslashes with 404; NUL and bad encoding with 400", () => {
    for (const p of ["/..", "/a/../b", "/%2e%2e/x", "/.git/config", "/a\\b", "/%5C"]) {
      expect(resolveStaticPath(root, p)).toEqual({ ok: false, status: 404 });
    }
    for (const p of ["/a%00b", "/%", "/%zz", "relative", ""]) {
      expect(resolveStaticPath(root, p)).toEqual({ ok: false, status: 400 });
    }
  });

  it("never resolves outside the root, whatever the input (property)", () => {
    const piece = fc.constantFrom("..", ".", "%2e", "%2E", "%2f", "%2F", "%5c", "/", "\\", "a", "%00", "%", "~", "etc", "passwd");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const result = resolveStaticPath(root, `/${parts.join("")}`);
        if (result.ok) expect(result.file.startsWith(root + path.sep)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        const result = resolveStaticPath(root, `/${s}`);
        if (result.ok) expect(result.file.startsWith(root + path.sep)).toBe(true);
      }),
    );
  });
});

describe("contentTypeFor", () => {
  it("knows the client's files and falls back to octet-stream", () => {
    expect(contentTypeFor("index.html")).toBe("text/html; charset=utf-8");
    expect(contentTypeFor("CLIENT.JS")).toBe("text/javascript; charset=utf-8");
    expect(contentTypeFor("client.js.map")).toBe("application/json; charset=utf-8");
    expect(contentTypeFor("data.bin")).toBe("application/octet-stream");
  });
});
