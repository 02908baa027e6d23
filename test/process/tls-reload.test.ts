/**
 * Issue 10 on the real process: `kill -HUP` re-reads the TLS certificate. A player connected
 * over TLS keeps playing, the next client is served the renewed certificate, and the log says
 * which certificate is now in use. Without TLS, SIGHUP is logged and the server lives on.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, expect, it } from "vitest";
import { LineClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { connectTls, connectTlsTelnet, makeCertificate } from "../support/tls.js";
import { ensureBuilt, LoomProcess, makeTempDir, removeTempDir } from "./support/loom-process.js";

let proc: LoomProcess | undefined;
let dir: string | undefined;
const open: { close(): void }[] = [];

beforeAll(() => ensureBuilt(), 120_000);

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await proc?.kill();
  proc = undefined;
  if (dir !== undefined) removeTempDir(dir);
  dir = undefined;
});

it("SIGHUP with a renewed certificate keeps the TLS player and serves the new certificate next", async () => {
  dir = makeTempDir("loom-tls-hup");
  const first = makeCertificate(dir, "loom-first");
  const configFile = path.join(dir, "tls.yaml");
  fs.writeFileSync(configFile, "tls:\n  enabled: true\n");
  proc = LoomProcess.spawn({
    dataDir: path.join(dir, "data"),
    args: ["--config", configFile],
    env: { LOOM_TLS_CERT: first.certFile, LOOM_TLS_KEY: first.keyFile, LOOM_TELNET_TLS_PORT: "0", LOOM_HTTPS_PORT: "0" },
  });
  const ports = (await proc.ready()) as unknown as { telnetTls: number; https: number };

  const { client, socket } = await connectTlsTelnet(ports.telnetTls);
  open.push(client);
  expect(socket.getPeerCertificate().fingerprint256).toBe(first.fingerprint256);
  const name = uniqueName("hup");
  await client.expect("Your name:");
  client.send(`create ${name} pw-${name}`);
  await client.expect(`Welcome, ${name}.`);

  const second = makeCertificate(dir, "loom-second");
  proc.signal("SIGHUP");
  const reloaded = await proc.waitForLog((r) => r.msg === "tls certificate reloaded", '"tls certificate reloaded"');
  expect(reloaded).toMatchObject({ subject: "CN=loom-second", fingerprint256: second.fingerprint256 });
  expect(typeof reloaded.validTo).toBe("string");

  client.mark();
  client.send("say after the reload");
  await client.expect('You say, "after the reload"');
  for (const port of [ports.telnetTls, ports.https]) {
    const next = await connectTls(port);
    expect(next.getPeerCertificate().fingerprint256).toBe(second.fingerprint256);
    next.destroy();
  }
  expect(proc.running).toBe(true);
}, 30_000);

it("without TLS, SIGHUP is logged as nothing to reload and the server keeps serving", async () => {
  dir = makeTempDir("loom-tls-hup");
  proc = LoomProcess.spawn({ dataDir: path.join(dir, "data") });
  const ports = await proc.ready();
  proc.signal("SIGHUP");
  await proc.waitForLog((r) => r.msg === "SIGHUP: TLS is not enabled, nothing to reload", "the SIGHUP line");
  const client = await LineClient.connect(ports.line);
  open.push(client);
  await client.expect("Your name:");
  expect(proc.running).toBe(true);
}, 30_000);

it("TLS on with a missing certificate, or a key that is not its own, stops boot with a line naming it", async () => {
  dir = makeTempDir("loom-tls-boot");
  const a = makeCertificate(fs.mkdtempSync(path.join(dir, "a-")));
  const b = makeCertificate(fs.mkdtempSync(path.join(dir, "b-")));
  const configFile = path.join(dir, "tls.yaml");
  fs.writeFileSync(configFile, "tls:\n  enabled: true\n");
  const missing = path.join(dir, "missing.pem");
  for (const [cert, key, expected] of [
    [missing, a.keyFile, `config: tls.certFile: cannot read ${missing}: no such file (from LOOM_TLS_CERT=${JSON.stringify(missing)})`],
    [a.certFile, b.keyFile, `tls: ${a.certFile} and ${b.keyFile} are not a usable certificate and key`],
  ] as const) {
    proc = LoomProcess.spawn({ dataDir: path.join(dir, "data"), args: ["--config", configFile], env: { LOOM_TLS_CERT: cert, LOOM_TLS_KEY: key } });
    const exit = await proc.exited;
    expect(exit.code).toBe(1);
    expect(proc.stderr).toContain(expected);
    expect(proc.stderr).not.toMatch(/\n\s+at /);
    expect(proc.logs.map((r) => r.msg)).not.toContain("Loom is ready");
  }
}, 30_000);
