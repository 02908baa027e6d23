/**
 * Issue 10: optional TLS doors. A TLS telnet client (as Mudlet, MUSHclient or TinTin++ connect
 * with SSL on) and a wss:// client play together; a reload with a renewed certificate keeps both
 * sessions and serves the new certificate to the next client; a bad new pair keeps the old one;
 * and without TLS nothing more listens and a reload has nothing to do.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load-config.js";
import { TlsCredentialsError } from "../../src/reactor/tls-credentials.js";
import { startServer } from "../../src/server.js";
import { createLogger } from "../../src/logging.js";
import type { TextClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { removeDir, startTestServer, stopTestServer, type TestServer } from "../support/server-harness.js";
import { connectTls, connectTlsTelnet, connectWss, makeCertificate } from "../support/tls.js";

let server: TestServer | undefined;
let dir: string | undefined;
const open: { close(): void }[] = [];

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await stopTestServer(server);
  server = undefined;
  if (dir !== undefined) removeDir(dir);
  dir = undefined;
});

function certDir(): string {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "loom-tls-"));
  return dir;
}

function tlsEnv(certFile: string, keyFile: string): Record<string, string> {
  return { LOOM_TLS_CERT: certFile, LOOM_TLS_KEY: keyFile, LOOM_TELNET_TLS_PORT: "0", LOOM_HTTPS_PORT: "0" };
}

async function login(client: TextClient, name: string): Promise<void> {
  await client.expect("Your name:");
  client.send(`create ${name} pw-${name}`);
  await client.expect(`Welcome, ${name}.`);
}

async function fingerprintAt(port: number): Promise<string> {
  const socket = await connectTls(port);
  const fingerprint = socket.getPeerCertificate().fingerprint256;
  socket.destroy();
  return fingerprint;
}

describe("issue 10: TLS doors", () => {
  it("a TLS telnet client and a wss:// client play; a reload keeps them and serves the new certificate next", async () => {
    const first = makeCertificate(certDir(), "loom-first");
    server = await startTestServer({ env: tlsEnv(first.certFile, first.keyFile), overrides: { tls: { enabled: true } } });
    const telnetTls = server.ports.telnetTls;
    const https = server.ports.https;
    expect(telnetTls).toBeGreaterThan(0);
    expect(https).toBeGreaterThan(0);
    if (telnetTls === undefined || https === undefined) return;

    const { client: telnet, socket } = await connectTlsTelnet(telnetTls);
    open.push(telnet);
    expect(socket.getPeerCertificate().fingerprint256).toBe(first.fingerprint256);
    const web = await connectWss(https);
    open.push(web);
    const names = { telnet: uniqueName("tls"), web: uniqueName("wss") };
    await login(telnet, names.telnet);
    await login(web, names.web);

    telnet.send("say over TLS");
    await telnet.expect('You say, "over TLS"');
    await web.expect(`${names.telnet} says, "over TLS"`);
    web.send("say over wss");
    await telnet.expect(`${names.web} says, "over wss"`);
    telnet.send("look");
    await telnet.expect(names.web);

    // Renewed at the same paths, then reloaded (what SIGHUP does).
    const second = makeCertificate(dir!, "loom-second");
    expect(second.fingerprint256).not.toBe(first.fingerprint256);
    const reloaded = server.reloadTls();
    expect(reloaded).toMatchObject({ ok: true, certificate: { fingerprint256: second.fingerprint256 } });

    // Both sessions are untouched, and still each other's audience.
    telnet.mark();
    web.mark();
    telnet.send("say still here");
    await web.expect(`${names.telnet} says, "still here"`);
    web.send("say me too");
    await telnet.expect(`${names.web} says, "me too"`);
    expect(socket.getPeerCertificate().fingerprint256).toBe(first.fingerprint256);

    // The next client on either TLS door gets the new certificate, and plays.
    expect(await fingerprintAt(telnetTls)).toBe(second.fingerprint256);
    expect(await fingerprintAt(https)).toBe(second.fingerprint256);
    const { client: next } = await connectTlsTelnet(telnetTls);
    open.push(next);
    await login(next, uniqueName("tlsnext"));
  });

  it("a reload whose new files do not load keeps the old certificate, and says why", async () => {
    const first = makeCertificate(certDir());
    server = await startTestServer({ env: tlsEnv(first.certFile, first.keyFile), overrides: { tls: { enabled: true } } });
    fs.writeFileSync(first.certFile, "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
    const result = server.reloadTls();
    expect(result.ok).toBe(false);
    if (!result.ok && "error" in result) expect(result.error.message).toContain(first.certFile);
    expect(await fingerprintAt(server.ports.telnetTls!)).toBe(first.fingerprint256);
    expect(await fingerprintAt(server.ports.https!)).toBe(first.fingerprint256);
    // A key that is not the certificate's is refused too.
    const other = makeCertificate(fs.mkdtempSync(path.join(dir!, "other-")));
    makeCertificate(dir!);
    fs.copyFileSync(other.keyFile, first.keyFile);
    const mismatched = server.reloadTls();
    expect(mismatched.ok).toBe(false);
    if (!mismatched.ok && "error" in mismatched) expect(mismatched.error.message).toMatch(/key values mismatch|not a usable/);
    expect(await fingerprintAt(server.ports.telnetTls!)).toBe(first.fingerprint256);
  });

  it("F3 on the TLS telnet door: one past the per-address cap is told so over TLS and closed", async () => {
    const cert = makeCertificate(certDir());
    server = await startTestServer({ env: tlsEnv(cert.certFile, cert.keyFile), overrides: { tls: { enabled: true }, limits: { maxConnectionsPerAddress: 1 } } });
    const { client: first } = await connectTlsTelnet(server.ports.telnetTls!);
    open.push(first);
    await first.expect("Your name:");
    const { client: second } = await connectTlsTelnet(server.ports.telnetTls!);
    open.push(second);
    await second.expect("Too many connections from your address.");
    await second.closed;
  });

  it("the default stays plain: no TLS door listens, and a reload has nothing to do", async () => {
    server = await startTestServer();
    expect(server.ports.telnetTls).toBeUndefined();
    expect(server.ports.https).toBeUndefined();
    expect(server.reloadTls()).toEqual({ ok: false, off: true });
  });
});

describe("issue 10: TLS settings are checked at boot", () => {
  const load = (env: Record<string, string>) => () =>
    loadConfig({ argv: [], env: { LOOM_LOG_LEVEL: "silent", ...env }, overrides: { tls: { enabled: true } } });

  it("enabled without files names both keys", () => {
    expect(load({})).toThrow(/tls\.certFile: must be set when tls\.enabled is true[\s\S]*tls\.keyFile: must be set/);
  });

  it("a file that cannot be read names its key, path and variable", () => {
    const missing = path.join(certDir(), "nope.pem");
    const cert = makeCertificate(dir!);
    expect(load({ LOOM_TLS_CERT: missing, LOOM_TLS_KEY: cert.keyFile })).toThrow(
      `config: tls.certFile: cannot read ${missing}: no such file (from LOOM_TLS_CERT=${JSON.stringify(missing)})`,
    );
  });

  it("a certificate and a key that do not match stop the server before anything listens", async () => {
    const a = makeCertificate(certDir());
    const b = makeCertificate(fs.mkdtempSync(path.join(dir!, "b-")));
    const config = loadConfig({
      argv: [],
      env: { ...tlsEnv(a.certFile, b.keyFile), LOOM_HOST: "127.0.0.1", LOOM_TELNET_PORT: "0", LOOM_LINE_PORT: "0", LOOM_HTTP_PORT: "0", LOOM_DATA_DIR: path.join(dir!, "data") },
      overrides: { tls: { enabled: true } },
    });
    await expect(startServer(config, { logger: createLogger("silent") })).rejects.toThrow(TlsCredentialsError);
  });
});
