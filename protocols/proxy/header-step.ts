/**
 * What one look at the first bytes of a connection decided, shared by the v1 and v2 readers
 * and the {@link ProxyHeaderParser} that drives them (kept apart so neither reader imports the
 * parser).
 */

/** One end of a proxied connection, spelt as `socket.remoteAddress` / `remotePort` would be. */
export interface ProxyEndpoint {
  readonly address: string;
  readonly port: number;
}

/**
 * A reader's verdict on the bytes so far. `headerLength` counts the header's bytes from the
 * start of the connection. `incomplete` is only ever given while the bytes are shorter than the
 * header they begin and that header is within the parser's cap, so the parser never needs to
 * hold more than the cap to get a final verdict.
 */
export type HeaderStep =
  | { readonly kind: "incomplete" }
  | { readonly kind: "invalid"; readonly reason: string }
  | {
      readonly kind: "proxied";
      readonly version: 1 | 2;
      readonly source: ProxyEndpoint;
      readonly destination: ProxyEndpoint;
      readonly headerLength: number;
    }
  | { readonly kind: "local"; readonly version: 1 | 2; readonly headerLength: number };

/** The reason for bytes that start no PROXY header at all, whichever version they resembled. */
export const NOT_PROXY_REASON = "not a PROXY protocol header";
