/**
 * The Room panel (`#panel-room`): the room's name and area and one button per exit from
 * `Room.Info` (its short keys, "n", sent as typed; the long name is the button's tooltip), and
 * the things seen there from `Char.Items.List` (a click looks at one).
 */
import { bareName } from "../links.js";
import type { Item } from "../oob-messages.js";
import { LONG_DIRECTIONS } from "../world-view.js";
import { commandButton, listItem } from "./command-button.js";

/** The panel's elements. */
export interface RoomPanelElements {
  readonly name: HTMLElement;
  readonly area: HTMLElement;
  readonly exits: HTMLElement;
  readonly things: HTMLElement;
  /** The things' heading, hidden while there are none. */
  readonly thingsHeading: HTMLElement;
}

/** Draws the Room panel. */
export class RoomPanel {
  readonly #el: RoomPanelElements;

  constructor(elements: RoomPanelElements) {
    this.#el = elements;
  }

  /** The room and its exits. */
  showRoom(name: string, area: string, exits: readonly string[]): void {
    this.#el.name.textContent = name === "" ? "—" : name;
    this.#el.area.textContent = area;
    this.#el.exits.replaceChildren(
      ...exits.map((key) => {
        const button = commandButton(key, key, "exit");
        const long = LONG_DIRECTIONS[key];
        if (long !== undefined && long !== key) button.title = long;
        return button;
      }),
    );
  }

  /** The things in the room. */
  showThings(items: readonly Item[]): void {
    this.#el.thingsHeading.hidden = items.length === 0;
    this.#el.things.replaceChildren(...items.map((item) => listItem(commandButton(item.name, `look ${bareName(item.name)}`, item.attrib.includes("m") ? "creature" : "thing"))));
  }
}
