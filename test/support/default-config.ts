/**
 * The shipped defaults (config/default.yaml), loaded once through the real loader, for tests
 * that build a class directly: they pass the numbers the server would, read from the one place
 * the operator reads them (issue 10, "defaults once"). No environment and no --config: a
 * developer's LOOM_* variables must not change what a test sees.
 *
 * The helpers below map the configuration onto a class's options the way src/server.ts does.
 */
import type { PasswordHasherOptions } from "../../src/accounts/passwords.js";
import type { LoginGuardOptions } from "../../src/accounts/login-guard.js";
import { loadConfig } from "../../src/config/load-config.js";
import type { Config } from "../../src/config/schema.js";
import type { SessionHubOptions } from "../../src/session/session-hub.js";
import type { LineLimits } from "../../protocols/line/line-session.js";
import type { Mccp2Settings } from "../../protocols/telnet/mccp2-stream.js";
import type { TelnetDoorOptions } from "../../protocols/telnet/telnet-door.js";
import type { TelnetProtocolOptions } from "../../protocols/telnet/telnet-protocol.js";
import type { WebSocketDoorOptions } from "../../protocols/websocket/websocket-options.js";
import type { WorldOptions } from "../../src/world/world.js";

/** Every setting at its default. */
export const defaultConfig: Config = loadConfig({ argv: [], env: {} });

/** `defaultConfig.limits`, the most used part. */
export const defaultLimits: Config["limits"] = defaultConfig.limits;

/** `defaultConfig.accounts`. */
export const defaultAccounts: Config["accounts"] = defaultConfig.accounts;

/** The World's options at the defaults, as the server passes them; `overrides` replace single ones. */
export function defaultWorldOptions(overrides: Partial<WorldOptions> = {}): WorldOptions {
  const { limits, accounts } = defaultConfig;
  return {
    loginTimeoutSeconds: limits.loginTimeoutSeconds,
    idleTimeoutSeconds: limits.idleTimeoutSeconds,
    idleWarningSeconds: limits.idleWarningSeconds,
    failedLoginsPerMinute: accounts.failedLoginsPerMinute,
    failedLoginsPerAddressPerMinute: accounts.failedLoginsPerAddressPerMinute,
    accountFreeAttempts: accounts.accountFreeAttempts,
    accountBackoffMaxSeconds: accounts.accountBackoffMaxSeconds,
    creationsPerHour: accounts.creationsPerHour,
    resumeTokenSeconds: accounts.resumeTokenSeconds,
    maxResumeTokensPerPlayer: accounts.maxResumeTokensPerPlayer,
    tellsPerSecond: limits.tellsPerSecond,
    tellBurst: limits.tellBurst,
    channelPostsPerSecond: limits.channelPostsPerSecond,
    channelBurst: limits.channelBurst,
    crowdThreshold: limits.crowdThreshold,
    ...overrides,
  };
}

/** The login guard's limits at the defaults (add `clock`). */
export const defaultLoginLimits: Omit<LoginGuardOptions, "clock" | "maxEntries"> = Object.freeze({
  failedLoginsPerMinute: defaultAccounts.failedLoginsPerMinute,
  failedLoginsPerAddressPerMinute: defaultAccounts.failedLoginsPerAddressPerMinute,
  accountFreeAttempts: defaultAccounts.accountFreeAttempts,
  accountBackoffMaxSeconds: defaultAccounts.accountBackoffMaxSeconds,
  creationsPerHour: defaultAccounts.creationsPerHour,
});

/** The password hasher's queue limits at the defaults. */
export const defaultHasherLimits: Pick<PasswordHasherOptions, "maxConcurrent" | "maxQueued" | "maxQueuedPerOwner"> = Object.freeze({
  maxConcurrent: defaultAccounts.hashConcurrency,
  maxQueued: defaultAccounts.maxQueuedHashes,
  maxQueuedPerOwner: defaultAccounts.maxQueuedHashesPerAddress,
});

/** The session hub's limits at the defaults. */
export const defaultHubOptions: SessionHubOptions = Object.freeze({
  commandsPerSecond: defaultLimits.commandsPerSecond,
  commandBurst: defaultLimits.commandBurst,
  chatterBacklogBytes: Math.floor(defaultLimits.maxOutputBytes * defaultLimits.chatterBacklogFraction),
});

/** The TCP doors' input limits at the defaults (protocols/line/line-session.ts `LineLimits`). */
export const defaultLineLimits: LineLimits = Object.freeze({
  maxLineBytes: defaultLimits.maxLineBytes,
  maxBufferBytes: defaultLimits.maxInputBufferBytes,
  inputLinesPerTurn: defaultLimits.inputLinesPerTurn,
  inputBytesPerTurn: defaultLimits.inputBytesPerTurn,
});

/**
 * A TelnetProtocol's required limits at the defaults, keep-alive off: a test that wants NOPs
 * sets `keepaliveSeconds` and a FakeClock itself.
 */
export const defaultTelnetLimits: Pick<TelnetProtocolOptions, "maxSubnegotiationBytes" | "keepaliveSeconds"> = Object.freeze({
  maxSubnegotiationBytes: defaultLimits.maxSubnegotiationBytes,
  keepaliveSeconds: 0,
});

/** The WebSocket door's options at the defaults, as the server passes them. */
export const defaultWebSocketDoorOptions: WebSocketDoorOptions = Object.freeze({
  maxPayload: defaultLimits.maxWebSocketPayload,
  maxLineBytes: defaultLimits.maxLineBytes,
  maxOutputBytes: defaultLimits.maxOutputBytes,
  allowedOrigins: defaultConfig.http.allowedOrigins,
  publicOrigins: defaultConfig.http.publicOrigins,
  closeTimeoutMs: defaultLimits.webSocketCloseTimeoutSeconds * 1000,
  inputLinesPerTurn: defaultLimits.inputLinesPerTurn,
  inputBytesPerTurn: defaultLimits.inputBytesPerTurn,
});

/** The telnet door's options at the defaults, as the server passes them (without MSSP and MCCP2). */
export const defaultTelnetDoorOptions: TelnetDoorOptions = Object.freeze({
  ...defaultLineLimits,
  maxSubnegotiationBytes: defaultLimits.maxSubnegotiationBytes,
  keepaliveSeconds: defaultLimits.telnetKeepaliveSeconds,
});

/** MCCP2's zlib settings at the defaults (`telnet.mccp2`). */
export const defaultMccp2Settings: Mccp2Settings = Object.freeze({
  windowBits: defaultConfig.telnet.mccp2.windowBits,
  memLevel: defaultConfig.telnet.mccp2.memLevel,
  level: defaultConfig.telnet.mccp2.level,
});
