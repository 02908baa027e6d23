/**
 * Prometheus text exposition for /metrics: counters and gauges the reactor, the hub and the
 * world keep anyway, formatted on request (never on the hot path).
 */
import type { LoopDelay } from "./event-loop-delay.js";
import type { ProxyStats, ReactorStats } from "./reactor/reactor.js";
import type { Door } from "./session/messages.js";
import type { HubStats } from "./session/session-hub.js";

/** What /metrics reports. */
export interface MetricsSnapshot {
  readonly reactor: Readonly<ReactorStats>;
  /** PROXY protocol outcomes on the TCP doors (hardening W6): the reactor's `proxyStats`. */
  readonly proxy?: Readonly<ProxyStats>;
  readonly hub: Readonly<HubStats>;
  /** The global connection cap in force (F5; `auto` resolved at boot, issue 11). */
  readonly connectionsMax?: number;
  readonly sessionsByDoor: Readonly<Record<Door, number>>;
  readonly websockets: number;
  readonly players: number;
  /** Password hashes running and waiting now, and calls refused as busy since boot (A5, issue 5 item 4). */
  readonly hashes?: { readonly running: number; readonly queued: number; readonly refused: number };
  /** How late the event loop ran over the recent window, in seconds (src/event-loop-delay.ts). */
  readonly loopDelay?: LoopDelay;
  /** Seconds the event loop has been busy since boot (ELU's `active`; src/event-loop-delay.ts). */
  readonly loopBusySeconds?: number;
  /** Connections' output handed to the kernel since boot, a flush each (the reactor's turn queue). */
  readonly outputFlushes?: number;
}

/** Formats a snapshot in the Prometheus text format (version 0.0.4). */
export function renderMetrics(s: MetricsSnapshot): string {
  const lines: string[] = [];
  const metric = (name: string, type: "counter" | "gauge", help: string, values: [string, number][]): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of values) lines.push(`${name}${labels} ${value}`);
  };
  metric("loom_connections_open", "gauge", "Connections open on every door (telnet, line, WebSocket).", [["", s.reactor.open]]);
  if (s.connectionsMax !== undefined) {
    metric("loom_connections_max", "gauge", "The global connection cap (limits.maxConnections; auto: the file limit less headroom).", [["", s.connectionsMax]]);
  }
  metric("loom_connections_accepted_total", "counter", "Connections admitted on every door.", [["", s.reactor.accepted]]);
  metric(
    "loom_connections_refused_total",
    "counter",
    "Connections refused at a cap, by door (telnet, line, http) and cap (address: per address, busy: in all).",
    Object.entries(s.reactor.refusedByDoor).flatMap(([door, byCap]) =>
      Object.entries(byCap).map(([cap, n]): [string, number] => [`{door="${door}",cap="${cap}"}`, n]),
    ),
  );
  metric("loom_accept_errors_total", "counter", "Listener errors such as EMFILE.", [["", s.reactor.acceptErrors]]);
  if (s.proxy !== undefined) {
    metric(
      "loom_proxy_headers_total",
      "counter",
      "PROXY protocol outcomes on the TCP doors (W6): proxied and local from trusted proxies, invalid or timeout (closed), refused (a header from an untrusted address).",
      Object.entries(s.proxy).map(([outcome, n]): [string, number] => [`{outcome="${outcome}"}`, n]),
    );
  }
  metric("loom_websocket_connections_open", "gauge", "WebSocket connections open.", [["", s.websockets]]);
  metric(
    "loom_sessions_open",
    "gauge",
    "Sessions open, by door.",
    Object.entries(s.sessionsByDoor).map(([door, n]) => [`{door="${door}"}`, n]),
  );
  metric("loom_sessions_opened_total", "counter", "Sessions opened.", [["", s.hub.opened]]);
  metric("loom_players_online", "gauge", "Characters in the world.", [["", s.players]]);
  metric("loom_deliveries_total", "counter", "Messages queued to sessions.", [["", s.hub.delivered]]);
  if (s.outputFlushes !== undefined) {
    metric(
      "loom_output_flushes_total",
      "counter",
      "Connections' queued output handed to the kernel, one write each (a few after an MCCP2 switch). Under load, deliveries per flush is how much output pacing batches; prompts, negotiation and out-of-band data are flushed the same way.",
      [["", s.outputFlushes]],
    );
  }
  metric("loom_commands_dropped_total", "counter", "Commands dropped by the flood limit.", [["", s.hub.floodDropped]]);
  metric("loom_chatter_dropped_total", "counter", "Chatter not sent to readers past the soft output cap (slow consumers).", [["", s.hub.chatterDropped]]);
  if (s.hashes !== undefined) {
    metric("loom_password_hashes_running", "gauge", "Password hashes running now.", [["", s.hashes.running]]);
    metric("loom_password_hashes_queued", "gauge", "Password hashes waiting for a slot.", [["", s.hashes.queued]]);
    metric("loom_password_hashes_refused_total", "counter", "Logins and creations told the server is busy (hash queue full).", [["", s.hashes.refused]]);
  }
  if (s.loopDelay !== undefined) {
    const d = s.loopDelay;
    metric("loom_event_loop_delay_seconds", "gauge", "How late the event loop ran, over the last 10 s window and the current one.", [
      ['{quantile="0.5"}', d.p50],
      ['{quantile="0.99"}', d.p99],
      ['{quantile="1"}', d.max],
    ]);
  }
  if (s.loopBusySeconds !== undefined) {
    metric(
      "loom_event_loop_busy_seconds_total",
      "counter",
      "Seconds the event loop spent running callbacks since boot; its rate is the loop's utilisation (1 = saturated).",
      [["", s.loopBusySeconds]],
    );
  }
  return lines.join("\n") + "\n";
}
