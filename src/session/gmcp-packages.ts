/**
 * The GMCP packages Loom speaks, as zod schemas: what a client may send (`Core.*`,
 * `Loom.Resume.*`) and what the world sends through the session boundary's `oob` messages
 * (`Char.*`, `Room.*`, `Comm.Channel.*`, `Loom.*`). The shapes are the IRE ones
 * (nexus.ironrealms.com/GMCP, kept up in github.com/keneanung/GMCPAdditions), which Mudlet's
 * mapper and most client scripts read; `Loom.*` are Loom's own (docs/web-client.md, "Resume tokens").
 *
 * Here, and not under `protocols/`, because every door that carries out-of-band data uses the
 * same packages: telnet GMCP (option 201), the WebSocket door's `gmcp.mudstandards.org` and its
 * JSON forms; and the world may check inbound packages with them too.
 *
 * Inbound payloads are always checked with these schemas (`safeParse`, a bad one is counted and
 * ignored). Outbound ones are not checked at run time: the world builds them from typed code
 * (`RoomInfo`, `CharStatus`, `ChannelText`…), and the tests check those types against these
 * schemas at compile time and the payloads the world really sends against them at run time
 * (test/session/gmcp-packages.test.ts, test/integration/gmcp.test.ts). A `safeParse` of a
 * `Comm.Channel.Text` takes 0.2-0.3 µs (zod 4, Node 20, 2-core Xeon): a third again on top of
 * encoding the message (about 0.5-1 µs), per GMCP recipient of every post, to check what the
 * types and those tests already check.
 *
 * GMCP package and message names are case-insensitive; JSON keys are not (IRE).
 */
import { z } from "zod";

/** Longest package name accepted or sent: `Comm.Channel.Players` is 20. */
export const MAX_GMCP_NAME_LENGTH = 64;

/**
 * A GMCP message name: dotted words, at least `Package.Message` (`Core.Hello`,
 * `Char.Items.Inv`). Words are letters, digits, `_` and `-`, the first starting with a letter.
 */
export const GMCP_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+$/;

/** Most modules one client may list in `Core.Supports` (Mudlet lists 8; plug-ins add a few). */
export const MAX_GMCP_SUPPORTS = 64;

/** Longest resume token read from a client; a real one is 43 characters (issue 9). */
export const MAX_RESUME_TOKEN_LENGTH = 128;

/** Longest `Core.Hello` field kept (client name, version). */
export const MAX_GMCP_HELLO_FIELD = 64;

// C0 and C1 controls and DEL: a client name ends up in logs and in `who`-like listings.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g;

/** JSON key names are case-sensitive, but some clients send `Client` and `Version`: read both. */
function lowerCaseKeys(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key.toLowerCase(), field]));
}

const helloField = z
  .string()
  .max(MAX_GMCP_HELLO_FIELD)
  .transform((text) => text.replace(CONTROL_CHARS, "").trim());

/** `Core.Hello` from the client: `{ "client": "Mudlet", "version": "4.17.2" }`. */
export const coreHelloSchema = z.preprocess(
  lowerCaseKeys,
  z.object({
    client: helloField.refine((name) => name.length > 0, { error: "client must not be empty" }),
    /** Default "" (the version is informative only). */
    version: helloField.optional().default(""),
  }),
);
/** A valid `Core.Hello`, cleaned. */
export type CoreHello = z.output<typeof coreHelloSchema>;

/**
 * One entry of a `Core.Supports.*` list: a module and its version, `"Room 1"`. The version is
 * optional: the IRE format requires it for Set and Add, but MUSHclient plug-ins and others send
 * bare names, some of them single messages (`"room.info"`). Remove ignores it.
 */
