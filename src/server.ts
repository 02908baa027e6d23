/**
 * Composition: builds the reactor, the store, the world, the session hub and the three doors
 * from a Config, and takes them down again in order. main.ts runs it as a process; tests run
 * it in-process on port 0.
 */
import type { ConnectionRegistry } from "./reactor/connection-registry.js";
import path from "node:path";
import type { Logger } from "pino";
import { PasswordHasher, type HashBackend } from "./accounts/passwords.js";
import type { Config } from "./config/schema.js";
import { findProjectRoot } from "./config/project-root.js";
import { createHttpHandler } from "./http/http-handler.js";
import { applyHttpServerLimits, httpServerOptions } from "./http/server-limits.js";
import { LineDoorFactory } from "../protocols/line/line-door.js";
import { Mccp2Compression } from "../protocols/telnet/mccp2-stream.js";
import { TelnetDoorFactory } from "../protocols/telnet/telnet-door.js";
import { webSocketRenderers } from "../protocols/websocket/render.js";
import { WebSocketDoor } from "../protocols/websocket/websocket-door.js";
import type { Clock, DelayedCall } from "./reactor/clock.js";
import { RealClock } from "./reactor/clock.js";
import { reason } from "./reactor/interfaces.js";
import { connectionCap, readProcessLimits } from "./reactor/connection-cap.js";
import { Reactor, type HttpListenOptions, type ListeningPort } from "./reactor/reactor.js";
import { TlsCredentials, type TlsReloadResult } from "./reactor/tls-credentials.js";
import { AddressAllowList } from "./http/address-allow-list.js";
import { terminalRenderers } from "./session/render.js";
import { SessionHub } from "./session/session-hub.js";
import { openSqliteStore } from "./store/sqlite-store.js";
import { World } from "./world/world.js";
import { loadWorld } from "./world/world-file.js";
import { renderMetrics } from "./metrics.js";
import { LOOM_PROTOCOLS, msspVariables, readCodebase } from "./mssp.js";
import { EventLoopDelayMonitor } from "./event-loop-delay.js";

/** A running server. */
export interface RunningServer {
  /** The ports actually bound (with port 0 in the config, the ones the kernel chose). */
  readonly ports: {
    readonly telnet: number;
    readonly line: number;
    readonly http: number;
    /** The TLS telnet door, when `tls.enabled` (issue 10). */
    readonly telnetTls?: number;
    /** https and wss://, when `tls.enabled`. */
    readonly https?: number;
  };
  /**
   * Reads the TLS certificate and key again (SIGHUP, issue 10): if they load, the next handshake
   * on every TLS door uses them and open connections keep theirs; if not, the old pair stays.
   * Logs the outcome. `off` when TLS is not enabled. Never throws.
   */
  reloadTls(): TlsReloadResult | { readonly ok: false; readonly off: true };
  /**
   * Stops in order (hardening D4): refuse new connections, tell everyone, save, close every
   * connection (WebSocket with 1001), wait up to the grace period, close the store.
   * Idempotent: later calls return the first call's promise.
   */
  stop(): Promise<void>;
  /** Every live connection of every door, counted per door (the reactor's one registry). */
  readonly connections: Pick<ConnectionRegistry, "size" | "count">;
}

/** Things a caller may supply instead of the defaults (tests pass a FakeClock, a quiet logger). */
export interface ServerDeps {
  readonly logger: Logger;
  readonly clock?: Clock;
  /** What hashes passwords; default argon2id. Tests hold and release hashes with their own. */
  readonly hashBackend?: HashBackend;
  /**
   * Called when an admin asks for a shutdown in the game, after the countdown: the process
   * stops and exits as on SIGTERM. Default: the server stops (and the process lives on).
   */
  readonly onShutdownRequested?: () => void;
  /**
   * Wall-clock time in milliseconds: read once at boot for MSSP's UPTIME, and the world's
   * stored times (resume tokens' expiry, issue 9). Default `Date.now`; tests move their own.
   */
  readonly wallClock?: () => number;
}

