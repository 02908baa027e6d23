/**
 * Loom's error catalog: every stable error code, in one place, and the one base class that
 * carries them. Callers branch on `code`, never on the message. A published code keeps its
 * meaning forever and is never reused for something else; retire a code by leaving it here.
 *
 * Connection endings have their own catalog (`DisconnectCodes` in src/reactor/interfaces.ts):
 * those are reasons, not failures.
 */

/** Every code a {@link LoomError} can carry, grouped by the module that raises it. */
export const ErrorCodes = [
  // src/config: the configuration is unusable; boot stops.
  "config-invalid",
  // src/world/world-file: the world definition is unusable; boot stops.
  "world-invalid",
  // src/store (see store-error.ts for each one's meaning)
  "name-taken",
  "no-such-player",
  "invalid-record",
  "wal-unavailable",
  "migration-invalid",
  "migration-failed",
  "schema-too-new",
  "name-confusable",
  // moveThing on a thing id the store does not hold
  "no-such-thing",
  // createChannel on a name that exists; a membership or history line for a channel that does not
  "channel-exists",
  "no-such-channel",
  // src/accounts
  "hasher-busy",
  // src/reactor/tls-credentials: the TLS certificate and key do not make a usable pair; boot stops.
  "tls-credentials-invalid",
] as const;

/** A stable error code. */
export type ErrorCode = (typeof ErrorCodes)[number];

/** The base of every error Loom raises on purpose. `C` narrows the codes a subclass may use. */
export class LoomError<C extends ErrorCode = ErrorCode> extends Error {
  /** The stable, machine-readable reason. */
  readonly code: C;

  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
