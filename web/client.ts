/**
 * Loom's browser client (issue 9). Connects to `ws(s)://<host>/ws` offering `loom.v1.json`,
 * shows what the world says (exits and names as buttons), sends what the player types or
 * clicks, and keeps panels (room, people here, character, channels) from the out-of-band
 * messages. A dropped connection comes back by itself with backoff, keeping the log, and
 * resumes the character with a resume token instead of the password. Bundled by
 * `scripts/build-web.mjs` into `dist/web/client.js`; the page (`index.html`) has no inline
 * script or style (CSP). docs/web-client.md describes it for players and operators.
 *
 * This file only composes the parts: connection.ts (socket, backoff), resume-flow.ts,
 * output-view.ts, login-form.ts, world-view.ts and channel-log.ts (models), panels/*,
 * completion.ts and history-store.ts.
 */
import { LOOM_JSON_SUBPROTOCOL, type CapsFrame, type ServerFrame } from "../protocols/websocket/wire.js";
import type { OutputMessage } from "../src/session/messages.js";
import { ChannelLog } from "./channel-log.js";
import { CommandHistory } from "./command-history.js";
import { Completer, describeCompletion } from "./completion.js";
import { Connection } from "./connection.js";
import { loadHistory, mayRemember, saveHistory, type KeyValueStorage } from "./history-store.js";
import { LoginForm, type LoginRequest } from "./login-form.js";
import { parseOob, type OobEvent } from "./oob-messages.js";
import { OutputView } from "./output-view.js";
import { ChannelsPanel } from "./panels/channels-panel.js";
import { CharacterPanel } from "./panels/character-panel.js";
import { PeoplePanel } from "./panels/people-panel.js";
import { RoomPanel } from "./panels/room-panel.js";
import { ResumeFlow, type ResumeAttempt } from "./resume-flow.js";
import { ResumeStore } from "./resume-store.js";
import { parseServerFrame } from "./server-frames.js";
import { measureViewSize, type ViewSize } from "./view-size.js";
import { WorldView, type ViewPart } from "./world-view.js";

/** How long the view must stay still before a new size is reported, ms. */
const RESIZE_SETTLE_MS = 150;

/** How long a resume may take before the login form is shown anyway, ms. */
const RESUME_ANSWER_MS = 5000;

/** Most text messages held while a resume is in flight; past it they show at once. */
const MAX_HELD_MESSAGES = 200;

/** The page's elements, found once. */
interface Elements {
  readonly app: HTMLElement;
  readonly output: HTMLElement;
  readonly newMessages: HTMLElement;
  readonly probe: HTMLElement;
  readonly form: HTMLFormElement;
  readonly input: HTMLInputElement;
  readonly completionStatus: HTMLElement;
  readonly status: HTMLElement;
  readonly reconnect: HTMLButtonElement;
  readonly panels: HTMLElement;
  readonly panelsToggle: HTMLButtonElement;
}

type ConnectionState = "connecting" | "connected" | "reconnecting" | "disconnected";

/** One page's client. */
class LoomClient {
  readonly #el: Elements;
  readonly #view: OutputView;
  readonly #storage: KeyValueStorage | undefined;
  readonly #history: CommandHistory;
  readonly #completer = new Completer();
  readonly #world = new WorldView();
  readonly #channels = new ChannelLog();
  readonly #connection: Connection;
  readonly #resume: ResumeFlow;
  readonly #login: LoginForm;
  readonly #room: RoomPanel;
  readonly #people: PeoplePanel;
  readonly #character: CharacterPanel;
  readonly #channelsPanel: ChannelsPanel;
  #echo = true;
  #loggedIn = false;
  #lastSize: ViewSize | undefined;
  #resizeTimer: ReturnType<typeof setTimeout> | undefined;
  #resumeTimer: ReturnType<typeof setTimeout> | undefined;
  #countdown: ReturnType<typeof setInterval> | undefined;
  /**
   * Text held while a resume is in flight: a resumed page should not show the login greeting
   * again. On success what came up to the login prompt is dropped; otherwise all of it shows.
   */
  #held: OutputMessage[] | undefined;
  /**
   * A login sent from the form while not connected (the login timeout closed an idle page, the
   * network dropped): it goes at the next connection's first prompt ("Your name:"), instead of a
   * resume.
   */
  #queuedLogin: LoginRequest | undefined;

