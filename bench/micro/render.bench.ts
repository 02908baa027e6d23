/**
 * Rendering (src/session/render.ts and the WebSocket door's renderers): once per message per
 * variant and width, whatever the number of readers, so its cost is per message, not per reader.
 */
import { bench, describe } from "vitest";
import { webSocketRenderers } from "../../protocols/websocket/render.js";
import type { RenderVariant } from "../../src/session/endpoint.js";
import { line, styled } from "../../src/session/messages.js";
import { terminalRenderers, type Renderer } from "../../src/session/render.js";

const renderers: Readonly<Record<RenderVariant, Renderer>> = { ...terminalRenderers, ...webSocketRenderers };

/** A say: what fan-out renders most. */
const say = line(styled("name", "Alice"), " says, ", styled("speech", '"Has anyone seen the grey cat? It was by the well this morning."'));

/** A room: title, a long description wrapped at the width, exits, people. */
const room = line(
  styled("title", "The Village Square"),
  "\n",
  "Cobbles worn smooth by generations of feet spread out from an old stone well. A noticeboard leans against the well's rim, crowded with notes about lost cats, harvest fairs and a reward for anyone who can explain the lights on the hill. To the north the road climbs toward the chapel; to the east a lane smells of bread.",
  "\n",
  styled("exit", "Exits: north, east, south, west"),
  "\n",
  styled("name", "Bob"), " and ", styled("name", "Carol"), " are here.",
);

describe("render a say", () => {
  for (const variant of ["plain", "ansi", "ansi256", "truecolor"] as const) {
    bench(`${variant}, 79 columns`, () => {
      renderers[variant](say, 79);
    });
  }
  for (const variant of ["ws-text", "ws-json"] as const) {
    bench(variant, () => {
      renderers[variant](say);
    });
  }
});

describe("render a room description (wrapped)", () => {
  bench("plain, 79 columns", () => {
    renderers.plain(room, 79);
  });
  bench("ansi, 79 columns", () => {
    renderers.ansi(room, 79);
  });
  bench("ws-json", () => {
    renderers["ws-json"](room);
  });
});
