/**
 * The server as a process (`loom start`, and `node dist/src/main.js`): loads the
 * configuration, starts the server, and stops it in order on SIGINT or SIGTERM (or an admin's
 * `shutdown` in the game), then exits. SIGHUP reloads the TLS certificate. `npm start` builds and then runs `loom start`.
 */
import { ConfigError, loadConfig } from "../config/load-config.js";
import type { Config } from "../config/schema.js";
import { createLogger, stdoutDestination } from "../logging.js";
import { startServer, type RunningServer } from "../server.js";
import { WorldFileError } from "../world/world-file.js";
import { TlsCredentialsError } from "../reactor/tls-credentials.js";

/**
 * Starts the server in this process; resolves once it is running. The process then lives
 * until the server is told to stop, and exits: 0 after an orderly stop, 1 if the
 * configuration or the world files are unusable (the message on stderr names the key, file
 * and line) or the server cannot start. `configArgv` is what loadConfig reads `--config` from
 * (`[]`, or `["--config", file]`).
 */
export async function runServerProcess(configArgv: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<void> {
  let config: Config;
  try {
    config = loadConfig({ argv: configArgv, env });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  // JSON for machines, readable lines at a terminal (log.format, issue 10).
  const logger = createLogger(config.log.level, stdoutDestination(config.log.format, process.stdout.isTTY === true, env));

  // Signals are caught before the server starts: "Loom is ready" is logged from inside
  // startServer, and a supervisor (or a test) that signals on reading it must not find the
  // default handler still in place and kill the process mid-sentence.
  let running: RunningServer | undefined;
  let signalled = false;
  const stopAndExit = (server: RunningServer): void => {
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    signalled = true;
    logger.info({ signal }, "signal received");
    if (running !== undefined) stopAndExit(running);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  // SIGHUP re-reads the TLS certificate and key (issue 10), as nginx and HAProxy do; it never
  // stops the server (its default action would), whether or not TLS is on.
  process.on("SIGHUP", () => {
    logger.info({ signal: "SIGHUP" }, "signal received");
    running?.reloadTls();
  });

  try {
    // An admin's `shutdown` in the game ends the process the way SIGTERM does.
    running = await startServer(config, { logger, onShutdownRequested: () => onSignal("SIGTERM") });
  } catch (err) {
    if (err instanceof WorldFileError || err instanceof TlsCredentialsError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    logger.fatal({ err }, "could not start");
    process.exit(1);
  }
  // A signal that came while starting is honoured now that there is something to stop.
  if (signalled) stopAndExit(running);
}
