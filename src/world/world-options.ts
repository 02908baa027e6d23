/**
 * The world's settings: the operator's, from `limits` and `accounts` in the configuration,
 * passed to the world at boot (src/server.ts) and read by the services it composes.
 */

/**
 * World settings: the operator's, from `limits` and `accounts` in the configuration. Every one
 * is required, so the defaults are written once, in config/default.yaml (issue 10); tests take
 * them from there too (test/support/default-config.ts).
 */
export interface WorldOptions {
  /** Seconds a connection may take to log in before it is closed (hardening F6). */
  readonly loginTimeoutSeconds: number;
  /** Seconds a logged-in player may type nothing before being disconnected (hardening F8); 0 is off. */
  readonly idleTimeoutSeconds: number;
  /** Seconds before that disconnection the player is warned; 0 sends no warning. */
  readonly idleWarningSeconds: number;
  /** Login attempts per minute on one account from one address key (hardening A2). */
  readonly failedLoginsPerMinute: number;
  /** Login attempts per minute from one address key, across accounts (hardening A2). */
  readonly failedLoginsPerAddressPerMinute: number;
  /** Attempts on one account from addresses it was not used from before the backoff (issue 5 item 5). */
  readonly accountFreeAttempts: number;
  /** The longest backoff delay on one account, in seconds (issue 5 item 5). */
  readonly accountBackoffMaxSeconds: number;
  /** Characters one address may create per hour (hardening A3). */
  readonly creationsPerHour: number;
  /** Seconds a resume token lives from its issue (issue 9, docs/web-client.md, "Resume tokens"). */
  readonly resumeTokenSeconds: number;
  /** Live resume tokens per character; one more drops the oldest (issue 9). */
  readonly maxResumeTokensPerPlayer: number;
  /** Tells per second, sustained, per sender and per recipient (issue 5 item 9). */
  readonly tellsPerSecond: number;
  /** Tells at once before that rate applies, per sender and per recipient. */
  readonly tellBurst: number;
  /** Channel posts per second, sustained, per sender (hardening F2). */
  readonly channelPostsPerSecond: number;
  /** Channel posts at once before that rate applies, per sender. */
  readonly channelBurst: number;
  /** More people than this in a room and its comings and goings are told once a second as a summary (issue 11, docs/crowds.md); 0: never. */
  readonly crowdThreshold: number;
}
