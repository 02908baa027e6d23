/**
 * The shape of Loom's configuration, checked once at boot. Every key is required here: the
 * defaults live in `config/default.yaml` (one place, commented), and the loader merges an
 * operator's file and the environment over them before this schema sees anything. Objects
 * are strict, so a misspelt key is an error rather than a silently ignored setting.
 */
import { z } from "zod";

/** The log levels pino knows, plus `silent`. */
export const LogLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
/** One of {@link LogLevels}. */
export type LogLevel = (typeof LogLevels)[number];

/** An integer in `[min, max]`, with one message for every way of missing it. */
function integer(min: number, max: number): z.ZodNumber {
  const error = `must be an integer from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/** A number of seconds: positive, at most `max`. Fractions are allowed (tests use short timeouts). */
function seconds(max: number): z.ZodNumber {
  const error = `must be a number of seconds above 0 and at most ${max}`;
  return z.number({ error }).gt(0, { error }).max(max, { error });
}

const portError = "must be an integer from 0 to 65535";

/**
 * A TCP port; 0 asks the OS for a free one. Strings of digits are accepted (environment
 * variables are strings). `z.coerce.number()` is not used because it reads "" and " " as 0,
 * which would silently turn an empty variable into "pick any port".
 */
const port = z.preprocess(
  (value) => (typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value),
  z.number({ error: portError }).int({ error: portError }).min(0, { error: portError }).max(65535, { error: portError }),
);

/** A non-empty path; relative paths are resolved against the working directory by the loader. */
const path = z.string({ error: "must be a path" }).trim().min(1, { error: "must be a non-empty path" });

/** A browser origin: scheme, host and optional port, nothing else (`https://play.example.com`). */
const origin = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.origin === value;
    } catch {
      return false;
    }
  },
  { error: 'must be an origin such as "https://play.example.com" (scheme and host, no path or trailing slash)' },
);

/** The configuration schema. See `config/default.yaml` for every default and what it is for. */
export const configSchema = z
  .strictObject({
    /** Address every listener binds. Default `0.0.0.0`. */
    host: z.string({ error: "must be a host name or address" }).trim().min(1, { error: "must be a host name or address" }),
    /** Telnet door. Default port 4000. */
    telnet: z.strictObject({ port }),
    /** Raw line door. Default port 4001. */
    line: z.strictObject({ port }),
    /** HTTP + WebSocket door. Default port 8080; no extra origins. */
    http: z.strictObject({
      port,
      /** Origins allowed to open `/ws` besides the page's own host (W3). Default `[]`. */
      allowedOrigins: z.array(origin, { error: "must be a list of origins" }),
    }),
    /** Where the SQLite database lives. Default `./data`. */
    dataDir: path,
    /** The directory of world YAML files. Default `./config/world`. */
    worldDir: path,
    log: z.strictObject({
      /** Default `info`. */
      level: z.enum(LogLevels, { error: `must be one of ${LogLevels.join(", ")}` }),
    }),
    /** Every buffer and rate limit, by its hardening case. */
    limits: z.strictObject({
      /** L2: longest accepted input line in bytes. Default 2048. */
      maxLineBytes: integer(16, 1 << 20),
      /** L3: bytes without a newline before the connection is closed. Default 16384. */
      maxInputBufferBytes: integer(16, 16 << 20),
      /** S1/S2: queued output per connection before it is cut off. Default 1 MiB. */
      maxOutputBytes: integer(256, 1 << 30),
      /** W1: largest WebSocket message. Default 65536. */
      maxWebSocketPayload: integer(16, 16 << 20),
      /** T4: largest telnet subnegotiation. Default 8192. */
      maxSubnegotiationBytes: integer(16, 1 << 20),
      /** F6: seconds a connection may take to log in. Default 60. */
      loginTimeoutSeconds: seconds(86_400),
      /** F1: sustained commands per second per session. Default 20. */
      commandsPerSecond: integer(1, 10_000),
      /** F1: commands a session may send at once before the rate applies. Default 40. */
      commandBurst: integer(1, 100_000),
      /** F3: simultaneous connections from one address. Default 10. */
      maxConnectionsPerAddress: integer(1, 1_000_000),
      /** F5: simultaneous connections in all. Default 5000. */
      maxConnections: integer(1, 1_000_000),
    }),
    shutdown: z.strictObject({
      /** D4: seconds SIGTERM waits for players to be told and state saved. Default 10. */
      graceSeconds: seconds(3600),
    }),
    accounts: z.strictObject({
      /** A5: argon2 hashes computed at once. Default 2. */
      hashConcurrency: integer(1, 64),
      /** A2: failed logins allowed per address, and per account, per minute. Default 5. */
      failedLoginsPerMinute: integer(1, 10_000),
      /** A3: characters one address may create per hour. Default 5. */
      creationsPerHour: integer(1, 100_000),
    }),
  })
  .superRefine(
    (config, ctx) => {
      // A line limit above the buffer limit could never fire: the connection would be closed (L3)
      // before the line was refused (L2). The issue names the key to change.
      const { limits } = config;
      if (limits.maxLineBytes > limits.maxInputBufferBytes) {
        ctx.addIssue({
          code: "custom",
          path: ["limits", "maxLineBytes"],
          message: `must not exceed limits.maxInputBufferBytes (${limits.maxInputBufferBytes}), or a long line could never be refused politely`,
        });
      }
    },
    // Only compare values that are themselves valid; zod would otherwise run this on a
    // half-checked object and report "must not exceed -5" beside the real problem.
    { when: (payload) => payload.issues.length === 0 },
  );

/** Makes every property and array of `T` readonly, all the way down. */
export type DeepReadonly<T> = T extends readonly (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * Loom's validated configuration: deeply frozen, ports as numbers, `dataDir` and `worldDir`
 * absolute. Produced only by `loadConfig`; passed in to whatever needs it.
 */
export type Config = DeepReadonly<z.infer<typeof configSchema>>;

/**
 * What a test or an embedding program may override, after files and environment: any part
 * of the configuration, with the same types the YAML accepts.
 */
export type ConfigOverrides = DeepPartial<z.input<typeof configSchema>>;

/** Makes every property of `T` optional, all the way down (arrays are replaced, not merged). */
export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
