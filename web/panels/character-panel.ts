/**
 * The Character panel (`#panel-character`): name, pronouns and role (`Char.Name`,
 * `Char.Status`) and what the player carries (`Char.Items.List` of `inv`).
 */
import { bareName } from "../links.js";
import type { Item } from "../oob-messages.js";
import type { CharacterInfo } from "../world-view.js";
import { commandButton, listItem } from "./command-button.js";

/** The panel's elements. */
export interface CharacterPanelElements {
  readonly name: HTMLElement;
  readonly pronouns: HTMLElement;
  readonly role: HTMLElement;
  readonly inventory: HTMLElement;
}

/** Draws the Character panel. */
export class CharacterPanel {
  readonly #el: CharacterPanelElements;

  constructor(elements: CharacterPanelElements) {
    this.#el = elements;
  }

  /** Who the player is; `undefined` before login. */
  showCharacter(character: CharacterInfo | undefined): void {
    this.#el.name.textContent = character?.fullname || character?.name || "—";
    this.#el.pronouns.textContent = character?.pronouns || "—";
    this.#el.role.textContent = character?.role || "—";
  }

  /** What the player carries. */
  showInventory(items: readonly Item[]): void {
    if (items.length === 0) {
      const none = document.createElement("li");
      none.className = "empty";
      none.textContent = "Nothing.";
      this.#el.inventory.replaceChildren(none);
      return;
    }
    this.#el.inventory.replaceChildren(...items.map((item) => listItem(commandButton(item.name, `look ${bareName(item.name)}`, "thing"))));
  }
}
