/**
 * The `json.mudstandards.org` envelope: a text frame holding `{"proto":…,"id":…,"data":…}`,
 * where `proto` names the protocol, `id` further specifies the content (a GMCP message name) and
 * `data` is the payload as a string "to be decoded into whatever the protocol expects"
 * (https://mudstandards.org/websocket/#json). Pure: text in, what it asks for out.
 *
 * The door reads two protocols in envelopes and ignores the rest:
 * - `gmcp`: `id` is the message name, `data` its JSON payload as text (`""`: none).
 * - `telnet_31` (NAWS, telnet option 31, the spec's own example): `data` is the base64 of the
 *   four NAWS bytes (width, height, 16-bit big-endian), or of the whole `IAC SB NAWS … IAC SE`.
 */
import { GMCP_NAME_PATTERN, MAX_GMCP_NAME_LENGTH } from "../../src/session/gmcp-packages.js";
import type { GmcpMessage } from "../gmcp/gmcp-message.js";

/** The `proto` of GMCP envelopes. */
export const GMCP_PROTO = "gmcp";
/** The `proto` of NAWS envelopes: telnet option 31. */
export const NAWS_PROTO = "telnet_31";

/** A `json.mudstandards.org` envelope as the server writes it. */
export interface JsonEnvelope {
  readonly proto: string;
  readonly id?: string;
  readonly data: string;
}

/** What one envelope from the client asks for. */
export type EnvelopeRead =
  | { readonly type: "gmcp"; readonly message: GmcpMessage }
  /** A window size as NAWS reports it: raw, unsanitised, 0 meaning unknown (RFC 1073). */
  | { readonly type: "naws"; readonly width: number; readonly height: number }
  | { readonly type: "ignored"; readonly why: string };

const IAC = 0xff;
const SB = 0xfa;
const SE = 0xf0;
const NAWS = 31;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Reads one envelope. Lenient where it costs nothing: `data` that is already a JSON value rather
 * than a string holding one is taken as the payload. Never throws.
 */
export function parseEnvelope(text: string): EnvelopeRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { type: "ignored", why: "not JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { type: "ignored", why: "not a JSON object" };
  const { proto, id, data } = value as { proto?: unknown; id?: unknown; data?: unknown };
  if (typeof proto !== "string") return { type: "ignored", why: "no proto" };
  switch (proto.toLowerCase()) {
    case GMCP_PROTO:
      return readGmcp(id, data);
    case NAWS_PROTO:
      return readNaws(data);
    default:
      // Not quoted: a log line must not be a place a stranger can write to.
      return { type: "ignored", why: "a proto the server does not read" };
  }
}

function readGmcp(id: unknown, data: unknown): EnvelopeRead {
  if (typeof id !== "string" || id.length > MAX_GMCP_NAME_LENGTH || !GMCP_NAME_PATTERN.test(id)) return { type: "ignored", why: "gmcp: id is not a GMCP message name" };
  if (data === undefined || data === "") return { type: "gmcp", message: { name: id, data: undefined } };
  if (typeof data !== "string") return { type: "gmcp", message: { name: id, data } };
  try {
    return { type: "gmcp", message: { name: id, data: JSON.parse(data) as unknown } };
  } catch {
    return { type: "ignored", why: `gmcp ${id}: data is not JSON` };
  }
}

function readNaws(data: unknown): EnvelopeRead {
  if (typeof data !== "string" || data.length > 64 || !BASE64.test(data)) return { type: "ignored", why: "telnet_31: data is not base64" };
  let bytes: Uint8Array = Buffer.from(data, "base64");
  if (bytes.length > 4 && bytes[0] === IAC && bytes[1] === SB && bytes[2] === NAWS && bytes.at(-2) === IAC && bytes.at(-1) === SE) {
    bytes = unescapeIac(bytes.subarray(3, -2));
  }
  if (bytes.length !== 4) return { type: "ignored", why: "telnet_31: not a NAWS payload" };
  return { type: "naws", width: (bytes[0]! << 8) | bytes[1]!, height: (bytes[2]! << 8) | bytes[3]! };
}

/** Inside a subnegotiation a data byte 255 is sent twice (RFC 854). */
function unescapeIac(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    out.push(bytes[i]!);
    if (bytes[i] === IAC && bytes[i + 1] === IAC) i++;
  }
  return Uint8Array.from(out);
}

/**
 * The envelope of one GMCP message: `{"proto":"gmcp","id":name,"data":"<json>"}`, `data` being
 * `""` when there is no payload. Undefined when `data` cannot be serialised.
 */
export function formatGmcpEnvelope(name: string, data: unknown): string | undefined {
  let payload = "";
  if (data !== undefined) {
    try {
      const json = JSON.stringify(data);
      if (json === undefined) return undefined;
      payload = json;
    } catch {
      return undefined;
    }
  }
  const envelope: JsonEnvelope = { proto: GMCP_PROTO, id: name, data: payload };
  return JSON.stringify(envelope);
}
