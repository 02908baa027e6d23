/**
 * The accounts error catalog. Callers branch on `code`, never on the message; a published code
 * keeps its meaning and is never reused.
 */

/** Every code an {@link AccountError} can carry. */
export const AccountErrorCodes = [
  /** The password hasher's queue is full (`maxQueued`): too many logins at once. Try again later. */
  "hasher-busy",
] as const;

/** An {@link AccountError} code. */
export type AccountErrorCode = (typeof AccountErrorCodes)[number];

/** An error from the accounts layer, with a stable {@link AccountErrorCode}. */
export class AccountError extends Error {
  /** The stable, machine-readable reason. */
  readonly code: AccountErrorCode;

  constructor(code: AccountErrorCode, message: string) {
    super(message);
    this.name = "AccountError";
    this.code = code;
  }
}
