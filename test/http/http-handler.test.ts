/**
 * The HTTP routes over a real server on port 0. Traversal probes go out as raw bytes through
 * `net`, so no client normalises the path first (hardening W5).
 */
import { once } from "node:events";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHttpHandler, type HttpHandlerOptions } from "../../src/http/http-handler.js";
import { CONTENT_SECURITY_POLICY } from "../../src/http/security-headers.js";
import { applyHttpServerLimits, httpServerOptions, type HttpServerLimits } from "../../src/http/server-limits.js";

const SECRET = "TOP-SECRET-DO-NOT-SERVE";
let base: string;
let webRoot: string;

beforeAll(async () => {
  // base/secret.txt sits next to the web root: every traversal probe aims at it.
  base = await mkdtemp(path.join(os.tmpdir(), "loom-http-"));
  webRoot = path.join(base, "www");
  await mkdir(path.join(webRoot, "sub"), { recursive: true });
  await writeFile(path.join(base, "secret.txt"), SECRET);
  await writeFile(path.join(webRoot, "index.html"), "<!doctype html><title>Loom</title>");
  await writeFile(path.join(webRoot, "style.css"), "body{}");
  await writeFile(path.join(webRoot, "client.js"), "export {};");
  await writeFile(path.join(webRoot, "sub", "page.txt"), "nested");
  await writeFile(path.join(webRoot, ".env"), SECRET);
  await symlink(path.join(base, "secret.txt"), path.join(webRoot, "leak.txt"));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

interface Running {
  readonly server: http.Server;
  readonly port: number;
  readonly state: { ok: boolean; ready: boolean; throwOnHealth: boolean };
}

const servers = new Set<http.Server>();

afterEach(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  servers.clear();
});

async function start(limits?: { options?: http.ServerOptions; overrides?: Partial<HttpServerLimits> }): Promise<Running> {
  const state = { ok: true, ready: false, throwOnHealth: false };
  const options: HttpHandlerOptions = {
    webRoot,
    health: () => {
      if (state.throwOnHealth) throw new Error("probe failed");
      return { ok: state.ok, ready: state.ready };
    },
    metrics: () => "# HELP loom_connections Open connections.\n# TYPE loom_connections gauge\nloom_connections 3\n",
  };
  const server = http.createServer(limits?.options ?? httpServerOptions, createHttpHandler(options));
  applyHttpServerLimits(server, limits?.overrides);
  servers.add(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, port: (server.address() as AddressInfo).port, state };
}

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly raw: string;
}

