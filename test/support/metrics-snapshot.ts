/**
 * A /metrics snapshot of an empty server, for tests of renderMetrics (src/metrics.ts): each
 * test adds the figure it is about.
 */
import type { MetricsSnapshot } from "../../src/metrics.js";

/** No connections, sessions or players; only the required figures. */
export const EMPTY_METRICS: MetricsSnapshot = {
  reactor: { open: 0, accepted: 0, refused: 0, refusedByDoor: {}, acceptErrors: 0 },
  hub: { opened: 0, floodDropped: 0, delivered: 0, chatterDropped: 0 },
  sessionsByDoor: { line: 0, telnet: 0, websocket: 0 },
  websockets: 0,
  players: 0,
};
