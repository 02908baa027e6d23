/**
 * The reverse-proxy samples in docs/deploy/ (hardening W6, issue 9 "Behind a proxy"): checked by
 * the programs that will read them, when installed (`nginx -t` on a copy whose certificate,
 * pid and log paths point into a temporary directory, with a throwaway certificate made by
 * openssl; `caddy adapt --validate`), and always against the code they front: the ports and the
 * WebSocket path of config/default.yaml, Loom's ping interval, and the trusted-proxy story the
 * docs tell (the proxy's address in `proxy.trusted`, the headers it sets, a client's own
 * `Forwarded` stripped). Missing programs skip their test and say so, as test/clients does.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load-config.js";
import { findProjectRoot } from "../../src/config/project-root.js";
import { AddressAllowList } from "../../src/http/address-allow-list.js";
import { WEBSOCKET_PATH } from "../../protocols/websocket/upgrade-guard.js";
import { WEBSOCKET_PING_INTERVAL_MS } from "../../protocols/websocket/websocket-options.js";

const root = findProjectRoot();
const read = (path: string): string => readFileSync(join(root, path), "utf8");
const nginxConf = read("docs/deploy/nginx.conf");
const caddyfile = read("docs/deploy/Caddyfile");
const proxyDoc = read("docs/web-client.md");
const defaults = loadConfig({ argv: [], env: {}, cwd: root });

/** Where a program is on PATH (or in /usr/sbin, where Debian puts nginx), or undefined. */
function findProgram(name: string): string | undefined {
  const dirs = [...(process.env["PATH"] ?? "").split(delimiter), "/usr/sbin", "/usr/local/sbin"];
  return dirs.map((dir) => join(dir, name)).find((path) => path !== name && existsSync(path));
}

function skipTitle(title: string, program: string | undefined, packages: string): string {
  return program !== undefined ? title : `${title} (skipped: not installed; apt-get install ${packages})`;
}

/**
 * The Loom settings a sample's header comment tells the operator to use: the indented YAML
 * block in it that begins with `host:`, with its comment markers taken off.
 */
function loomSettingsIn(sample: string): { host: string; proxy: { trusted: string[] } } {
  const lines = sample.split("\n");
  const start = lines.findIndex((l) => /^#\s+host:/.test(l));
  expect(start, "the sample's comment shows the Loom settings it expects").toBeGreaterThan(-1);
  const block: string[] = [];
  for (const line of lines.slice(start)) {
    if (!line.startsWith("#   ")) break;
    block.push(line.slice(1));
  }
  return parse(block.join("\n")) as { host: string; proxy: { trusted: string[] } };
}

/** The body of the first `name { ... }` block in nginx's syntax (braces balanced). */
function nginxBlock(text: string, opening: RegExp): string {
  const match = opening.exec(text);
  expect(match, `no block ${opening}`).not.toBeNull();
  let depth = 0;
  const from = match!.index + match![0].length;
  for (let i = from; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}") {
      if (depth === 0) return text.slice(from, i);
      depth--;
    }
  }
  throw new Error(`unbalanced block ${opening}`);
}

/** nginx.conf without its comments, for matching directives. */
const nginxDirectives = nginxConf.replace(/#[^\n]*/g, "");

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "loom-proxy-conf-"));
  temps.push(dir);
  return dir;
}

