/**
 * How channels read (issue 7, "Talking"): the channel-name rule, a post as members read it
 * (`[chat] Alice: hello`, the poster `[chat] You: hello`), a history line, and the GMCP
 * `Comm.Channel.*` payloads. Pure: the channel service decides who reads what.
 *
 * History lines carry their time in UTC, hours and minutes: `[chat 14:05] Alice: hello`; a
 * line from an earlier day than today (UTC) carries the date too: `[chat 2024-03-01 14:05]`.
 * UTC, because the server cannot know each reader's zone and one zone keeps every reader's
 * history the same.
 */
import { styled, type OutputMessage, type Span } from "../../session/messages.js";
import { sanitizeText } from "../../session/sanitize.js";
import type { ChannelLine } from "../../store/store.js";

/** Shortest channel name. */
export const CHANNEL_NAME_MIN = 2;
/** Longest channel name: it shows in front of every line posted on it. */
export const CHANNEL_NAME_MAX = 16;

const CHANNEL_NAME = new RegExp(`^[a-z0-9]{${CHANNEL_NAME_MIN},${CHANNEL_NAME_MAX}}$`);

/** The outcome of {@link checkChannelName}. */
export type ChannelNameCheck = { readonly ok: true; readonly name: string } | { readonly ok: false; readonly error: string };

/**
 * Checks a name for a new channel, as an admin typed it (any case): lowercase letters and
 * digits, 2 to 16 of them, and not a word the dispatcher would take as a command first
 * (`isCommandWord`: every action's name and alias), or the channel could never be posted on.
 */
export function checkChannelName(input: string, isCommandWord: (word: string) => boolean): ChannelNameCheck {
  const name = input.trim().toLowerCase();
  if (!CHANNEL_NAME.test(name)) {
    return { ok: false, error: `Channel names are ${CHANNEL_NAME_MIN} to ${CHANNEL_NAME_MAX} letters or digits, a to z and 0 to 9.` };
  }
  if (isCommandWord(name)) return { ok: false, error: `"${name}" is a command; a channel of that name could not be posted on.` };
  return { ok: true, name };
}

/** A channel name as typed, made safe to quote back in a refusal. */
export function shownChannelName(input: string): string {
  return sanitizeText(input.trim().toLowerCase()).slice(0, 30);
}

/** A post as members read it: `[chat] Alice: hello`. `talker` is "You" for the poster. */
export function postLine(channel: string, talker: string, text: string, priority: "essential" | "chatter"): OutputMessage {
  const spans: Span[] = [`[${channel}] `, styled("name", talker), ": ", styled("speech", text)];
  return priority === "chatter" ? { kind: "line", spans, priority } : { kind: "line", spans };
}

/** One line of `history`: `[chat 14:05] Alice: hello`, dated when it is from before today (UTC). */
export function historyLine(line: ChannelLine, now: number): Span[] {
  return [`[${line.channel} ${stamp(line.at, now)}] `, styled("name", sanitizeText(line.sender)), ": ", styled("speech", sanitizeText(line.text))];
}

/** `14:05` today (UTC), `2024-03-01 14:05` before. */
export function stamp(at: number, now: number): string {
  const iso = new Date(at).toISOString(); // 2024-03-01T14:05:09.000Z
  const day = iso.slice(0, 10);
  const time = iso.slice(11, 16);
  return day === new Date(now).toISOString().slice(0, 10) ? time : `${day} ${time}`;
}

/** GMCP `Comm.Channel.Text`: one post, for clients that show channels in a window of their own. */
export interface ChannelText {
  readonly channel: string;
  /** The poster's name (the same for every member, the poster included). */
  readonly talker: string;
  /** What was posted, sanitised; the client adds the `[chat] Alice:` framing it wants. */
  readonly text: string;
}

/** One entry of GMCP `Comm.Channel.List`: a channel the player is in. */
export interface ChannelListEntry {
  readonly name: string;
  /** The name as a title: `Chat`. */
  readonly caption: string;
  /** What to type before the text to post on it. */
  readonly command: string;
}

/** One entry of GMCP `Comm.Channel.Players`: someone online and the channels they are in. */
export interface ChannelPlayer {
  readonly name: string;
  readonly channels: readonly string[];
}

/** The `Comm.Channel.List` entry of a channel. */
export function listEntry(name: string): ChannelListEntry {
  return { name, caption: name.charAt(0).toUpperCase() + name.slice(1), command: name };
}