/** Starts Loom. Rejects (after cleaning up) if a listener cannot bind. */
export async function startServer(config: Config, deps: ServerDeps): Promise<RunningServer> {
  const logger = deps.logger;
  const clock = deps.clock ?? new RealClock();
  const limits = config.limits;
  const definition = loadWorld(config.worldDir);
  // Read before anything is opened: a pair that does not load stops boot (TlsCredentialsError).
  const tlsCredentials = config.tls.enabled ? TlsCredentials.load(config.tls) : undefined;
  const store = openSqliteStore({
    dataDir: config.dataDir,
    // The store carries on without it: commits then checkpoint on the loop (issue 11).
    checkpointer: { onError: (err) => logger.warn({ err }, "the WAL checkpointer stopped; checkpoints now run on the event loop") },
  });
  const reactor = new Reactor({
    clock,
    logger: logger.child({ subsystem: "reactor" }),
    connectionRate: { perSecond: limits.newConnectionsPerSecond, burst: limits.newConnectionBurst },
    outputPacingMs: limits.outputPacingMs,
  });
  const hasher = new PasswordHasher({
    maxConcurrent: config.accounts.hashConcurrency,
    maxQueued: config.accounts.maxQueuedHashes,
    maxQueuedPerOwner: config.accounts.maxQueuedHashesPerAddress,
    ...(deps.hashBackend !== undefined ? { backend: deps.hashBackend } : {}),
  });
  const hub = new SessionHub({
    // Each message is rendered once per variant and width, whatever the number of recipients.
    renderers: { ...terminalRenderers, ...webSocketRenderers },
    clock,
    logger: logger.child({ subsystem: "session" }),
    options: {
      commandsPerSecond: limits.commandsPerSecond,
      commandBurst: limits.commandBurst,
      chatterBacklogBytes: Math.floor(limits.maxOutputBytes * limits.chatterBacklogFraction),
    },
  });
  // Bound once `stop` exists below: an admin's `shutdown` (issue 7) drains like SIGTERM.
  let shutdownRequested = (): void => {};
  const world = new World({
    requestShutdown: () => shutdownRequested(),
    definition,
    store,
    hasher,
    gateway: hub,
    clock,
    ...(deps.wallClock !== undefined ? { wallClock: deps.wallClock } : {}),
    logger: logger.child({ subsystem: "world" }),
    options: {
      loginTimeoutSeconds: limits.loginTimeoutSeconds,
      idleTimeoutSeconds: limits.idleTimeoutSeconds,
      idleWarningSeconds: limits.idleWarningSeconds,
      failedLoginsPerMinute: config.accounts.failedLoginsPerMinute,
      failedLoginsPerAddressPerMinute: config.accounts.failedLoginsPerAddressPerMinute,
      accountFreeAttempts: config.accounts.accountFreeAttempts,
      accountBackoffMaxSeconds: config.accounts.accountBackoffMaxSeconds,
      creationsPerHour: config.accounts.creationsPerHour,
      resumeTokenSeconds: config.accounts.resumeTokenSeconds,
      maxResumeTokensPerPlayer: config.accounts.maxResumeTokensPerPlayer,
      tellsPerSecond: limits.tellsPerSecond,
      tellBurst: limits.tellBurst,
      channelPostsPerSecond: limits.channelPostsPerSecond,
      channelBurst: limits.channelBurst,
      crowdThreshold: limits.crowdThreshold,
    },
  });
  hub.attach(world);
  const loopDelay = new EventLoopDelayMonitor(clock);

  // The HTTP port is known only once bound (it may be 0 in the config): the hint asks late.
  let boundHttpPort: number = config.http.port;
  const httpHint = (): string => `This is Loom's text port. For the browser, open http://<host>:${boundHttpPort}/`;
  // MSSP reports the telnet port; it too is known only once bound.
  let boundTelnetPort: number = config.telnet.port;
  // F5, issue 11: `auto` follows the process's file limit, less headroom; a number is kept. Logged
  // once at boot so the operator (and the bench) can see the cap and where it came from.
  const cap = connectionCap(limits.maxConnections, readProcessLimits());
  const capLog = { maxConnections: cap.max, source: cap.source, fileLimit: cap.fileLimit, reason: cap.reason };
  if (cap.warning === undefined) logger.info(capLog, "connection cap");
  else logger.warn({ ...capLog, warning: cap.warning }, "connection cap");
  const tcpLimits = {
    maxPerAddress: limits.maxConnectionsPerAddress,
    maxTotal: cap.max,
    maxOutputBytes: limits.maxOutputBytes,
    // W6: trusted load balancers name the client in a PROXY header; anyone else's is refused.
    proxy: { trusted: new AddressAllowList(config.proxy.trusted), headerTimeoutMs: config.proxy.headerTimeoutSeconds * 1000 },
    refusalLingerMs: limits.refusalLingerSeconds * 1000,
  };
  // Every door's per-connection input budget (F12), counted on the reactor's one turn counter.
  const inputBudget = { inputLinesPerTurn: limits.inputLinesPerTurn, inputBytesPerTurn: limits.inputBytesPerTurn };
  // MCCP2 (issue 8): one setup for the whole telnet door. Should this Node's zlib not allow it,
  // the server runs without compression and says why.
  const mccp2 = config.telnet.mccp2.enabled ? Mccp2Compression.create(config.telnet.mccp2) : undefined;
  if (mccp2 instanceof Error) logger.warn({ reason: mccp2.message }, "MCCP2 compression is off");
  const compression = mccp2 instanceof Mccp2Compression ? { mccp2 } : {};
  // MSSP (issue 8): the operator's words, Loom's facts, and live values read for each report.
  const msspFacts = {
    codebase: readCodebase(findProjectRoot()),
    startedAt: Math.floor((deps.wallClock ?? Date.now)() / 1000),
    // MCCP is reported as it is on this server: the config may turn it off, or zlib refuse it.
    protocols: { ...LOOM_PROTOCOLS, MCCP: LOOM_PROTOCOLS.MCCP && mccp2 instanceof Mccp2Compression },
  };
  const msspStatus = { playersOnline: () => world.playerCount, telnetPort: () => boundTelnetPort, census: () => world.census() };
  const mssp = () => msspVariables(config.mssp, msspFacts, msspStatus);
  const doorLimits = { maxLineBytes: limits.maxLineBytes, maxBufferBytes: limits.maxInputBufferBytes, httpHint, inputTurns: reactor.inputTurns, ...inputBudget };
  const wsDoor = new WebSocketDoor(
    hub,
    {
      maxPayload: limits.maxWebSocketPayload,
      maxLineBytes: limits.maxLineBytes,
      maxOutputBytes: limits.maxOutputBytes,
      allowedOrigins: config.http.allowedOrigins,
      publicOrigins: config.http.publicOrigins,
      closeTimeoutMs: limits.webSocketCloseTimeoutSeconds * 1000,
      ...inputBudget,
    },
    {
      clock,
      turns: reactor.turns,
      inputTurns: reactor.inputTurns,
      connections: reactor.connections,
      logger: logger.child({ door: "websocket" }),
    },
  );
  let ready = false;
  const webRoot = path.join(findProjectRoot(), "dist", "web");
  const onRequest = createHttpHandler({
    webRoot,
    logger: logger.child({ subsystem: "http" }),
    metricsAllow: config.http.metricsAllow,
    trustedProxies: config.proxy.trusted,
    serveSourceMaps: config.http.serveSourceMaps,
    maxPipelinedRequests: limits.maxPipelinedRequests,
    staticCache: { maxFileBytes: config.http.staticCacheFileBytes, maxTotalBytes: config.http.staticCacheTotalBytes },
    health: () => ({ ok: true, ready }),
    metrics: () =>
      renderMetrics({
        reactor: reactor.stats,
        proxy: reactor.proxyStats,
        hub: hub.stats,
        connectionsMax: cap.max,
        sessionsByDoor: hub.countByDoor(),
        websockets: wsDoor.connectionCount,
        players: world.playerCount,
        hashes: { ...hasher.load, refused: hasher.refusedTotal },
        loopDelay: loopDelay.delay,
        loopBusySeconds: loopDelay.busySeconds,
        outputFlushes: reactor.turns.flushes,
      }),
  });

  let ports: RunningServer["ports"];
  const telnetFactory = new TelnetDoorFactory(hub, { ...doorLimits, maxSubnegotiationBytes: limits.maxSubnegotiationBytes, keepaliveSeconds: limits.telnetKeepaliveSeconds, mssp, ...compression }, { logger: logger.child({ door: "telnet" }), clock });
  const httpOptions = {
    onRequest,
    // The reactor admits every connection when it arrives (HTTP and WebSocket count against
    // the same caps as the TCP doors) and every upgrade at the rate of new game
    // connections, refusing both as it refuses the TCP doors; the door sees only admitted ones.
    onUpgrade: (req, socket, head, client) => wsDoor.handleUpgrade(req, socket, head, client),
    // W6: the same trusted proxies as the TCP doors; their X-Forwarded-For / Forwarded name the client.
    trustedProxies: tcpLimits.proxy.trusted,
    upgradeDoor: "websocket",
    maxPerAddress: tcpLimits.maxPerAddress,
    maxTotal: tcpLimits.maxTotal,
    refusalLingerMs: tcpLimits.refusalLingerMs,
    serverOptions: httpServerOptions,
    configure: (server) => applyHttpServerLimits(server),
  } satisfies Omit<HttpListenOptions, "host" | "port">;
  try {
    // Issue 10: the TLS doors are the same doors on their own ports: the same telnet factory,
    // the same HTTP handler and WebSocket door, the same limits.
    const secure: Promise<ListeningPort>[] =
      tlsCredentials === undefined
        ? []
        : [
            reactor.listenTCP(telnetFactory, { name: "telnet-tls", host: config.host, port: config.tls.telnetPort, ...tcpLimits, tls: tlsCredentials }),
            reactor.listenHTTP({ host: config.host, port: config.tls.httpPort, ...httpOptions, tls: tlsCredentials }),
          ];
    const [telnet, line, http, telnetTls, https] = await Promise.all([
      reactor.listenTCP(telnetFactory, { name: "telnet", host: config.host, port: config.telnet.port, ...tcpLimits }),
      reactor.listenTCP(new LineDoorFactory(hub, { ...doorLimits, mssp }), { name: "line", host: config.host, port: config.line.port, ...tcpLimits }),
      reactor.listenHTTP({ host: config.host, port: config.http.port, ...httpOptions }),
      ...secure,
    ]);
    ports = {
      telnet: telnet.port,
      line: line.port,
      http: http.port,
      ...(telnetTls !== undefined ? { telnetTls: telnetTls.port } : {}),
      ...(https !== undefined ? { https: https.port } : {}),
    };
    boundHttpPort = http.port;
    boundTelnetPort = telnet.port;
  } catch (err) {
    await reactor.stopListening();
    loopDelay.stop();
    store.close();
    throw err;
  }
  ready = true;
  logger.info({ ports }, "Loom is ready");

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    ready = false;
    logger.info("shutting down");
    const stopped = reactor.stopListening();
    try {
      world.shutdown();
    } catch (err) {
      logger.error({ err }, "saving at shutdown failed");
    }
    const why = reason("shutdown", "the server is shutting down");
    hub.closeAll(why);
    wsDoor.closeAll(why);
    reactor.flushAll();
    // The grace period runs on the Clock (issue 8), so a test's FakeClock can end it; the
    // drain is awaited as events, with no poll.
    // One registry holds every door's connections: one drain, one abort.
    await drainWithin(clock, config.shutdown.graceSeconds * 1000, [reactor.whenDrained()]);
    reactor.abortAll(why);
    await stopped;
    loopDelay.stop();
    store.close();
    logger.info("stopped");
  };
  shutdownRequested = () => {
    if (deps.onShutdownRequested !== undefined) deps.onShutdownRequested();
    else void (stopping ??= stop());
  };
  const reloadTls = (): TlsReloadResult | { readonly ok: false; readonly off: true } => {
    if (tlsCredentials === undefined) {
      logger.info("SIGHUP: TLS is not enabled, nothing to reload");
      return { ok: false, off: true };
    }
    const result = tlsCredentials.reload();
    if (result.ok) logger.info({ subject: result.certificate.subject, validTo: result.certificate.validTo, fingerprint256: result.certificate.fingerprint256 }, "tls certificate reloaded");
    else logger.error({ err: result.error.message }, "tls certificate reload failed; the previous certificate stays in use");
    return result;
  };
  return {
    ports,
    reloadTls,
    connections: reactor.connections,
    stop: () => (stopping ??= stop()),
  };
}

/**
 * Resolves when every one of `drains` has, or when `graceMs` have passed on `clock`, whichever
 * is first; the grace timer is cancelled once the drains are done, so nothing is left pending.
 */
export async function drainWithin(clock: Clock, graceMs: number, drains: readonly Promise<void>[]): Promise<void> {
  let grace: DelayedCall | undefined;
  const graceOver = new Promise<void>((resolve) => {
    grace = clock.callLater(graceMs, resolve);
  });
  try {
    await Promise.race([Promise.all(drains), graceOver]);
  } finally {
    grace?.cancel();
  }
}
