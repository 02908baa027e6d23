/**
 * The shape of Loom's configuration, checked once at boot. Every key is required here: the
 * defaults live in `config/default.yaml` (one place, commented), and the loader merges an
 * operator's file and the environment over them before this schema sees anything. Objects
 * are strict, so a misspelt key is an error rather than a silently ignored setting.
 */
import { z } from "zod";
import { parseAddressRange } from "../http/address-allow-list.js";
import { LOOM_MSSP_NAMES } from "../mssp.js";

/** The log levels pino knows, plus `silent`. */
export const LogLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
/** One of {@link LogLevels}. */
export type LogLevel = (typeof LogLevels)[number];

/** How log records are written: `pretty` lines for a person, `json` lines for a machine, or `auto`. */
export const LogFormats = ["auto", "json", "pretty"] as const;
/** One of {@link LogFormats}. */
export type LogFormat = (typeof LogFormats)[number];

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

/** A share of something: above 0, at most 1. */
function fraction(): z.ZodNumber {
  const error = "must be a number above 0 and at most 1";
  return z.number({ error }).gt(0, { error }).max(1, { error });
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

/** An IP address or CIDR range (`127.0.0.1`, `10.0.0.0/8`, `fc00::/7`). */
const addressRange = z.string().refine((value) => parseAddressRange(value) !== undefined, {
  error: 'must be an IP address or CIDR range such as "10.0.0.0/8" or "fc00::/7"',
});

/**
 * Text for MSSP (issue 8): a listing shows it as it is, and MSSP cannot carry control characters
 * (its separators are bytes 1 and 2; the plain-text form splits on tabs and line ends).
 */
const msspText = z
  .string({ error: "must be text" })
  .max(256, { error: "must be at most 256 characters" })
  .refine((value) => !/[\u0000-\u001f\u007f-\u009f]/.test(value), { error: "must not contain control characters (tabs, line ends...)" });

/** An MSSP variable name of the operator's own: upper case, as the spec writes them ("PAY TO PLAY"). */
const msspName = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9 &+-]{0,63}$/, { error: 'must be an upper-case MSSP variable name such as "PAY TO PLAY"' })
  .refine((name) => !LOOM_MSSP_NAMES.has(name), { error: "is one Loom fills in itself; set it under its own key in mssp (or not at all)" });

