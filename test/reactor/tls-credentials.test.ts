/**
 * Issue 10: the TLS doors' certificate holder. It loads a PEM pair, refuses a pair that does not
 * load (naming the file), and on reload swaps only to a pair that loads, telling its listeners.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TlsCredentials, TlsCredentialsError } from "../../src/reactor/tls-credentials.js";
import { makeCertificate } from "../support/tls.js";

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
function tempDir(): string {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "loom-tls-unit-"));
  return dir;
}

describe("TlsCredentials", () => {
  it("loads a pair and describes its certificate", () => {
    const cert = makeCertificate(tempDir(), "unit.example");
    const credentials = TlsCredentials.load(cert);
    expect(credentials.certificate).toMatchObject({ subject: "CN=unit.example", fingerprint256: cert.fingerprint256 });
    expect(Date.parse(credentials.certificate.validTo)).toBeGreaterThan(Date.now());
    expect(credentials.pem.cert.toString()).toContain("BEGIN CERTIFICATE");
  });

  it("a missing file is a TlsCredentialsError naming the key and the path", () => {
    const cert = makeCertificate(tempDir());
    const missing = path.join(dir!, "missing.pem");
    expect(() => TlsCredentials.load({ certFile: cert.certFile, keyFile: missing })).toThrow(
      new TlsCredentialsError("tls-credentials-invalid", `tls: tls.keyFile: cannot read ${missing}: ENOENT`),
    );
  });

  it("a key that is not the certificate's is refused", () => {
    const a = makeCertificate(tempDir());
    const b = makeCertificate(fs.mkdtempSync(path.join(dir!, "b-")));
    expect(() => TlsCredentials.load({ certFile: a.certFile, keyFile: b.keyFile })).toThrow(/not a usable certificate and key/);
  });

  it("reload swaps to a renewed pair, tells listeners, and keeps the old one when the new one is bad", () => {
    const first = makeCertificate(tempDir());
    const credentials = TlsCredentials.load(first);
    const firstContext = credentials.context;
    let told = 0;
    const stop = credentials.onReload(() => told++);

    const second = makeCertificate(dir!);
    expect(credentials.reload()).toMatchObject({ ok: true, certificate: { fingerprint256: second.fingerprint256 } });
    expect(credentials.certificate.fingerprint256).toBe(second.fingerprint256);
    expect(credentials.context).not.toBe(firstContext);
    expect(told).toBe(1);

    fs.writeFileSync(second.keyFile, "garbage");
    const failed = credentials.reload();
    expect(failed.ok).toBe(false);
    expect(credentials.certificate.fingerprint256).toBe(second.fingerprint256);
    expect(told).toBe(1);

    stop();
    makeCertificate(dir!);
    expect(credentials.reload().ok).toBe(true);
    expect(told).toBe(1);
  });
});
