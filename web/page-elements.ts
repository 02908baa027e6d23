/**
 * The elements of index.html the script works with, by id, found once at start-up and grouped
 * by the part of the page that owns them. The page and the script ship together, so a missing
 * one is a build mistake: it throws at once rather than failing later, on a click.
 */
import type { CommandInputElements } from "./command-input.js";
import type { LoginFormElements } from "./login-form.js";
import type { PanelsElements } from "./panels/panels-view.js";

/** The page's elements. */
export interface PageElements {
  readonly output: HTMLElement;
  /** The *New messages ↓* button. */
  readonly newMessages: HTMLElement;
  /** Ten characters in the output's font, for measuring the view (view-size.ts). */
  readonly probe: HTMLElement;
  readonly status: HTMLElement;
  readonly reconnect: HTMLButtonElement;
  /** The aside, where panel buttons are clicked. */
  readonly panelsArea: HTMLElement;
  readonly command: CommandInputElements;
  readonly login: LoginFormElements;
  readonly panels: PanelsElements;
}

/** Finds the page's elements; throws naming the first one missing. */
export function findPageElements(): PageElements {
  const output = byId("output", HTMLElement);
  return {
    output,
    newMessages: byId("new-messages", HTMLElement),
    probe: byId("measure", HTMLElement),
    status: byId("status", HTMLElement),
    reconnect: byId("reconnect", HTMLButtonElement),
    panelsArea: byId("panels", HTMLElement),
    command: {
      form: byId("command-form", HTMLFormElement),
      input: byId("command", HTMLInputElement),
      completionStatus: byId("completion-status", HTMLElement),
      output,
    },
    login: {
      form: byId("login", HTMLFormElement),
      name: byId("login-name", HTMLInputElement),
      password: byId("login-password", HTMLInputElement),
      error: byId("login-error", HTMLElement),
    },
    panels: {
      app: byId("app", HTMLElement),
      toggle: byId("panels-toggle", HTMLButtonElement),
      room: {
        name: byId("room-name", HTMLElement),
        area: byId("room-area", HTMLElement),
        exits: byId("room-exits", HTMLElement),
        things: byId("room-things", HTMLElement),
        thingsHeading: byId("room-things-heading", HTMLElement),
      },
      people: { list: byId("people-list", HTMLElement), empty: byId("people-empty", HTMLElement) },
      character: {
        name: byId("char-name", HTMLElement),
        pronouns: byId("char-pronouns", HTMLElement),
        role: byId("char-role", HTMLElement),
        inventory: byId("char-inventory", HTMLElement),
      },
      channels: { list: byId("channel-list", HTMLElement), empty: byId("channels-empty", HTMLElement), lines: byId("channel-lines", HTMLElement) },
    },
  };
}

/** The element with `id`, checked to be a `type`. */
function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`index.html is missing #${id}`);
  return el;
}
