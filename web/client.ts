/**
 * Loom's browser client (issue 9). Connects to `ws(s)://<host>/ws` offering `loom.v1.json`,
 * shows what the world says (exits and names as buttons), sends what the player types or
 * clicks, and keeps panels (room, people here, character, channels) from the out-of-band
 * messages. A dropped connection comes back by itself with backoff, keeping the log, and
 * resumes the character with a resume token instead of the password. Bundled by
 * `scripts/build-web.mjs` into `dist/web/client.js`; the page (`index.html`) has no inline
 * script or style (CSP). docs/web-client.md describes it for players and operators.
 *
 * This file only composes the parts (docs/web-client.md lists them): it routes the server's
 * frames, and runs the login and resume across connections.
 */
import { LOOM_JSON_SUBPROTOCOL, type ServerFrame } from "../protocols/websocket/wire.js";
import { ChannelLog } from "./channel-log.js";
import { CommandInput } from "./command-input.js";
import { Connection } from "./connection.js";
import { ConnectionStatus } from "./connection-status.js";
import type { KeyValueStorage } from "./history-store.js";
import { LoginForm, type LoginRequest } from "./login-form.js";
import { parseOob, type OobEvent } from "./oob-messages.js";
import { OutputView } from "./output-view.js";
import { findPageElements, type PageElements } from "./page-elements.js";
import { PanelsView } from "./panels/panels-view.js";
import { ResumeFlow, type ResumeAttempt } from "./resume-flow.js";
import { ResumeHold } from "./resume-hold.js";
import { ResumeStore } from "./resume-store.js";
import { parseServerFrame } from "./server-frames.js";
import { ViewSizeReporter } from "./view-size.js";
import { WorldView } from "./world-view.js";

/** One page's client. */
class LoomClient {
  readonly #view: OutputView;
  readonly #world = new WorldView();
  readonly #connection: Connection;
  readonly #status: ConnectionStatus;
  readonly #input: CommandInput;
  readonly #resume: ResumeFlow;
  /** Text held while a resume is in flight: a resumed page should not show the login greeting again. */
  readonly #hold: ResumeHold;
  readonly #login: LoginForm;
  readonly #panels: PanelsView;
  readonly #size: ViewSizeReporter;
  #loggedIn = false;
  /**
   * A login sent from the form while not connected (the login timeout closed an idle page, the
   * network dropped): it goes at the next connection's first prompt ("Your name:"), instead of a
   * resume.
   */
  #queuedLogin: LoginRequest | undefined;

