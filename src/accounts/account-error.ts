/**
 * The accounts error catalog. Callers branch on `code`, never on the message; a published code
 * keeps its meaning and is never reused.
 */
import { LoomError, type ErrorCode } from "../errors.js";

/** Every code an {@link AccountError} can carry (all of them in the catalog, src/errors.ts). */
export const AccountErrorCodes = [
  /** The password hasher's queue is full (`maxQueued`): too many logins at once. Try again later. */
  "hasher-busy",
] as const satisfies readonly ErrorCode[];

/** An {@link AccountError} code. */
export type AccountErrorCode = (typeof AccountErrorCodes)[number];

/** An error from the accounts layer, with a stable {@link AccountErrorCode}. */
export class AccountError extends LoomError<AccountErrorCode> {}