describe("docs/deploy/nginx.conf matches Loom", () => {
  it(`proxies the page and ${WEBSOCKET_PATH} to http.port (${defaults.http.port}), with the upgrade headers`, () => {
    const upstream = nginxBlock(nginxDirectives, /upstream\s+loom_http\s*\{/);
    expect(upstream).toMatch(new RegExp(`server\\s+127\\.0\\.0\\.1:${defaults.http.port}\\s*;`));
    const ws = nginxBlock(nginxDirectives, new RegExp(`location\\s*=\\s*${WEBSOCKET_PATH}\\s*\\{`));
    expect(ws).toMatch(/proxy_pass\s+http:\/\/loom_http\s*;/);
    expect(ws).toMatch(/proxy_http_version\s+1\.1\s*;/);
    expect(ws).toMatch(/proxy_set_header\s+Upgrade\s+\$http_upgrade\s*;/);
    expect(ws).toMatch(/proxy_set_header\s+Connection\s+\$connection_upgrade\s*;/);
  });

  it(`keeps a WebSocket open longer than Loom's ping interval (${WEBSOCKET_PING_INTERVAL_MS / 1000} s)`, () => {
    const ws = nginxBlock(nginxDirectives, new RegExp(`location\\s*=\\s*${WEBSOCKET_PATH}\\s*\\{`));
    for (const directive of ["proxy_read_timeout", "proxy_send_timeout"]) {
      const seconds = Number(new RegExp(`${directive}\\s+(\\d+)s\\s*;`).exec(ws)?.[1]);
      expect(seconds, directive).toBeGreaterThan(WEBSOCKET_PING_INTERVAL_MS / 1000);
    }
  });

  it("sends the client's address and scheme the way Loom reads them, and drops a client's Forwarded", () => {
    const https = nginxBlock(nginxDirectives, /server\s*\{(?=\s*listen\s+443\s+ssl)/);
    expect(https).toMatch(/proxy_set_header\s+X-Forwarded-For\s+\$proxy_add_x_forwarded_for\s*;/);
    expect(https).toMatch(/proxy_set_header\s+X-Forwarded-Proto\s+\$scheme\s*;/);
    expect(https).toMatch(/proxy_set_header\s+Host\s+\$host\s*;/);
    expect(https).toMatch(/proxy_set_header\s+Forwarded\s+""\s*;/);
    expect(https).toMatch(/location\s*=\s*\/metrics\s*\{\s*return\s+404\s*;/);
  });

  it(`sends telnet to telnet.port (${defaults.telnet.port}) with proxy_protocol on, in every stream server`, () => {
    const stream = nginxBlock(nginxDirectives, /^stream\s*\{/m);
    expect(nginxBlock(stream, /upstream\s+loom_telnet\s*\{/)).toMatch(new RegExp(`server\\s+127\\.0\\.0\\.1:${defaults.telnet.port}\\s*;`));
    const servers = stream.match(/server\s*\{/g) ?? [];
    expect(servers.length).toBeGreaterThan(0);
    expect((stream.match(/proxy_protocol\s+on\s*;/g) ?? []).length).toBe(servers.length);
  });

  it("tells the operator to trust the address it connects from, and Loom's config takes those settings", () => {
    const settings = loomSettingsIn(nginxConf);
    // nginx reaches Loom on 127.0.0.1, so its connections come from there.
    expect(new AddressAllowList(settings.proxy.trusted).allows("127.0.0.1")).toBe(true);
    expect(settings.host).toBe("127.0.0.1");
    const config = loadConfig({ argv: [], env: {}, cwd: root, overrides: { host: settings.host, proxy: { trusted: settings.proxy.trusted, headerTimeoutSeconds: 5 } } });
    expect(config.proxy.trusted).toEqual(["127.0.0.1"]);
  });
});

describe("docs/deploy/Caddyfile matches Loom", () => {
  const directives = caddyfile.replace(/#[^\n]*/g, "");

  it(`proxies to http.port (${defaults.http.port}), strips a client's Forwarded and closes /metrics`, () => {
    expect(directives).toMatch(new RegExp(`reverse_proxy\\s+127\\.0\\.0\\.1:${defaults.http.port}\\s*\\{`));
    expect(directives).toMatch(/header_up\s+-Forwarded\b/);
    expect(directives).toMatch(/respond\s+\/metrics\s+404/);
    // Caddy would cut a WebSocket idle past a read timeout; none is set, and Loom's ping keeps it alive.
    expect(directives).not.toMatch(/read_timeout|stream_timeout/);
  });

  it("tells the operator to trust the address it connects from", () => {
    const settings = loomSettingsIn(caddyfile);
    expect(new AddressAllowList(settings.proxy.trusted).allows("127.0.0.1")).toBe(true);
  });
});

describe("docs/web-client.md tells the same story", () => {
  it("names proxy.trusted, both samples, and what is believed", () => {
    expect(proxyDoc).toContain("proxy.trusted");
    expect(proxyDoc).toContain("docs/deploy/nginx.conf");
    expect(proxyDoc).toContain("docs/deploy/Caddyfile");
    for (const header of ["X-Forwarded-For", "X-Forwarded-Proto", "Forwarded"]) expect(proxyDoc).toContain(header);
  });
});

const nginx = findProgram("nginx");
const openssl = findProgram("openssl");

describe.skipIf(nginx === undefined || openssl === undefined)(skipTitle("nginx -t", nginx && openssl, "nginx libnginx-mod-stream openssl"), () => {
  it("accepts docs/deploy/nginx.conf, with a throwaway certificate and temporary paths", () => {
    const dir = tempDir();
    execFileSync(openssl!, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=play.example.org", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], {
      stdio: "ignore",
    });
    const copy = nginxConf
      .replaceAll("/etc/letsencrypt/live/play.example.org/fullchain.pem", join(dir, "cert.pem"))
      .replaceAll("/etc/letsencrypt/live/play.example.org/privkey.pem", join(dir, "key.pem"))
      .replace("/run/nginx.pid", join(dir, "nginx.pid"))
      .replaceAll("/var/log/nginx/", `${dir}/`)
      // nginx -t creates its temporary directories; keep them out of /var/lib/nginx.
      .replace(
        /^http\s*\{/m,
        `http {\n${["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `    ${t}_temp_path ${join(dir, t)};`).join("\n")}`,
      );
    expect(copy).not.toContain("/etc/letsencrypt");
    expect(copy).not.toContain("/var/log");
    const file = join(dir, "nginx.conf");
    writeFileSync(file, copy);
    const result = spawnSync(nginx!, ["-t", "-c", file, "-e", join(dir, "error.log")], { encoding: "utf8" });
    expect(result.stderr).toContain("test is successful");
    expect(result.status).toBe(0);
  });
});

const caddy = findProgram("caddy");

describe.skipIf(caddy === undefined)(skipTitle("caddy adapt --validate", caddy, "caddy"), () => {
  it("adapts and validates docs/deploy/Caddyfile, with the upstream Loom's http.port", () => {
    const dir = tempDir();
    // Caddy keeps certificates and its own state under XDG_DATA_HOME: not the user's.
    const env = { ...process.env, HOME: dir, XDG_DATA_HOME: join(dir, "data"), XDG_CONFIG_HOME: join(dir, "config") };
    const result = spawnSync(caddy!, ["adapt", "--config", join(root, "docs/deploy/Caddyfile"), "--adapter", "caddyfile", "--validate"], { encoding: "utf8", env });
    expect(result.stderr).not.toMatch(/"level":"(error|warn)"/);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout) as unknown;
    expect(JSON.stringify(json)).toContain(`"dial":"127.0.0.1:${defaults.http.port}"`);
  });
});
