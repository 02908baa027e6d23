/**
 * How much a builder can make a thing hold (issue 7, "Building"). Names and descriptions are
 * held to the world files' own limits — the same zod schemas check both (`oneLine`: 80
 * characters, one line; `prose`: 4000 characters), so whatever a builder makes can be exported
 * to the files and read back. The rest bound what the files leave open but a builder at a
 * prompt could push without end.
 */

export { oneLine as nameSchema, prose as descriptionSchema } from "../world-facet-schemas.js";

/** The most keywords one thing may answer to (`set <thing> keywords ...`). */
export const MAX_KEYWORDS = 16;

/** The longest keyword, in characters. */
export const MAX_KEYWORD_LENGTH = 30;

/** The most behaviours one thing may carry (`set <thing> behaviour ...`). */
export const MAX_BEHAVIOURS = 8;

/**
 * The longest exit name a builder may dig or link, in characters. Exit names are words players
 * type to walk ("gate", "archway"); the files do not bound them, a prompt should.
 */
export const MAX_EXIT_NAME_LENGTH = 24;

/** The longest id made from a name (`dig`, `make`), before any `-2` that keeps it unique. */
export const MAX_ID_BASE_LENGTH = 40;

/**
 * How many content ids `examine` lists before it says how many more there are: a square with
 * a thousand players must not answer one command with a thousand ids.
 */
export const MAX_EXAMINED_CONTENTS = 50;
