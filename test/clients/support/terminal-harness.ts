/**
 * The hooks every real-client suite needs, registered once: a Loom server for the suite, a
 * private tmux server per test, and the test's extra sockets closed after it.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { removeDir, startTestServer, type TestServer } from "../../support/server-harness.js";
import { TmuxServer } from "./tmux.js";

/** What a real-client test works with. Read the fields inside tests, not at collection time. */
export interface TerminalHarness<S extends { close(): void }> {
  readonly server: TestServer;
  readonly tmux: TmuxServer;
  /** Sockets a test opened; closed after each test. */
  readonly sockets: S[];
}

/** Registers the suite's hooks (call inside `describe`) and returns the harness they fill in. */
export function useTerminalHarness<S extends { close(): void }>(): TerminalHarness<S> {
  let server: TestServer | undefined;
  let tmux: TmuxServer | undefined;
  const sockets: S[] = [];

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    if (server === undefined) return;
    await server.stop();
    removeDir(server.dataDir);
  });

  beforeEach(() => {
    tmux = new TmuxServer();
  });

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await tmux?.close();
  });

  return {
    get server() {
      if (server === undefined) throw new Error("the server starts in beforeAll");
      return server;
    },
    get tmux() {
      if (tmux === undefined) throw new Error("tmux starts in beforeEach");
      return tmux;
    },
    sockets,
  };
}