/** Sends `target` byte for byte and reads until the server closes. */
async function raw(port: number, target: string, method = "GET", extraHeaders = ""): Promise<RawResponse> {
  const socket = net.connect(port, "127.0.0.1");
  socket.write(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${extraHeaders}\r\n`);
  let text = "";
  socket.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  await once(socket, "close");
  return parse(text);
}

function parse(text: string): RawResponse {
  const split = text.indexOf("\r\n\r\n");
  const head = split === -1 ? text : text.slice(0, split);
  const body = split === -1 ? "" : text.slice(split + 4);
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(" ")[1]), headers, body, raw: text };
}

describe("probes and metrics", () => {
  it("GET /healthz is 200 ok while alive, 503 when not", async () => {
    const s = await start();
    const res = await raw(s.port, "/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toBe("ok\n");
    expect(res.headers["cache-control"]).toBe("no-store");
    s.state.ok = false;
    expect((await raw(s.port, "/healthz")).status).toBe(503);
  });

  it("GET /readyz follows readiness", async () => {
    const s = await start();
    expect((await raw(s.port, "/readyz")).status).toBe(503);
    s.state.ready = true;
    expect((await raw(s.port, "/readyz")).status).toBe(200);
  });

  it("GET /metrics serves the Prometheus text format", async () => {
    const s = await start();
    const res = await raw(s.port, "/metrics");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(res.body).toContain("loom_connections 3");
  });

  it("a throwing probe is a 500, and the server carries on", async () => {
    const s = await start();
    s.state.throwOnHealth = true;
    expect((await raw(s.port, "/healthz")).status).toBe(500);
    s.state.throwOnHealth = false;
    expect((await raw(s.port, "/healthz")).status).toBe(200);
  });
});

describe("static files", () => {
  it("serves / as index.html with the CSP and security headers", async () => {
    const s = await start();
    const res = await raw(s.port, "/");
    expect(res.status).toBe(200);
    expect(res.body).toContain("<title>Loom</title>");
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.headers["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(res.headers["content-security-policy"]).toContain("object-src 'none'");
    expect(res.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.headers["etag"]).toMatch(/^W\/"/);
  });

  it("sends the right Content-Type for css, js and text, and ignores the query string", async () => {
    const s = await start();
    expect((await raw(s.port, "/style.css")).headers["content-type"]).toBe("text/css; charset=utf-8");
    expect((await raw(s.port, "/client.js?v=2")).headers["content-type"]).toBe("text/javascript; charset=utf-8");
    const nested = await raw(s.port, "/sub/page.txt");
    expect(nested.body).toBe("nested");
    expect(nested.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect((await raw(s.port, "/?x=1")).body).toContain("<title>Loom</title>");
  });

  it("HEAD sends the headers with the length and no body", async () => {
    const s = await start();
    const res = await raw(s.port, "/", "HEAD");
    expect(res.status).toBe(200);
    expect(res.headers["content-length"]).toBe(String("<!doctype html><title>Loom</title>".length));
    expect(res.body).toBe("");
  });

  it("answers a matching If-None-Match with 304", async () => {
    const s = await start();
    const etag = (await raw(s.port, "/style.css")).headers["etag"] ?? "";
    const res = await raw(s.port, "/style.css", "GET", `If-None-Match: ${etag}\r\n`);
    expect(res.status).toBe(304);
    expect(res.body).toBe("");
  });

  it("404 for a missing file and for a directory", async () => {
    const s = await start();
    expect((await raw(s.port, "/nope.html")).status).toBe(404);
    expect((await raw(s.port, "/sub")).status).toBe(404);
    expect((await raw(s.port, "/sub/")).status).toBe(404);
  });

  it("405 with Allow for anything but GET and HEAD", async () => {
    const s = await start();
    for (const method of ["POST", "PUT", "DELETE", "OPTIONS", "TRACE"]) {
      const res = await raw(s.port, "/", method);
      expect(res.status).toBe(405);
      expect(res.headers["allow"]).toBe("GET, HEAD");
    }
  });
});

describe("W5: path traversal never leaks a file", () => {
  const probes = [
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/..%2fsecret.txt",
    "/..%2Fsecret.txt",
    "/%2e%2e%2fsecret.txt",
    "/.%2e/secret.txt",
    "/sub/../../secret.txt",
    "/sub/%2e%2e/%2e%2e/secret.txt",
    "/..\\secret.txt",
    "/%5c..%5csecret.txt",
    "/..%5csecret.txt",
    "//../secret.txt",
    "/./../secret.txt",
    "/%252e%252e/secret.txt",
    "/.env",
    "/leak.txt",
    "/sub/..",
  ];

  it.each(probes)("%s", async (target) => {
    const s = await start();
    const res = await raw(s.port, target);
    expect(res.status).not.toBe(200);
    expect([400, 404]).toContain(res.status);
    expect(res.raw).not.toContain(SECRET);
  });

  it("NUL in the path is 400", async () => {
    const s = await start();
    expect((await raw(s.port, "/index.html%00.js")).status).toBe(400);
  });

  it("malformed percent-encoding is 400, not a crash", async () => {
    const s = await start();
    expect((await raw(s.port, "/%zz")).status).toBe(400);
    expect((await raw(s.port, "/%E0%A4%A")).status).toBe(400);
    expect((await raw(s.port, "/%")).status).toBe(400);
    expect((await raw(s.port, "/")).status).toBe(200);
  });

  it("an absolute-form target is refused", async () => {
    const s = await start();
    expect((await raw(s.port, "http://127.0.0.1/../secret.txt")).raw).not.toContain(SECRET);
  });
});

describe("server limits", () => {
  it("W4: a request with 5,000 headers does not crash the server", async () => {
    const s = await start();
    let headers = "";
    for (let i = 0; i < 5000; i++) headers += `X-Flood-${i}: ${i}\r\n`;
    const res = await raw(s.port, "/", "GET", headers);
    expect(res.status).toBe(431);
    expect((await raw(s.port, "/healthz")).status).toBe(200);
  });

  it("W4: 5,000 tiny headers under the size limit are read, counted only up to maxHeadersCount", async () => {
    const s = await start({ options: { ...httpServerOptions, maxHeaderSize: 1 << 20 } });
    let headers = "";
    for (let i = 0; i < 5000; i++) headers += `a${i}:\r\n`;
    expect((await raw(s.port, "/healthz", "GET", headers)).status).toBe(200);
    expect(s.server.maxHeadersCount).toBe(100);
  });

  it("F7: a request whose headers never finish is closed after headersTimeout", async () => {
    const s = await start({ options: { ...httpServerOptions, connectionsCheckingInterval: 50 }, overrides: { headersTimeout: 200, requestTimeout: 1000 } });
    const socket = net.connect(s.port, "127.0.0.1");
    socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a");
    let text = "";
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
    });
    await once(socket, "close");
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("applyHttpServerLimits sets the documented defaults", async () => {
    const s = await start();
    expect(s.server.headersTimeout).toBe(10_000);
    expect(s.server.requestTimeout).toBe(30_000);
    expect(s.server.keepAliveTimeout).toBe(5_000);
    expect(s.server.maxHeadersCount).toBe(100);
    expect(httpServerOptions).toMatchObject({ connectionsCheckingInterval: 1000, headersTimeout: 10000, requestTimeout: 30000, maxHeaderSize: 16384 });
  });
});
