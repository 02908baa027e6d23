/**
 * Loom's browser client. Connects to `ws(s)://<host>/ws` offering `loom.v1.json`, shows what the
 * world says, and sends what the player types. Bundled by `scripts/build-web.mjs` into
 * `dist/web/client.js`; the page (`index.html`) has no inline script or style (CSP).
 */
import { LOOM_JSON_SUBPROTOCOL, type CapsFrame, type ServerFrame } from "../protocols/websocket/wire.js";
import { CommandHistory } from "./command-history.js";
import { OutputView } from "./output-view.js";
import { parseServerFrame } from "./server-frames.js";
import { measureViewSize, type ViewSize } from "./view-size.js";

/** How long the view must stay still before a new size is reported, ms. */
const RESIZE_SETTLE_MS = 150;

/** The page's elements, found once. */
interface Elements {
  readonly output: HTMLElement;
  readonly probe: HTMLElement;
  readonly form: HTMLFormElement;
  readonly input: HTMLInputElement;
  readonly status: HTMLElement;
  readonly reconnect: HTMLButtonElement;
}

type ConnectionState = "connecting" | "connected" | "disconnected";

/** One page's client: the socket, the output view, the input line and its history. */
class LoomClient {
  readonly #el: Elements;
  readonly #view: OutputView;
  readonly #history = new CommandHistory();
  #socket: WebSocket | undefined;
  #echo = true;
  #lastSize: ViewSize | undefined;
  #resizeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(elements: Elements) {
    this.#el = elements;
    this.#view = new OutputView(elements.output);
    elements.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.#submit();
    });
    elements.input.addEventListener("keydown", (event) => this.#onKey(event));
    elements.reconnect.addEventListener("click", () => this.connect());
    // Clicking the output (but not selecting text in it) goes back to typing.
    elements.output.addEventListener("mouseup", () => {
      if (window.getSelection()?.isCollapsed ?? true) elements.input.focus();
    });
    new ResizeObserver(() => this.#sizeChangedSoon()).observe(elements.output);
  }

  /** Opens a new connection (closing any previous one). */
  connect(): void {
    this.#socket?.close();
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${location.host}/ws`, [LOOM_JSON_SUBPROTOCOL]);
    this.#socket = socket;
    this.#lastSize = undefined;
    this.#setState("connecting", "Connecting…");
    socket.addEventListener("open", () => {
      if (socket !== this.#socket) return;
      this.#setState("connected", "Connected");
      this.#sendSize();
      this.#el.input.focus();
    });
    socket.addEventListener("message", (event: MessageEvent<unknown>) => {
      if (socket !== this.#socket || typeof event.data !== "string") return;
      this.#onText(event.data, socket.protocol === LOOM_JSON_SUBPROTOCOL);
    });
    socket.addEventListener("close", (event) => {
      if (socket !== this.#socket) return;
      this.#socket = undefined;
      this.#setEcho(true);
      const why = event.reason !== "" ? event.reason : event.code === 1001 ? "the server is going away" : event.wasClean ? "closed" : "connection lost";
      this.#setState("disconnected", `Disconnected: ${why}`);
      this.#view.system(`*** Disconnected (${why}). Press Reconnect to play again. ***`);
    });
  }

  #onText(data: string, json: boolean): void {
    if (!json) {
      // The server did not take loom.v1.json (an older server): frames are plain text lines.
      this.#view.write({ kind: "line", spans: [data] });
      return;
    }
    const frame = parseServerFrame(data);
    if (frame !== undefined) this.#onFrame(frame);
  }

  #onFrame(frame: ServerFrame): void {
    switch (frame.t) {
      case "text":
        this.#view.write(frame);
        break;
      case "echo":
        this.#setEcho(frame.on);
        break;
      case "oob":
        // Nothing in the page uses out-of-band data yet; extensions can listen for it.
        window.dispatchEvent(new CustomEvent("loom:oob", { detail: { channel: frame.channel, data: frame.data } }));
        break;
      default: {
        const unreachable: never = frame;
        return unreachable;
      }
    }
  }

  #submit(): void {
    const input = this.#el.input;
    const command = input.value;
    const socket = this.#socket;
    if (socket === undefined || socket.readyState !== WebSocket.OPEN) {
      this.#view.system("*** Not connected. Press Reconnect first. ***");
      return;
    }
    socket.send(command);
    if (this.#echo) {
      this.#history.push(command);
      this.#view.echo(command);
    } else {
      // A password: neither shown nor remembered.
      this.#history.push("");
      this.#view.echo(undefined);
    }
    input.value = "";
  }

  #onKey(event: KeyboardEvent): void {
    if (!this.#echo || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
    const input = this.#el.input;
    const next = event.key === "ArrowUp" ? this.#history.up(input.value) : this.#history.down();
    event.preventDefault();
    if (next === undefined) return;
    input.value = next;
    input.setSelectionRange(next.length, next.length);
  }

  /** Echo off masks the input (a password); on restores it. */
  #setEcho(on: boolean): void {
    this.#echo = on;
    const input = this.#el.input;
    input.type = on ? "text" : "password";
    input.autocomplete = on ? "off" : "current-password";
  }

  #setState(state: ConnectionState, text: string): void {
    this.#el.status.dataset["state"] = state;
    this.#el.status.textContent = text;
    this.#el.reconnect.hidden = state !== "disconnected";
  }

  #sizeChangedSoon(): void {
    if (this.#resizeTimer !== undefined) clearTimeout(this.#resizeTimer);
    this.#resizeTimer = setTimeout(() => {
      this.#resizeTimer = undefined;
      this.#sendSize();
    }, RESIZE_SETTLE_MS);
  }

  /** Reports the view size in characters (the browser's NAWS), when it changed. */
  #sendSize(): void {
    const socket = this.#socket;
    if (socket === undefined || socket.readyState !== WebSocket.OPEN || socket.protocol !== LOOM_JSON_SUBPROTOCOL) return;
    const size = measureViewSize(this.#el.output, this.#el.probe);
    if (this.#lastSize?.width === size.width && this.#lastSize.height === size.height) return;
    this.#lastSize = size;
    const frame: CapsFrame = { t: "caps", width: size.width, height: size.height };
    socket.send(JSON.stringify(frame));
  }
}

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`index.html is missing #${id}`);
  return el;
}

function main(): void {
  const client = new LoomClient({
    output: byId("output", HTMLElement),
    probe: byId("measure", HTMLElement),
    form: byId("command-form", HTMLFormElement),
    input: byId("command", HTMLInputElement),
    status: byId("status", HTMLElement),
    reconnect: byId("reconnect", HTMLButtonElement),
  });
  client.connect();
}

main();