  constructor(elements: Elements) {
    this.#el = elements;
    this.#storage = localStorageOrUndefined();
    this.#history = new CommandHistory({ entries: loadHistory(this.#storage) });
    this.#view = new OutputView(elements.output, elements.newMessages, { isPresent: (name) => this.#world.isPresent(name) });
    this.#connection = new Connection(Connection.urlFor(location), {
      open: (reconnected) => this.#onOpen(reconnected),
      message: (data, json) => this.#onText(data, json),
      closed: (why, retryInMs) => this.#onClosed(why, retryInMs),
    });
    this.#resume = new ResumeFlow(new ResumeStore(this.#storage), (channel, data) => this.#connection.sendOob(channel, data), () => Date.now());
    this.#login = new LoginForm(
      {
        form: byId("login", HTMLFormElement),
        name: byId("login-name", HTMLInputElement),
        password: byId("login-password", HTMLInputElement),
        error: byId("login-error", HTMLElement),
      },
      (request) => this.#sendLogin(request),
    );
    this.#room = new RoomPanel({ name: byId("room-name", HTMLElement), area: byId("room-area", HTMLElement), exits: byId("room-exits", HTMLElement), things: byId("room-things", HTMLElement), thingsHeading: byId("room-things-heading", HTMLElement) });
    this.#people = new PeoplePanel(byId("people-list", HTMLElement), byId("people-empty", HTMLElement));
    this.#character = new CharacterPanel({
      name: byId("char-name", HTMLElement),
      pronouns: byId("char-pronouns", HTMLElement),
      role: byId("char-role", HTMLElement),
      inventory: byId("char-inventory", HTMLElement),
    });
    this.#channelsPanel = new ChannelsPanel({ list: byId("channel-list", HTMLElement), empty: byId("channels-empty", HTMLElement), lines: byId("channel-lines", HTMLElement) }, this.#channels);
    this.#redraw();

    elements.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.#submit();
    });
    elements.input.addEventListener("keydown", (event) => this.#onKey(event));
    elements.reconnect.addEventListener("click", () => this.#connectNow());
    elements.panelsToggle.addEventListener("click", () => this.#togglePanels());
    // One listener for every command button, in the output and in the panels.
    for (const area of [elements.output, elements.panels]) area.addEventListener("click", (event) => this.#onCommandClick(event));
    // Clicking the output (but not selecting text in it, nor a button) goes back to typing.
    elements.output.addEventListener("mouseup", (event) => {
      if (event.target instanceof Element && event.target.closest("button") !== null) return;
      if (window.getSelection()?.isCollapsed ?? true) elements.input.focus();
    });
    new ResizeObserver(() => this.#sizeChangedSoon()).observe(elements.output);
    // Back on a network (a phone leaving a tunnel): no point waiting out the backoff.
    window.addEventListener("online", () => {
      if (elements.status.dataset["state"] === "reconnecting") this.#connectNow();
    });
  }

  /** Opens the first connection. */
  start(): void {
    this.#connectNow();
  }

  /** Connects now: the first time, on the Reconnect button, or for a login typed while disconnected. */
  #connectNow(): void {
    this.#stopCountdown();
    this.#setState("connecting", "Connecting…");
    this.#connection.connect();
  }

  #onOpen(reconnected: boolean): void {
    this.#stopCountdown();
    this.#lastSize = undefined;
    this.#loggedIn = false;
    this.#world.reset();
    this.#redraw();
    if (reconnected) this.#view.system("— reconnected —", "divider");
    this.#setState("connected", "Connected");
    // The form first: it takes room from the output, and the size sent is the one that stays.
    // Then `caps`, before anything that logs in: a resume's room description is wrapped at the
    // width the server has when it arrives (resume-flow.ts `opened`).
    const layOut = (attempt: ResumeAttempt): void => {
      this.#login.show(attempt === "login");
      this.#sendSize();
    };
    let resuming = false;
    if (this.#queuedLogin === undefined && this.#connection.protocol === LOOM_JSON_SUBPROTOCOL) resuming = this.#resume.opened(layOut) === "resuming";
    else layOut("login");
    if (resuming) {
      this.#held = [];
      this.#resumeTimer = setTimeout(() => {
        this.#resumeTimer = undefined;
        if (this.#loggedIn) return;
        this.#resume.gaveUp();
        this.#releaseHeld(false);
        this.#login.show(true);
      }, RESUME_ANSWER_MS);
    }
    // A fresh page puts the cursor where the player starts: the form's name field, or the command line.
    if (!reconnected && document.activeElement === document.body) {
      if (resuming) this.#el.input.focus();
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
        if (this.#held !== undefined && this.#held.length < MAX_HELD_MESSAGES) this.#held.push(frame);
        else this.#view.write(frame);
        if (frame.kind === "prompt" && this.#queuedLogin !== undefined) {
          const queued = this.#queuedLogin;
          this.#queuedLogin = undefined;
          this.#sendLogin(queued);
        }
        break;
      case "echo":
        this.#setEcho(frame.on);
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
        this.#clearResumeTimer();
        this.#releaseHeld(this.#resume.pending);
        this.#resume.loggedIn();
        this.#login.show(false);
        break;
      case "resume-token":
        this.#resume.token(event.token, event.expiresAt);
        return;
      case "resume-failed":
        this.#clearResumeTimer();
        this.#releaseHeld(false);
        this.#resume.failed();
        if (!this.#loggedIn) {
          this.#view.system(event.reason === "expired" ? "Your saved session has expired. Please log in." : "Could not resume your session. Please log in.");
          this.#login.show(true);
        }
        return;
      case "channel-list":
        this.#channels.setList(event.channels);
        this.#channelsPanel.show();
        return;
      case "channel-text":
        this.#channels.post(event.channel, event.talker, event.text, event.talker.toLowerCase() === this.#world.character?.name.toLowerCase());
        this.#channelsPanel.posted(event.channel, { talker: event.talker, text: event.text });
        return;
      default:
        break;
    }
    const part = this.#world.apply(event);
    if (part !== undefined) this.#redraw(part);
  }

  /** Redraws one panel, or all. */
  #redraw(part?: ViewPart): void {
    const world = this.#world;
    if (part === undefined || part === "room") this.#room.showRoom(world.roomName, world.roomArea, world.exits);
    if (part === undefined || part === "items") {
      this.#room.showThings(world.items("room"));
      this.#character.showInventory(world.items("inv"));
    }
    if (part === undefined || part === "people") this.#people.show(world.people);
    if (part === undefined || part === "character") this.#character.showCharacter(world.character);
    if (part === "people" || part === "items") this.#view.relinkNames();
  }

  /** Shows the text held during a resume; `resumed`: without the login greeting and prompt. */
  #releaseHeld(resumed: boolean): void {
    const held = this.#held;
    this.#held = undefined;
    if (held === undefined) return;
    let start = 0;
    if (resumed) for (let i = 0; i < held.length; i++) if (held[i]?.kind === "prompt") start = i + 1;
    for (const message of held.slice(start)) this.#view.write(message);
  }

  #onClosed(why: string, retryInMs: number | undefined): void {
    this.#clearResumeTimer();
    this.#releaseHeld(false);
    this.#setEcho(true);
    this.#loggedIn = false;
    if (retryInMs === undefined) {
      this.#queuedLogin = undefined;
      this.#setState("disconnected", `Disconnected: ${why}`);
      this.#view.system(`*** Disconnected (${why}). Press Reconnect to play again. ***`);
      return;
    }
    this.#view.system(why === "connection lost" ? "*** Connection lost. Reconnecting… ***" : `*** Disconnected (${why}). Reconnecting… ***`);
    const until = Date.now() + retryInMs;
    const tick = (): void => {
      const seconds = Math.max(1, Math.ceil((until - Date.now()) / 1000));
      this.#setState("reconnecting", "Reconnecting", ` in ${seconds} s`);
    };
    this.#stopCountdown();
    tick();
    this.#countdown = setInterval(tick, 1000);
  }

  #sendLogin(request: LoginRequest): void {
    if (this.#connection.send(`${request.verb} ${request.name} ${request.password}`)) {
      this.#view.echo(`${request.verb} ${request.name} ********`);
      return;
    }
    this.#queuedLogin = request;
    if (this.#el.status.dataset["state"] !== "connecting") this.#connectNow();
  }

  #submit(): void {
    const input = this.#el.input;
    if (this.#sendCommand(input.value, this.#echo)) input.value = "";
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
    this.#completer.reset();
    const words = command.trim().split(/\s+/);
    const verb = words[0]?.toLowerCase() ?? "";
    if (this.#loggedIn && verb === "quit") this.#resume.quit();
    if (mayRemember(command, echo)) {
      this.#history.push(command);
      saveHistory(this.#storage, this.#history.entries);
    } else {
      this.#history.push("");
    }
    if (!echo) this.#view.echo(undefined); // A password: neither shown nor remembered.
    else if (verb === "connect" || verb === "create") this.#view.echo(`${words.slice(0, 2).join(" ")} ********`);
    else this.#view.echo(command);
    return true;
  }

  #onCommandClick(event: MouseEvent): void {
    const button = event.target instanceof Element ? event.target.closest<HTMLElement>("button[data-command]") : null;
    const command = button?.dataset["command"];
    // Never while echo is off: the line would be taken as a password.
    if (command === undefined || !this.#echo) return;
    this.#sendCommand(command, true);
    // A mouse click goes back to typing; a key press (detail 0) keeps the keyboard user's place.
    if (event.detail > 0) this.#el.input.focus();
  }

  #onKey(event: KeyboardEvent): void {
    if (!this.#echo) return;
    const input = this.#el.input;
    if (event.key === "Tab") {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      this.#complete(event);
      return;
    }
    if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
    const next = event.key === "ArrowUp" ? this.#history.up(input.value) : this.#history.down();
    event.preventDefault();
    if (next === undefined) return;
    input.value = next;
    input.setSelectionRange(next.length, next.length);
  }

  /** Tab: completes the word before the cursor; with nothing to complete Tab moves focus as usual. */
  #complete(event: KeyboardEvent): void {
    const input = this.#el.input;
    const cursor = input.selectionStart ?? input.value.length;
    if (cursor !== (input.selectionEnd ?? cursor)) return;
    const world = this.#world;
    const completion = this.#completer.complete(
      input.value,
      cursor,
      {
        commands: world.commands,
        exits: world.exitWords(),
        things: [...world.items("room"), ...world.items("inv")].map((item) => item.name),
        people: world.people.map((person) => person.name),
      },
      event.shiftKey,
    );
    if (completion === undefined) return;
    event.preventDefault();
    input.value = completion.value;
    input.setSelectionRange(completion.cursor, completion.cursor);
    this.#el.completionStatus.textContent = describeCompletion(completion);
  }

  #togglePanels(): void {
    const open = this.#el.app.dataset["panels"] !== "open";
    this.#el.app.dataset["panels"] = open ? "open" : "closed";
    this.#el.panelsToggle.setAttribute("aria-expanded", String(open));
    this.#el.panelsToggle.textContent = open ? "Hide panels" : "Panels";
  }

  /** Echo off masks the input (a password); on restores it. */
  #setEcho(on: boolean): void {
    this.#echo = on;
    const input = this.#el.input;
    input.type = on ? "text" : "password";
    input.autocomplete = on ? "off" : "current-password";
  }

  /**
   * Shows the connection's state. `countdown` is shown but hidden from screen readers: the status
   * region would otherwise announce every second of a wait.
   */
  #setState(state: ConnectionState, text: string, countdown = ""): void {
    const status = this.#el.status;
    status.dataset["state"] = state;
    this.#el.reconnect.hidden = state !== "disconnected" && state !== "reconnecting";
    if (status.textContent === text + countdown) return;
    if (countdown === "") {
      status.textContent = text;
      return;
    }
    const seconds = document.createElement("span");
    seconds.setAttribute("aria-hidden", "true");
    seconds.textContent = countdown;
    if (status.firstChild?.textContent === text && status.childNodes.length === 2) status.lastChild?.replaceWith(seconds);
    else status.replaceChildren(text, seconds);
  }

  #stopCountdown(): void {
    if (this.#countdown !== undefined) clearInterval(this.#countdown);
    this.#countdown = undefined;
  }

  #clearResumeTimer(): void {
    if (this.#resumeTimer !== undefined) clearTimeout(this.#resumeTimer);
    this.#resumeTimer = undefined;
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
    if (!this.#connection.open || this.#connection.protocol !== LOOM_JSON_SUBPROTOCOL) return;
    const size = measureViewSize(this.#el.output, this.#el.probe);
    if (this.#lastSize?.width === size.width && this.#lastSize.height === size.height) return;
    this.#lastSize = size;
    const frame: CapsFrame = { t: "caps", width: size.width, height: size.height };
    this.#connection.send(JSON.stringify(frame));
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

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`index.html is missing #${id}`);
  return el;
}

function main(): void {
  const client = new LoomClient({
    app: byId("app", HTMLElement),
    output: byId("output", HTMLElement),
    newMessages: byId("new-messages", HTMLElement),
    probe: byId("measure", HTMLElement),
    form: byId("command-form", HTMLFormElement),
    input: byId("command", HTMLInputElement),
    completionStatus: byId("completion-status", HTMLElement),
    status: byId("status", HTMLElement),
    reconnect: byId("reconnect", HTMLButtonElement),
    panels: byId("panels", HTMLElement),
    panelsToggle: byId("panels-toggle", HTMLButtonElement),
  });
  client.start();
}

main();
