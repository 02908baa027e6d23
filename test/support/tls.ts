/**
 * Throwaway TLS certificates and TLS test clients (issue 10): a self-signed P-256 certificate
 * made by openssl in a temporary directory, good for a day, and clients that trust anything.
 */
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import tls from "node:tls";
import WebSocket from "ws";
import { TelnetClient, WsClient } from "./clients.js";

/** A certificate and key written to `certFile` and `keyFile`, and the certificate's fingerprint. */
export interface TestCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  /** As `getPeerCertificate().fingerprint256` shows it. */
  readonly fingerprint256: string;
}

/**
 * Makes a fresh self-signed certificate for `cn` and writes it (and its key) to `cert.pem` and
 * `key.pem` in `dir`, replacing what is there: a second call is a renewal at the same paths.
 */
export function makeCertificate(dir: string, cn = "localhost"): TestCertificate {
  const certFile = path.join(dir, "cert.pem");
  const keyFile = path.join(dir, "key.pem");
  // Written beside and renamed over, as certbot does, so a reload never reads half a file.
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", `/CN=${cn}`, "-days", "1", "-keyout", `${keyFile}.new`, "-out", `${certFile}.new`],
    { stdio: "ignore" },
  );
  fs.renameSync(`${keyFile}.new`, keyFile);
  fs.renameSync(`${certFile}.new`, certFile);
  return { certFile, keyFile, fingerprint256: new X509Certificate(fs.readFileSync(certFile)).fingerprint256 };
}

/** Opens a TLS connection (trusting any certificate) and resolves once the handshake is done. */
export function connectTls(port: number, options: { localAddress?: string } = {}): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ port, host: "127.0.0.1", rejectUnauthorized: false, ...options });
    socket.once("secureConnect", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** A telnet client over TLS, as Mudlet or TinTin++ with `ssl` connect. */
export async function connectTlsTelnet(port: number): Promise<{ client: TelnetClient; socket: tls.TLSSocket }> {
  const socket = await connectTls(port);
  return { client: new TelnetClient(socket), socket };
}

/** A `loom.v1.json` WebSocket client over wss://. */
export function connectWss(port: number): Promise<WsClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${port}/ws`, ["loom.v1.json"], { rejectUnauthorized: false });
    const client = new WsClient(ws, true);
    ws.once("open", () => resolve(client));
    ws.once("error", reject);
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}