  constructor(elements: PageElements) {
    const storage = localStorageOrUndefined();
    const world = this.#world;
    this.#view = new OutputView(elements.output, elements.newMessages, { isPresent: (name) => world.isPresent(name) });
    this.#connection = new Connection(Connection.urlFor(location), {
      open: (reconnected) => this.#onOpen(reconnected),
      message: (data, json) => this.#onText(data, json),
      closed: (why, retryInMs) => this.#onClosed(why, retryInMs),
    });
    this.#status = new ConnectionStatus(elements.status, elements.reconnect);
    this.#input = new CommandInput(elements.command, storage, {
      send: (command, echo) => this.#sendCommand(command, echo),
      completions: () => world.completions(),
    });
    this.#resume = new ResumeFlow(new ResumeStore(storage), (channel, data) => this.#connection.sendOob(channel, data), () => Date.now());
    this.#hold = new ResumeHold((message) => this.#view.write(message));
    this.#login = new LoginForm(elements.login, (request) => this.#sendLogin(request));
    this.#panels = new PanelsView(elements.panels, world, new ChannelLog());
    this.#size = new ViewSizeReporter(elements.output, elements.probe, (size) => this.#connection.sendCaps(size));

    elements.reconnect.addEventListener("click", () => this.#connectNow());
    // One listener for every command button, in the output and in the panels.
    for (const area of [elements.output, elements.panelsArea]) area.addEventListener("click", (event) => this.#onCommandClick(event));
    // Back on a network (a phone leaving a tunnel): no point waiting out the backoff.
    window.addEventListener("online", () => {
      if (this.#status.state === "reconnecting") this.#connectNow();
    });
  }

  /** Opens the first connection. */
  start(): void {
    this.#connectNow();
  }

  /** Connects now: the first time, on the Reconnect button, or for a login typed while disconnected. */
  #connectNow(): void {
    this.#status.show("connecting", "Connecting…");
    this.#connection.connect();
  }

  #onOpen(reconnected: boolean): void {
    this.#size.forget();
    this.#loggedIn = false;
    this.#world.reset();
    this.#panels.redraw();
    if (reconnected) this.#view.system("— reconnected —", "divider");
    this.#status.show("connected", "Connected");
    // The form first: it takes room from the output, and the size sent is the one that stays.
    // Then `caps`, before anything that logs in: a resume's room description is wrapped at the
    // width the server has when it arrives (resume-flow.ts `opened`).
    const layOut = (attempt: ResumeAttempt): void => {
      this.#login.show(attempt === "login");
      this.#size.report();
    };
    let resuming = false;
    if (this.#queuedLogin === undefined && this.#connection.protocol === LOOM_JSON_SUBPROTOCOL) resuming = this.#resume.opened(layOut) === "resuming";
    else layOut("login");
    if (resuming) {
      this.#hold.start(() => {
        if (this.#loggedIn) return;
        this.#resume.gaveUp();
        this.#hold.release(false);
        this.#login.show(true);
      });
    }
    // A fresh page puts the cursor where the player starts: the form's name field, or the command line.
    if (!reconnected && document.activeElement === document.body) {
      if (resuming) this.#input.focus();
      else this.#login.focus();
    }
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
        this.#hold.write(frame);
        if (frame.kind === "prompt" && this.#queuedLogin !== undefined) {
          const queued = this.#queuedLogin;
          this.#queuedLogin = undefined;
          this.#sendLogin(queued);
        }
        break;
      case "echo":
        this.#input.setEcho(frame.on);
        break;
      case "oob": {
        const event = parseOob(frame.channel, frame.data);
        if (event !== undefined) this.#onOob(event);
        // Extensions can listen for every message, read or not.
        window.dispatchEvent(new CustomEvent("loom:oob", { detail: { channel: frame.channel, data: frame.data } }));
        break;
      }
      default: {
        const unreachable: never = frame;
        return unreachable;
      }
    }
  }

  #onOob(event: OobEvent): void {
    switch (event.type) {
      case "char-name":
        this.#loggedIn = true;
        this.#hold.release(this.#resume.pending);
        this.#resume.loggedIn();
        this.#login.show(false);
        break;
      case "resume-token":
        this.#resume.token(event.token, event.expiresAt);
        return;
      case "resume-failed":
        this.#hold.release(false);
        this.#resume.failed();
        if (!this.#loggedIn) {
          this.#view.system(event.reason === "expired" ? "Your saved session has expired. Please log in." : "Could not resume your session. Please log in.");
          this.#login.show(true);
        }
        return;
      default:
        break;
    }
    const part = this.#panels.apply(event);
    // A name in the output is a button only while its bearer is in view (links.ts).
    if (part === "people" || part === "items") this.#view.relinkNames();
  }

  #onClosed(why: string, retryInMs: number | undefined): void {
    this.#hold.release(false);
    this.#input.setEcho(true);
    this.#loggedIn = false;
    if (retryInMs === undefined) {
      this.#queuedLogin = undefined;
      this.#status.show("disconnected", `Disconnected: ${why}`);
      this.#view.system(`*** Disconnected (${why}). Press Reconnect to play again. ***`);
      return;
    }
    this.#view.system(why === "connection lost" ? "*** Connection lost. Reconnecting… ***" : `*** Disconnected (${why}). Reconnecting… ***`);
    this.#status.reconnectingIn(retryInMs);
  }

  #sendLogin(request: LoginRequest): void {
    if (this.#connection.send(`${request.verb} ${request.name} ${request.password}`)) {
      this.#view.echo(`${request.verb} ${request.name} ********`);
      return;
    }
    this.#queuedLogin = request;
    if (this.#status.state !== "connecting") this.#connectNow();
  }

  /**
   * Sends one line as typed: shown (masked when it holds a password), remembered when it may be
   * (history-store.ts). False when not connected.
   */
  #sendCommand(command: string, echo: boolean): boolean {
    if (!this.#connection.send(command)) {
      this.#view.system("*** Not connected. Press Reconnect first. ***");
      return false;
    }
    this.#input.sent(command, echo);
    const words = command.trim().split(/\s+/);
    const verb = words[0]?.toLowerCase() ?? "";
    if (this.#loggedIn && verb === "quit") this.#resume.quit();
    if (!echo) this.#view.echo(undefined); // A password: neither shown nor remembered.
    else if (verb === "connect" || verb === "create") this.#view.echo(`${words.slice(0, 2).join(" ")} ********`);
    else this.#view.echo(command);
    return true;
  }

  #onCommandClick(event: MouseEvent): void {
    const button = event.target instanceof Element ? event.target.closest<HTMLElement>("button[data-command]") : null;
    const command = button?.dataset["command"];
    // Never while echo is off: the line would be taken as a password.
    if (command === undefined || !this.#input.echo) return;
    this.#sendCommand(command, true);
    // A mouse click goes back to typing; a key press (detail 0) keeps the keyboard user's place.
    if (event.detail > 0) this.#input.focus();
  }
}

/** The page's localStorage, or `undefined` where the browser forbids it (reading it can throw). */
function localStorageOrUndefined(): KeyValueStorage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

function main(): void {
  new LoomClient(findPageElements()).start();
}

main();
