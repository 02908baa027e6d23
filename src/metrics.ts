/**
 * Prometheus text exposition for /metrics: counters and gauges the reactor, the hub and the
 * world keep anyway, formatted on request (never on the hot path).
 */
import type { ReactorStats } from "./reactor/reactor.js";
import type { Door } from "./session/messages.js";
import type { HubStats } from "./session/session-hub.js";

/** What /metrics reports. */
export interface MetricsSnapshot {
  readonly reactor: Readonly<ReactorStats>;
  readonly hub: Readonly<HubStats>;
  readonly sessionsByDoor: Readonly<Record<Door, number>>;
  readonly websockets: number;
  readonly players: number;
}

/** Formats a snapshot in the Prometheus text format (version 0.0.4). */
export function renderMetrics(s: MetricsSnapshot): string {
  const lines: string[] = [];
  const metric = (name: string, type: "counter" | "gauge", help: string, values: [string, number][]): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of values) lines.push(`${name}${labels} ${value}`);
  };
  metric("loom_connections_open", "gauge", "Connections open on every door (telnet, line, WebSocket).", [["", s.reactor.open]]);
  metric("loom_connections_accepted_total", "counter", "Connections admitted on every door.", [["", s.reactor.accepted]]);
  metric("loom_connections_refused_total", "counter", "Connections refused at a cap (per address, or in all).", [["", s.reactor.refused]]);
  metric("loom_accept_errors_total", "counter", "Listener errors such as EMFILE.", [["", s.reactor.acceptErrors]]);
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
  metric("loom_commands_dropped_total", "counter", "Commands dropped by the flood limit.", [["", s.hub.floodDropped]]);
  return lines.join("\n") + "\n";
}