const SUPPORTS_ENTRY = /^\s*([A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*)(?:\s+(\d{1,6}))?\s*$/;

/** A parsed `Core.Supports` entry. `module` keeps the client's spelling; compare it lowercased. */
export interface SupportsEntry {
  readonly module: string;
  /** The version the client gave; 1 when it gave none. */
  readonly version: number;
}

const supportsEntry = z
  .string()
  .max(MAX_GMCP_NAME_LENGTH + 8)
  .transform((entry, ctx): SupportsEntry => {
    const match = SUPPORTS_ENTRY.exec(entry);
    if (match === null || match[1]!.length > MAX_GMCP_NAME_LENGTH) {
      ctx.addIssue({ code: "custom", message: 'not a "Module version" entry' });
      return z.NEVER;
    }
    return { module: match[1]!, version: match[2] === undefined ? 1 : Number(match[2]) };
  });

/** The body of `Core.Supports.Set`, `.Add` and `.Remove`: `["Char 1", "Room 1"]`, bounded. */
export const coreSupportsSchema = z.array(supportsEntry).max(MAX_GMCP_SUPPORTS);

/** `Core.Ping` from the client: no body, or the client's average round trip in ms (`Core.Ping 120`). */
export const corePingSchema = z.number().nonnegative().optional();

/**
 * `Room.Info`: the room a character is in, sent on entering one (login, walking).
 * `{ "num": 3, "id": "square", "name": "Town Square", "area": "Shuttleford",
 *    "environment": "urban", "exits": { "n": 4, "in": 7 } }`.
 */
export const roomInfoSchema = z.strictObject({
  /** The room's stable number in the store. */
  num: z.int().positive(),
  /** Its id in the world files (a Loom addition; IRE games have none). */
  id: z.string().min(1),
  name: z.string().min(1),
  area: z.string(),
  /** The kind of place, for a mapper's colours ("urban", "forest"); "" when the world names none. */
  environment: z.string(),
  /** Short direction ("n", "se", "u", or the exit's own name) -> destination `num`. */
  exits: z.record(z.string().min(1), z.int().positive()),
});

/** Most people one `Room.Players` names: the first 50 in the room (issue 11: an arrival in a crowd of thousands must not cost a list of thousands). */
export const MAX_ROOM_PLAYERS = 50;

/** Most items one `Char.Items.List` names: the first 100 lying in the room, or carried. */
export const MAX_LISTED_ITEMS = 100;

/** A person in the room: `{ "name": "Alice", "fullname": "Alice" }` (IRE `Room.AddPlayer`). */
export const roomPlayerSchema = z.strictObject({
  name: z.string().min(1),
  fullname: z.string().min(1),
});

/**
 * `Room.Players`: the other players in the room, sent on entering it (login, walking, a
 * teleport, a resume): `[{ "name": "Bob", "fullname": "Bob" }]`. At most the first
 * {@link MAX_ROOM_PLAYERS} (50); `Room.AddPlayer` and `Room.RemovePlayer` keep it up to date.
 * Non-player characters are not players: they are items (`Char.Items.*`, attrib "m").
 */
export const roomPlayersSchema = z.array(roomPlayerSchema).max(MAX_ROOM_PLAYERS);

/** `Room.AddPlayer`: someone came into the room (arrived, logged in, appeared). */
export const roomAddPlayerSchema = roomPlayerSchema;

/** `Room.RemovePlayer`: someone left the room (walked off, quit, dropped): their name, a bare JSON string (IRE), `"Bob"`. */
export const roomRemovePlayerSchema = z.string().min(1);

/**
 * An item: `{ "id": "red-apple", "name": "red apple", "attrib": "t" }`. `id` is the thing's
 * world id (stable, unique); `name` the noun a player types to name it, without its article;
 * `attrib` IRE's letters, absent when none apply: "m" a non-player character, "t" takeable,
 * "c" a container.
 */
export const itemSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  attrib: z.string().regex(/^[a-zA-Z]+$/).exactOptional(),
});

/** Where an item is: lying in the room, or carried (`"inv"`). */
export const itemLocationSchema = z.enum(["room", "inv"]);

