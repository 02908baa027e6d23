/**
 * The panels aside (`#panels`): keeps the four panels (room, people here, character, channels)
 * in step with the models the out-of-band messages feed (world-view.ts, channel-log.ts), and
 * folds them away behind the *Panels* button on a phone (`#panels-toggle`; at 640 px and below
 * style.css shows them only while `#app` has `data-panels="open"`).
 */
import type { ChannelLog } from "../channel-log.js";
import type { OobEvent } from "../oob-messages.js";
import type { ViewPart, WorldView } from "../world-view.js";
import { ChannelsPanel, type ChannelsPanelElements } from "./channels-panel.js";
import { CharacterPanel, type CharacterPanelElements } from "./character-panel.js";
import { PeoplePanel } from "./people-panel.js";
import { RoomPanel, type RoomPanelElements } from "./room-panel.js";

/** The aside's elements, and the button and container that fold it on a phone. */
export interface PanelsElements {
  /** The page's layout root; its `data-panels` says whether the panels are open on a phone. */
  readonly app: HTMLElement;
  readonly toggle: HTMLButtonElement;
  readonly room: RoomPanelElements;
  readonly people: { readonly list: HTMLElement; readonly empty: HTMLElement };
  readonly character: CharacterPanelElements;
  readonly channels: ChannelsPanelElements;
}

/** The four panels and their toggle. */
export class PanelsView {
  readonly #el: PanelsElements;
  readonly #world: WorldView;
  readonly #channels: ChannelLog;
  readonly #room: RoomPanel;
  readonly #people: PeoplePanel;
  readonly #character: CharacterPanel;
  readonly #channelsPanel: ChannelsPanel;

  /** Draws `world` and `channels` as they are now; the toggle works from here on. */
  constructor(elements: PanelsElements, world: WorldView, channels: ChannelLog) {
    this.#el = elements;
    this.#world = world;
    this.#channels = channels;
    this.#room = new RoomPanel(elements.room);
    this.#people = new PeoplePanel(elements.people.list, elements.people.empty);
    this.#character = new CharacterPanel(elements.character);
    this.#channelsPanel = new ChannelsPanel(elements.channels, channels);
    this.redraw();
    elements.toggle.addEventListener("click", () => this.#toggle());
  }

  /**
   * Takes one out-of-band message into the models and redraws what it changed; returns the
   * part of the world view it changed, if any (the output's names follow "people" and "items").
   */
  apply(event: OobEvent): ViewPart | undefined {
    switch (event.type) {
      case "channel-list":
        this.#channels.setList(event.channels);
        this.#channelsPanel.show();
        return undefined;
      case "channel-text":
        this.#channels.post(event.channel, event.talker, event.text, event.talker.toLowerCase() === this.#world.character?.name.toLowerCase());
        this.#channelsPanel.posted(event.channel, { talker: event.talker, text: event.text });
        return undefined;
      default:
        break;
    }
    const part = this.#world.apply(event);
    if (part !== undefined) this.redraw(part);
    return part;
  }

  /** Redraws one panel, or all. */
  redraw(part?: ViewPart): void {
    const world = this.#world;
    if (part === undefined || part === "room") this.#room.showRoom(world.roomName, world.roomArea, world.exits);
    if (part === undefined || part === "items") {
      this.#room.showThings(world.items("room"));
      this.#character.showInventory(world.items("inv"));
    }
    if (part === undefined || part === "people") this.#people.show(world.people);
    if (part === undefined || part === "character") this.#character.showCharacter(world.character);
  }

  #toggle(): void {
    const open = this.#el.app.dataset["panels"] !== "open";
    this.#el.app.dataset["panels"] = open ? "open" : "closed";
    this.#el.toggle.setAttribute("aria-expanded", String(open));
    this.#el.toggle.textContent = open ? "Hide panels" : "Panels";
  }
}
