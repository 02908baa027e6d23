/**
 * The TLS doors' certificate and key (issue 10), held so they can be replaced while the server
 * runs: on SIGHUP the files are read again and, if the new pair loads, the next handshake on
 * every TLS door uses it. Connections already open keep the context they shook hands with, so a
 * reload drops nobody; a new pair that does not load changes nothing (the old one is kept).
 */
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import tls, { type SecureContext } from "node:tls";
import { LoomError } from "../errors.js";

/** Where the PEM files are (absolute paths, as the config loader resolves them). */
export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/** What a log line says about the certificate in use. */
export interface TlsCertificateInfo {
  readonly subject: string;
  readonly validTo: string;
  /** SHA-256 of the DER certificate, `AB:CD:...`, as `getPeerCertificate().fingerprint256` shows it. */
  readonly fingerprint256: string;
}

/** The certificate and key could not be read, or are not a matching PEM pair. */
export class TlsCredentialsError extends LoomError<"tls-credentials-invalid"> {}

/** The outcome of {@link TlsCredentials.reload}: the new certificate, or why the old one stays. */
export type TlsReloadResult = { readonly ok: true; readonly certificate: TlsCertificateInfo } | { readonly ok: false; readonly error: TlsCredentialsError };

/** One loaded pair: the context a handshake uses, and the PEM an https server is given. */
interface LoadedPair {
  readonly context: SecureContext;
  readonly pem: { readonly cert: Buffer; readonly key: Buffer };
  readonly certificate: TlsCertificateInfo;
}

/**
 * The current certificate and key of the TLS doors. Read only at boot and on {@link reload}:
 * files on disk may change at any time (a certbot renewal), and are trusted only once asked.
 */
export class TlsCredentials {
  readonly #files: TlsFiles;
  #current: LoadedPair;
  readonly #listeners = new Set<() => void>();

  private constructor(files: TlsFiles, pair: LoadedPair) {
    this.#files = files;
    this.#current = pair;
  }

  /** Reads the pair; throws {@link TlsCredentialsError} (naming both files) if it does not load. */
  static load(files: TlsFiles): TlsCredentials {
    return new TlsCredentials(files, loadPair(files));
  }

  /** The context the next handshake of the TLS telnet door uses. */
  get context(): SecureContext {
    return this.#current.context;
  }

  /** The current pair as PEM, for `server.setSecureContext` (the https door). */
  get pem(): { readonly cert: Buffer; readonly key: Buffer } {
    return this.#current.pem;
  }

  /** The certificate in use. */
  get certificate(): TlsCertificateInfo {
    return this.#current.certificate;
  }

  /**
   * Calls `listener` after every successful reload (the https door swaps its context there).
   * Returns a function that removes it.
   */
  onReload(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Reads the files again. If they load, they replace the pair for every handshake from now on
   * and the listeners are told; if not, the old pair stays and the error says why. Never throws.
   */
  reload(): TlsReloadResult {
    let pair: LoadedPair;
    try {
      pair = loadPair(this.#files);
    } catch (err) {
      return { ok: false, error: err instanceof TlsCredentialsError ? err : new TlsCredentialsError("tls-credentials-invalid", String(err), { cause: err }) };
    }
    this.#current = pair;
    for (const listener of this.#listeners) listener();
    return { ok: true, certificate: pair.certificate };
  }
}

function loadPair(files: TlsFiles): LoadedPair {
  const cert = readPem(files.certFile, "tls.certFile");
  const key = readPem(files.keyFile, "tls.keyFile");
  let context: SecureContext;
  let x509: X509Certificate;
  try {
    // createSecureContext checks the key against the certificate ("key values mismatch").
    context = tls.createSecureContext({ cert, key });
    x509 = new X509Certificate(cert);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new TlsCredentialsError("tls-credentials-invalid", `tls: ${files.certFile} and ${files.keyFile} are not a usable certificate and key: ${why}`, { cause: err });
  }
  return {
    context,
    pem: { cert, key },
    certificate: { subject: x509.subject.replaceAll("\n", ", "), validTo: x509.validTo, fingerprint256: x509.fingerprint256 },
  };
}

function readPem(file: string, key: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    throw new TlsCredentialsError("tls-credentials-invalid", `tls: ${key}: cannot read ${file}: ${why}`, { cause: err });
  }
}