/**
 * `Char.Items.List`: `{ "location": "room", "items": [...] }`, what lies in the room (sent on
 * entering it) or what the player carries (sent at login). At most the first
 * {@link MAX_LISTED_ITEMS} (100). Also sent instead of a run of Add/Remove when one command
 * moves more than a few things at once (`get all`).
 */
export const charItemsListSchema = z.strictObject({
  location: itemLocationSchema,
  items: z.array(itemSchema).max(MAX_LISTED_ITEMS),
});

/** `Char.Items.Add` and `Char.Items.Remove`: `{ "location": "inv", "item": {...} }`, one thing come or gone. */
export const charItemsChangeSchema = z.strictObject({
  location: itemLocationSchema,
  item: itemSchema,
});

/**
 * `Loom.Commands` (Loom's own package): the command words and aliases the player's role may
 * use, compass directions and their short forms included, lowercase, sorted, each once:
 * `["close", "d", "down", ...]`. Sent at login and on a role change. A GMCP client gets it
 * when it lists `Loom` (`Core.Supports.Add ["Loom 1"]`); a `loom.v1.json` client always.
 */
export const loomCommandsSchema = z.array(z.string().min(1));

/** `Char.Name`: `{ "name": "Alice", "fullname": "Alice" }`. */
export const charNameSchema = z.strictObject({
  name: z.string().min(1),
  fullname: z.string().min(1),
});

/** `Char.Status`: `{ "name": "Alice", "fullname": "Alice", "pronouns": "she", "role": "player" }`. */
export const charStatusSchema = z.strictObject({
  name: z.string().min(1),
  fullname: z.string().min(1),
  pronouns: z.string().min(1),
  role: z.string().min(1),
});

/** One entry of `Comm.Channel.List`. */
export const channelListEntrySchema = z.strictObject({
  name: z.string().min(1),
  caption: z.string().min(1),
  command: z.string().min(1),
});

/** `Comm.Channel.List`: the channels the player is in, `[{ "name": "chat", "caption": "Chat", "command": "chat" }]`. */
export const commChannelListSchema = z.array(channelListEntrySchema);

/** `Comm.Channel.Text`: one post, `{ "channel": "chat", "talker": "Alice", "text": "hello" }`. */
export const commChannelTextSchema = z.strictObject({
  channel: z.string().min(1),
  talker: z.string().min(1),
  text: z.string(),
});

/**
 * `Comm.Channel.Players`: the answer to a client's request, who is online (the first page of
 * them, as `who` shows) and the channels each is in:
 * `[{ "name": "Alice", "channels": ["chat"] }]`.
 */
export const commChannelPlayersSchema = z.array(z.strictObject({ name: z.string().min(1), channels: z.array(z.string().min(1)) }));

/**
 * `Loom.Resume.Login` from the client, at the login prompt (issue 9, docs/web-client.md, "Resume tokens"):
 * `{ "token": "<43 base64url characters>" }`. The bound only caps what is hashed and compared;
 * the token's own shape is checked by src/accounts/resume-tokens.ts.
 */
export const loomResumeLoginSchema = z.object({ token: z.string().max(MAX_RESUME_TOKEN_LENGTH) });

/** `Loom.Resume.Ask` from the client, after login: `{}` (any object, or no body). */
export const loomResumeAskSchema = z.union([z.undefined(), z.null(), z.object({})]);

/** `Loom.Resume.Token`: a new resume token, `{ "token": "…", "expiresAt": 1764288000000 }` (Unix ms). */
export const loomResumeTokenSchema = z.strictObject({
  token: z.string().min(1).max(MAX_RESUME_TOKEN_LENGTH),
  expiresAt: z.int().positive(),
});

/** Why a `Loom.Resume.Login` did not log in: `invalid` (unknown, used, revoked, malformed), `expired`, or `busy` (throttled). */
export const ResumeFailureReasons = ["invalid", "expired", "busy"] as const;

