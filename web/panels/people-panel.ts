/**
 * The People here panel (`#panel-people`): one button per person in view (`Room.Players`,
 * `Room.AddPlayer`, `Room.RemovePlayer`); a click looks at them.
 */
import type { Person } from "../oob-messages.js";
import { commandButton, listItem } from "./command-button.js";

/** Draws the People here panel. */
export class PeoplePanel {
  readonly #list: HTMLElement;
  readonly #empty: HTMLElement;

  constructor(list: HTMLElement, empty: HTMLElement) {
    this.#list = list;
    this.#empty = empty;
  }

  /** The people in view, in the order they came. */
  show(people: readonly Person[]): void {
    this.#list.replaceChildren(...people.map((person) => listItem(commandButton(person.name, `look ${person.name}`, "person"))));
    this.#empty.hidden = people.length > 0;
  }
}
