/**
 * Telnet byte values: commands from RFC 854 (plus EOR from RFC 885) and the option numbers Loom
 * knows by name. Option numbers are from the IANA telnet-options registry and, for the MUD
 * extensions, from the MUD Standards pages (MSSP, MCCP2, GMCP).
 */

/** Telnet command bytes, each sent after IAC (RFC 854, "TELNET COMMAND STRUCTURE"). */
export const TelnetCommand = {
  /** End of record (RFC 885), sent after a prompt when the EOR option is on. */
  EOR: 239,
  /** End of subnegotiation parameters. */
  SE: 240,
  /** No operation; also a cheap keepalive probe. */
  NOP: 241,
  /** Data mark, the data-stream part of a Synch. */
  DM: 242,
  /** Break. */
  BRK: 243,
  /** Interrupt process. */
  IP: 244,
  /** Abort output. */
  AO: 245,
  /** Are you there. */
  AYT: 246,
  /** Erase character. */
  EC: 247,
  /** Erase line. */
  EL: 248,
  /** Go ahead: "your turn", sent after a prompt unless SGA is on. */
  GA: 249,
  /** Start of subnegotiation: `IAC SB option … IAC SE` (RFC 855). */
  SB: 250,
  WILL: 251,
  WONT: 252,
  DO: 253,
  DONT: 254,
  /** Interpret as command. Doubled (`IAC IAC`) it is a literal 0xFF data byte. */
  IAC: 255,
} as const;

/** The IAC byte, used on its own often enough to deserve a name. */
export const IAC = TelnetCommand.IAC;

/** Option numbers Loom knows by name. Any other number is refused (hardening T2). */
export const TelnetOptionCode = {
  /** RFC 857. Server WILL ECHO turns the client's local echo off (used for passwords). */
  ECHO: 1,
  /** RFC 858, suppress go-ahead. */
  SGA: 3,
  /** RFC 1091, terminal type; MUDs cycle it for MTTS. */
  TTYPE: 24,
  /** RFC 885, end of record. */
  EOR: 25,
  /** RFC 1073, negotiate about window size. */
  NAWS: 31,
  /** RFC 2066, character set. */
  CHARSET: 42,
  /** MUD Server Status Protocol. */
  MSSP: 70,
  /** MUD Client Compression Protocol v2. */
  MCCP2: 86,
  /** Generic MUD Communication Protocol. */
  GMCP: 201,
} as const;

/** The four option negotiation verbs (RFC 854, RFC 1143). */
export const NegotiationVerbs = ["DO", "DONT", "WILL", "WONT"] as const;
/** One of {@link NegotiationVerbs}. */
export type NegotiationVerb = (typeof NegotiationVerbs)[number];

/** The command byte of each negotiation verb. */
export const VerbByte = {
  DO: TelnetCommand.DO,
  DONT: TelnetCommand.DONT,
  WILL: TelnetCommand.WILL,
  WONT: TelnetCommand.WONT,
} as const satisfies Record<NegotiationVerb, number>;

/** Qualifier bytes inside TTYPE subnegotiations (RFC 1091). */
export const TtypeQualifier = {
  IS: 0,
  SEND: 1,
} as const;

/** The first byte of a CHARSET subnegotiation (RFC 2066, "Command Names and Codes"). */
export const CharsetCommand = {
  REQUEST: 1,
  ACCEPTED: 2,
  REJECTED: 3,
  TTABLE_IS: 4,
  TTABLE_REJECTED: 5,
  TTABLE_ACK: 6,
  TTABLE_NAK: 7,
} as const;

/** Separator bytes inside MSSP subnegotiations (tintin.mudhalla.net/protocols/mssp). */
export const MsspMarker = {
  /** Starts a variable name. */
  VAR: 1,
  /** Starts one of the variable's values; repeated for an array. */
  VAL: 2,
} as const;

const OPTION_NAMES = new Map<number, string>(
  Object.entries(TelnetOptionCode).map(([name, code]) => [code, name]),
);

/** A readable name for an option number, for error messages: `NAWS`, or `option 99`. */
export function optionName(option: number): string {
  return OPTION_NAMES.get(option) ?? `option ${option}`;
}
