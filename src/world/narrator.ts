/**
 * The one narrator (docs/world.md, "Narration"): an event in, each distinct text rendered once
 * (for the actor, for the target, for everyone else in the place) and handed to the gateway
 * with its recipients; and the event itself, as data, to every mind in the place that listens
 * (a greeter hears an arrival). Actions never address sessions themselves.
 */
import type { GatewayPort, OutputMessage, SessionId, Span } from "../session/messages.js";
import { renderPhrase, type PhraseValues } from "./phrase.js";
import type { Thing } from "./model/thing.js";
import type { OobMessage } from "./room-contents.js";

/** The templates of an event: one for everyone, and where the wording differs, one for the actor or the target. */
export interface Phrase {
  /** What bystanders read, and the actor and the target when they have no template of their own; `""`: nothing (a respawn is seen only out of band). */
  readonly text: string;
  /** What the actor reads, when it is worded differently ("You give a red apple to Bob."); `""`: nothing. */
  readonly actor?: string;
  /** What the target reads, when it is worded differently. */
  readonly target?: string;
}

/**
 * The out-of-band messages that go with an event (issue 9: who is here, what lies here), each
 * built once and sent to the same readers as the event's text: `others` to every bystander the
 * text goes to, in one message however many they are. Only for events nobody may ignore (an
 * ignorer would miss a state change).
 */
export interface EventOob {
  readonly actor?: readonly OobMessage[];
  readonly target?: readonly OobMessage[];
  readonly others?: readonly OobMessage[];
}

/** Something that happened, with everyone who took part. */
export interface WorldEvent extends PhraseValues {
  /** What happened, for minds: "say", "arrive", "leave", "get", "give"... */
  readonly kind: string;
  readonly phrase: Phrase;
  /** The room where it can be seen. */
  readonly place: Thing;
  /** Who reads it: everyone in the place (the default), or only the actor and the target (a tell). */
  readonly audience?: "place" | "participants";
  /** The direction of a leave or an arrival, for minds ("north"). */
  readonly direction?: string;
  /** Words a reader may choose not to read (say, emote, tell, whisper): skipped for those who `ignore` the actor. */
  readonly ignorable?: boolean;
  /** State changes for clients' panels, sent with the text (see {@link EventOob}). */
  readonly oob?: EventOob;
}

/** Minds that hear events: called with each event and each listening thing in the place but the actor. */
export type Listener = (event: WorldEvent, listener: Thing) => void;

/** Renders events per observer and delivers them. */
export class Narrator {
  readonly #gateway: GatewayPort;
  readonly #listen: Listener;

  constructor(gateway: GatewayPort, listen: Listener) {
    this.#gateway = gateway;
    this.#listen = listen;
  }

  /**
   * Tells everyone concerned. The actor reads its text as an essential message (the answer to
   * its own command); the target and the bystanders read theirs as chatter (issue 5 item 9).
   * The bystanders' text is rendered once, however many there are.
   */
  narrate(event: WorldEvent): void {
    const { actor, target, phrase } = event;
    const others: SessionId[] = [];
    const minds: Thing[] = [];
    // Only the actor's player can be ignored; the check costs one field read per reader otherwise.
    const ignorableBy = event.ignorable === true ? actor.character?.player : undefined;
    if (event.audience !== "participants") {
      // Only characters read or listen: the place's people, not its exits and things.
      for (const thing of event.place.people ?? []) {
        if (thing === actor || thing === target) continue;
        if (ignorableBy !== undefined && thing.ignoring?.has(ignorableBy) === true) continue;
        if (thing.session !== undefined) others.push(thing.session);
        if (thing.behaviours.length > 0) minds.push(thing);
      }
    }
    const actorTemplate = phrase.actor ?? phrase.text;
    const oob = event.oob;
    if (actor.session !== undefined) {
      if (actorTemplate !== "") this.#send({ kind: "line", spans: renderPhrase(actorTemplate, event, actor) }, [actor.session]);
      if (oob?.actor !== undefined) this.#sendOob(oob.actor, [actor.session]);
    }
    if (target !== undefined && target !== actor && target.character !== undefined) {
      if (target.session !== undefined && !(ignorableBy !== undefined && target.ignoring?.has(ignorableBy) === true)) {
        const targetTemplate = phrase.target ?? phrase.text;
        if (targetTemplate !== "") this.#send({ kind: "line", spans: renderPhrase(targetTemplate, event, target), priority: "chatter" }, [target.session]);
      }
      // State, not words: an ignorer's panels still follow what reached their hands.
      if (target.session !== undefined && oob?.target !== undefined) this.#sendOob(oob.target, [target.session]);
      if (target.behaviours.length > 0) minds.push(target);
    }
    if (others.length > 0) {
      if (phrase.text !== "") this.#send({ kind: "line", spans: renderPhrase(phrase.text, event, undefined), priority: "chatter" }, others);
      // The recipients the text's walk of the place gathered: no second walk (issue 11).
      if (oob?.others !== undefined) this.#sendOob(oob.others, others);
    }
    for (const mind of minds) this.#listen(event, mind);
  }

  /**
   * One message, already worded, to everyone in `place` but those `except` names (by thing
   * id): a crowd's summary of its comings and goings (crowd-news.ts), which has no actor. The
   * text is built once; the out-of-band `oob.shared` goes to the same readers in one message,
   * except to those `oob.personal` has their own for. Minds do not hear it.
   */
  announce(
    place: Thing,
    message: OutputMessage,
    except: ReadonlyMap<string, unknown>,
    oob: { readonly shared: readonly OobMessage[]; readonly personal: ReadonlyMap<Thing, readonly OobMessage[]> },
  ): void {
    const readers: SessionId[] = [];
    const plain: SessionId[] = [];
    const own: [SessionId, readonly OobMessage[]][] = [];
    for (const thing of place.people ?? []) {
      if (thing.session === undefined || except.has(thing.id)) continue;
      readers.push(thing.session);
      const personal = oob.personal.get(thing);
      if (personal === undefined) plain.push(thing.session);
      else own.push([thing.session, personal]);
    }
    if (readers.length > 0) this.#send(message, readers);
    if (plain.length > 0) this.#sendOob(oob.shared, plain);
    for (const [session, messages] of own) this.#sendOob(messages, [session]);
  }

  /** One message to one character, if someone plays it: the answer to a command, a refusal. */
  tell(character: Thing, message: OutputMessage): void {
    if (character.session !== undefined) this.#send(message, [character.session]);
  }

  /** Spans for one observer, for a caller that composes a longer message around a phrase. */
  render(template: string, values: PhraseValues, observer: Thing | undefined): Span[] {
    return renderPhrase(template, values, observer);
  }

  #send(message: OutputMessage, to: readonly SessionId[]): void {
    this.#gateway.send({ type: "deliver", message, to });
  }

  #sendOob(messages: readonly OobMessage[], to: readonly SessionId[]): void {
    for (const { channel, data } of messages) this.#gateway.send({ type: "oob", channel, data, to });
  }
}