/** The configuration schema. See `config/default.yaml` for every default and what it is for. */
export const configSchema = z
  .strictObject({
    /** Address every listener binds. Default `0.0.0.0`. */
    host: z.string({ error: "must be a host name or address" }).trim().min(1, { error: "must be a host name or address" }),
    /** Telnet door. Default port 4000. */
    telnet: z.strictObject({
      port,
      /** T10: MCCP2 compression (docs/telnet.md, "MCCP2"). Default on, windowBits 14, memLevel 5, level 6. */
      mccp2: z.strictObject({
        /** Offer WILL MCCP2 to telnet clients. Default true. */
        enabled: z.boolean({ error: "must be true or false" }),
        /** zlib's history window, log2 bytes. Default 14 (16 KiB; zlib's own default is 15). */
        windowBits: integer(9, 15),
        /** zlib's match-finder memory. Default 5 (zlib's own default is 8). */
        memLevel: integer(1, 9),
        /** zlib's compression level, 0 (store) to 9. Default 6. */
        level: integer(0, 9),
      }),
    }),
    /** Raw line door. Default port 4001. */
    line: z.strictObject({ port }),
    /** HTTP + WebSocket door. Default port 8080; no extra origins. */
    http: z.strictObject({
      port,
      /** Origins allowed to open `/ws` besides the page's own host (W3). Default `[]`. */
      allowedOrigins: z.array(origin, { error: "must be a list of origins" }),
      /**
       * The origins the game is published at (W3, issue 5 item 13). When set, an upgrade's
       * Origin must be one of these or of allowedOrigins, and the Host header (which the
       * client chooses) is no longer trusted. Default `[]`: the page's own Host is trusted.
       */
      publicOrigins: z.array(origin, { error: "must be a list of origins" }),
      /**
       * Peers allowed to read /metrics, as addresses or CIDR ranges; others get 403 (issue 5
       * item 13). `[]` closes it. Default: loopback and the private ranges.
       */
      metricsAllow: z.array(addressRange, { error: "must be a list of addresses or CIDR ranges" }),
      /** Whether `*.map` source maps are served (issue 5 item 13). Default false. */
      serveSourceMaps: z.boolean({ error: "must be true or false" }),
      /** Largest static file held in memory, in bytes; bigger ones are streamed (issue 5 item 1). Default 1 MiB. */
      staticCacheFileBytes: integer(0, 1 << 30),
      /** Most static-file bytes held in memory in all (issue 5 item 1). Default 16 MiB. */
      staticCacheTotalBytes: integer(0, 1 << 30),
    }),
    /**
     * Optional TLS doors (issue 10): a TLS telnet door and https/wss beside the plain ones,
     * from a certificate and key re-read on SIGHUP. Default off.
     */
    tls: z.strictObject({
      /** Default false: the doors stay plain. */
      enabled: z.boolean({ error: "must be true or false" }),
      /** PEM certificate chain; required when enabled; relative to the working directory. Default "". */
      certFile: z.string({ error: "must be a path" }).trim(),
      /** PEM private key; required when enabled. Default "". */
      keyFile: z.string({ error: "must be a path" }).trim(),
      /** The TLS telnet door. Default 4443. */
      telnetPort: port,
      /** https and wss://. Default 8443. */
      httpPort: port,
    }),
    /** W6: the PROXY protocol on the TCP doors (docs/tls.md), forwarding headers on the HTTP door (src/http/forwarded.ts). */
    proxy: z.strictObject({
      /**
       * Addresses and CIDR ranges of trusted proxies: their TCP connections must begin with a PROXY
       * header, and their HTTP requests' X-Forwarded-For / Forwarded are believed. Default `[]`: nobody.
       */
      trusted: z.array(addressRange, { error: "must be a list of addresses or CIDR ranges" }),
      /** Seconds a trusted connection has to send its whole header. Default 5. */
      headerTimeoutSeconds: seconds(300),
    }),
    /** Where the SQLite database lives. Default `./data`. */
    dataDir: path,
    /** The directory of world YAML files. Default `./config/world`. */
    worldDir: path,
    log: z.strictObject({
      /** Default `info`. */
      level: z.enum(LogLevels, { error: `must be one of ${LogLevels.join(", ")}` }),
      /** `auto`: pretty when standard output is a terminal, JSON otherwise. Default `auto`. */
      format: z.enum(LogFormats, { error: `must be one of ${LogFormats.join(", ")}` }),
    }),
    /** Every buffer and rate limit, by its hardening case. */
    limits: z.strictObject({
      /** L2: longest accepted input line in bytes. Default 2048. */
      maxLineBytes: integer(16, 1 << 20),
      /** L3: bytes without a newline before the connection is closed. Default 16384. */
      maxInputBufferBytes: integer(16, 16 << 20),
      /**
       * F12 (issue 5 item 3): lines one connection may have handled per event-loop turn before reading
       * from it pauses until the next turn, whatever door and before or after login. Default 32.
       */
      inputLinesPerTurn: integer(1, 1_000_000),
      /** F12: bytes (WebSocket: UTF-16 units) one connection may have framed per turn. Default 65536. */
      inputBytesPerTurn: integer(64, 16 << 20),
      /** S1/S2: queued output per connection before it is cut off. Default 1 MiB. */
      maxOutputBytes: integer(256, 1 << 30),
      /**
       * S4: the soft cap, as a fraction of maxOutputBytes: past it a reader gets no chatter
       * (others' say, emote, tell) until it catches up (issue 5 item 9). Default 0.25.
       */
      chatterBacklogFraction: fraction(),
      /**
       * Issue 11: the shortest time between two flushes of a connection that is being written
       * to all the time (src/reactor/turn-queue.ts); answers to its own input are never held.
       * 0 turns pacing off. Default 50.
       */
      outputPacingMs: integer(0, 1000),
      /** S4: tells per second, sustained, per sender and per recipient. Default 2. */
      tellsPerSecond: integer(1, 10_000),
      /** S4: tells at once before that rate applies, per sender and per recipient. Default 10. */
      tellBurst: integer(1, 100_000),
      /** F2: channel posts per second, sustained, per sender. Default 1. */
      channelPostsPerSecond: integer(1, 10_000),
      /** F2: channel posts at once before that rate applies, per sender. Default 5. */
      channelBurst: integer(1, 100_000),
      /**
       * Issue 11: more people than this in a room and its comings and goings are gathered into
       * one summary a second (src/world/crowd-news.ts, docs/crowds.md); 0 never gathers. Default 50.
       */
      crowdThreshold: integer(0, 1_000_000),
      /** W1: largest WebSocket message. Default 65536. */
      maxWebSocketPayload: integer(16, 16 << 20),
      /** T4: largest telnet subnegotiation. Default 8192. */
      maxSubnegotiationBytes: integer(16, 1 << 20),
      /** F9: seconds of output silence before a telnet IAC NOP probes the client; 0 is off. Default 60. */
      telnetKeepaliveSeconds: integer(0, 86_400),
      /** F6: seconds a connection may take to log in. Default 60. */
      loginTimeoutSeconds: seconds(86_400),
      /** F8: seconds a logged-in player may send no input before being disconnected; 0 is off. Default 0. */
      idleTimeoutSeconds: integer(0, 7 * 86_400),
      /** F8: seconds before that the player is warned; 0 sends no warning. Below idleTimeoutSeconds when that is on. Default 60. */
      idleWarningSeconds: integer(0, 7 * 86_400),
      /** F1: sustained commands per second per session. Default 20. */
      commandsPerSecond: integer(1, 10_000),
      /** F1: commands a session may send at once before the rate applies. Default 40. */
      commandBurst: integer(1, 100_000),
      /** F3: simultaneous connections from one address. Default 10. */
      maxConnectionsPerAddress: integer(1, 1_000_000),
      /**
       * F5: simultaneous connections in all, or `auto`: the soft file limit (RLIMIT_NOFILE) less
       * headroom, worked out at boot (src/reactor/connection-cap.ts, issue 11). Default `auto`.
       */
      maxConnections: z.union([z.literal("auto"), integer(1, 1_000_000)], { error: 'must be "auto" or an integer from 1 to 1000000' }),
      /** F4: new connections per second, sustained, from one address (any door). Default 2. */
      newConnectionsPerSecond: integer(1, 1_000_000),
      /** F4: new connections from one address at once before that rate applies. Default 20. */
      newConnectionBurst: integer(1, 1_000_000),
      /** F11: seconds a refused connection may linger after its answer (issue 5 item 2). Default 1. */
      refusalLingerSeconds: seconds(60),
      /** W7: HTTP requests one connection may have waiting for answers (issue 5 item 1). Default 8. */
      maxPipelinedRequests: integer(1, 1000),
      /** W8: seconds a WebSocket peer has to answer our close frame (issue 5 item 12). Default 2. */
      webSocketCloseTimeoutSeconds: seconds(300),
    }),
    shutdown: z.strictObject({
      /** D4: seconds SIGTERM waits for players to be told and state saved. Default 10. */
      graceSeconds: seconds(3600),
    }),
    accounts: z.strictObject({
      /** A5: argon2 hashes computed at once. Default 2. */
      hashConcurrency: integer(1, 64),
      /** A5: hashes one address may have waiting; one more is told "busy, try again" (issue 5 item 4). Default 4. */
      maxQueuedHashesPerAddress: integer(1, 10_000),
      /** A5: hashes waiting in all; one more is told "busy, try again". Default 200. */
      maxQueuedHashes: integer(1, 1_000_000),
      /** A2: login attempts per minute on one account from one address (/64 for IPv6). Default 5. */
      failedLoginsPerMinute: integer(1, 10_000),
      /** A2: login attempts per minute from one address (/64 for IPv6), across accounts. Default 20. */
      failedLoginsPerAddressPerMinute: integer(1, 100_000),
      /** A2: attempts on one account from addresses not recently used with it, before backoff (issue 5 item 5). Default 10. */
      accountFreeAttempts: integer(0, 100_000),
      /** A2: longest backoff delay, in seconds, between such attempts (issue 5 item 5). Default 300. */
      accountBackoffMaxSeconds: integer(1, 86_400),
      /** A3: characters one address (/64 for IPv6) may create per hour. Default 5. */
      creationsPerHour: integer(1, 100_000),
      /** Issue 9: seconds a resume token lives from its issue (docs/web-client.md, "Resume tokens"). Default 86400. */
      resumeTokenSeconds: seconds(30 * 86_400),
      /** Issue 9: live resume tokens per character, the oldest dropped past it. Default 5. */
      maxResumeTokensPerPlayer: integer(1, 100),
    }),
    /**
     * What MSSP tells MUD listings (issue 8; docs/telnet.md, "MSSP"). Empty text leaves an
     * optional variable out. Players, uptime, port, world counts and protocols are Loom's own.
     */
    mssp: z.strictObject({
      /** NAME. Default "Loom". */
      name: msspText.min(1, { error: "must not be empty" }),
      /** HOSTNAME players connect to. Default "" (not sent). */
      hostname: msspText,
      /** CONTACT, an email address. Default "". */
      contact: msspText,
      /** WEBSITE, with its https:// prefix. Default "". */
      website: msspText,
      /** DISCORD, an invitation URL. Default "". */
      discord: msspText,
      /** ICON, the URL of a square image of at least 64x64. Default "". */
      icon: msspText,
      /** LANGUAGE, the English name of the game's language. Default "English". */
      language: msspText,
      /** LOCATION, the English short name of the server's country (ISO 3166). Default "". */
      location: msspText,
      /** CREATED, the year the game opened; "" leaves it out. Default "". */
      created: z.union([z.literal(""), integer(1970, 2100)], { error: 'must be a year such as 2024, or ""' }),
      /** MINIMUM AGE to play; "" leaves it out. Default "". */
      minimumAge: z.union([z.literal(""), integer(0, 99)], { error: 'must be an age from 0 to 99, or ""' }),
      /** CRAWL DELAY: hours a crawler should wait between visits; -1 leaves it to the crawler. Default -1. */
      crawlDelay: integer(-1, 8760),
      /** GENRE. Default "Fantasy" (the shipped world). */
      genre: msspText,
      /** SUBGENRE. Default "". */
      subgenre: msspText,
      /** GAMEPLAY, one or more. Default ["Social", "Adventure"]. */
      gameplay: z.array(msspText, { error: "must be a list of texts" }),
      /** GAMESYSTEM. Default "None". */
      gamesystem: msspText,
      /** STATUS. Default "Alpha". */
      status: z.enum(["Alpha", "Closed Beta", "Open Beta", "Live"], { error: 'must be one of Alpha, Closed Beta, Open Beta, Live' }),
      /**
       * More variables, by their MSSP names ("PAY TO PLAY": 0, "HIRING BUILDERS": 1); a list
       * sends several values. Names Loom fills in are refused. Default {}.
       */
      extra: z.record(msspName, z.union([msspText, z.number().finite(), z.boolean(), z.array(msspText)], { error: "must be text, a number, true/false or a list of texts" })),
    }),
  })
  .superRefine(
    (config, ctx) => {
      // A line limit above the buffer limit could never fire: the connection would be closed (L3)
      // before the line was refused (L2). The issue names the key to change.
      const { limits } = config;
      // TLS on without a certificate would boot into doors that fail every handshake.
      if (config.tls.enabled) {
        for (const key of ["certFile", "keyFile"] as const) {
          if (config.tls[key] === "") ctx.addIssue({ code: "custom", path: ["tls", key], message: "must be set when tls.enabled is true" });
        }
      }
      // A warning as long as the timeout would be sent at login, and tell the player nothing true.
      if (limits.idleTimeoutSeconds > 0 && limits.idleWarningSeconds >= limits.idleTimeoutSeconds) {
        ctx.addIssue({
          code: "custom",
          path: ["limits", "idleWarningSeconds"],
          message: `must be less than limits.idleTimeoutSeconds (${limits.idleTimeoutSeconds}), or 0 for no warning`,
        });
      }
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