/** `Loom.Resume.Failed`: `{ "reason": "expired" }`; the login prompt carries on. */
export const loomResumeFailedSchema = z.strictObject({ reason: z.enum(ResumeFailureReasons) });

/**
 * `Loom.State.Ask` (Loom's own package), from a client or from its door on its behalf: send me
 * the current state again, every message {@link GmcpServerMessages} marks `replay` (who I am,
 * my commands, my room, who and what is there, what I carry, my channels). A telnet door sends
 * it when a client agrees to GMCP after refusing it, since nothing is kept for a client that
 * refused (protocols/gmcp/gmcp-core.ts, issue 11 target 3). Any body is ignored. The answer is
 * bounded like the messages themselves; a client's own asks count against its GMCP message rate.
 */
export const GMCP_STATE_REQUEST = "Loom.State.Ask";

/**
 * What the server sends, by message name. `replay`: the message describes the current state
 * (where the character is, who they are), so the latest one is sent again when a client becomes
 * able to receive it — it agreed to GMCP, or listed the module in `Core.Supports`, after the
 * world last sent it. Events (`Comm.Channel.Text`) are not replayed.
 */
export const GmcpServerMessages = {
  "Core.Ping": { schema: z.undefined(), replay: false },
  "Char.Name": { schema: charNameSchema, replay: true },
  "Char.Status": { schema: charStatusSchema, replay: true },
  "Room.Info": { schema: roomInfoSchema, replay: true },
  "Room.Players": { schema: roomPlayersSchema, replay: true },
  "Room.AddPlayer": { schema: roomAddPlayerSchema, replay: false },
  "Room.RemovePlayer": { schema: roomRemovePlayerSchema, replay: false },
  // One list per location is replayed (see replayKey): the room's and the hands'.
  "Char.Items.List": { schema: charItemsListSchema, replay: true },
  "Char.Items.Add": { schema: charItemsChangeSchema, replay: false },
  "Char.Items.Remove": { schema: charItemsChangeSchema, replay: false },
  "Loom.Commands": { schema: loomCommandsSchema, replay: true },
  "Comm.Channel.List": { schema: commChannelListSchema, replay: true },
  "Comm.Channel.Text": { schema: commChannelTextSchema, replay: false },
  "Comm.Channel.Players": { schema: commChannelPlayersSchema, replay: false },
  // Never replayed: a token is a secret for the moment it was asked for, not state to resend.
  "Loom.Resume.Token": { schema: loomResumeTokenSchema, replay: false },
  "Loom.Resume.Failed": { schema: loomResumeFailedSchema, replay: false },
} as const;

/** A message name the server sends. */
export type GmcpServerMessage = keyof typeof GmcpServerMessages;

/** True for a server message that describes current state (see {@link GmcpServerMessages}). */
export function isReplayed(name: string): boolean {
  return Object.hasOwn(GmcpServerMessages, name) && GmcpServerMessages[name as GmcpServerMessage].replay;
}

/**
 * What the latest of a replayed message is kept under until it can be sent: its name, but
 * `Char.Items.List room` and `Char.Items.List inv` apart, since one message name describes two
 * things (IRE). Undefined for a message that is not replayed. The name is always the key up to
 * its first space: GmcpCore keeps only the key and the data (issue 11 target 3).
 */
export function replayKey(name: string, data: unknown): string | undefined {
  if (!isReplayed(name)) return undefined;
  if (name === "Char.Items.List" && typeof data === "object" && data !== null && "location" in data && typeof data.location === "string") {
    const location = data.location;
    // The two usual keys are constants: a GMCP connection keeps one of each, and a string built
    // per message would be kept per connection (issue 11 target 3).
    return location === "room" ? ROOM_ITEMS_KEY : location === "inv" ? HELD_ITEMS_KEY : `${name} ${location}`;
  }
  return name;
}

const ROOM_ITEMS_KEY = "Char.Items.List room";
const HELD_ITEMS_KEY = "Char.Items.List inv";
