/**
 * The text of an exported world file: YAML as a builder would write it by hand (the style of
 * `config/world/`). Long descriptions are folded (`>`) at {@link EXPORT_LINE_WIDTH}; keyword
 * lists, lids and behaviour parameters are written in flow style (`[ lantern, lamp ]`,
 * `{ afterSeconds: 120 }`); a blank line separates the sections and their entries. The
 * `yaml` package decides quoting, under the same YAML 1.2 core schema the loader reads with,
 * so every string reads back as the same string.
 */
import { Document, isMap, isPair, isScalar, isSeq, Scalar, type Pair } from "yaml";
import type { FileContent } from "./world-export-entries.js";

/** Where text is folded. config/world/ keeps its prose within about 92 columns. */
export const EXPORT_LINE_WIDTH = 96;

const HEADER = [
  " Exported from the live world by `loom world export`: one file per area, read back as",
  " any world file is (docs/world.md, \"The world files\").",
].join("\n");

/** Keys whose mapping or list reads best on one line. */
const FLOW_KEYS = new Set(["keywords", "container"]);

/** The YAML text of one file's content, ending with a newline. Deterministic. */
export function renderWorldFile(content: FileContent): string {
  const data: Record<string, unknown> = {
    area: content.area,
    ...(content.start === undefined ? {} : { start: content.start }),
  };
  for (const section of ["rooms", "things", "characters"] as const) {
    if (Object.keys(content[section]).length > 0) data[section] = content[section];
  }
  const doc = new Document(data);
  doc.commentBefore = HEADER;
  if (isMap(doc.contents)) {
    for (const section of doc.contents.items) {
      if (!isScalar(section.key) || !isMap(section.value)) continue;
      section.key.spaceBefore = true;
      section.value.items.forEach((entry, index) => {
        if (index > 0 && isScalar(entry.key)) entry.key.spaceBefore = true;
        // Sections are at indent 0, their entries at 2, an entry's fields at 4.
        style(entry.value, 4);
      });
    }
  }
  return doc.toString({ lineWidth: EXPORT_LINE_WIDTH, minContentWidth: 40 });
}

/** Styles a node whose keys start at column `indent`. */
function style(node: unknown, indent: number): void {
  if (!isMap(node)) return;
  for (const pair of node.items) styleField(pair, indent);
}

function styleField(pair: Pair<unknown, unknown>, indent: number): void {
  const key = isScalar(pair.key) ? String(pair.key.value) : "";
  const value = pair.value;
  if (key === "description" && isScalar(value) && typeof value.value === "string") {
    foldIfLong(value as Scalar<string>, indent + key.length + 2);
  } else if (FLOW_KEYS.has(key) && (isMap(value) || isSeq(value))) {
    value.flow = true;
  } else if (key === "behaviours" && isMap(value)) {
    // One line per behaviour: `respawn: { afterSeconds: 120 }`.
    for (const behaviour of value.items) if (isPair(behaviour) && (isMap(behaviour.value) || isSeq(behaviour.value))) behaviour.value.flow = true;
  } else if (isMap(value)) {
    // `exits:`, an exit's long form, a door: fields one level deeper.
    for (const inner of value.items) styleField(inner, indent + 2);
  }
}

/**
 * Lines that begin or end with a space (or are nothing but spaces) mean something else in a
 * folded block (more-indented lines keep their breaks), and yaml writes a line of spaces back
 * as an extra empty line; found by fast-check in test/world/world-export.test.ts with
 * "a\n  \n  \na". Such text is left to yaml's own choice of style (quoted).
 */
const SPACE_AT_LINE_EDGE = /(^|\n) | (\n|$)/;

/**
 * Folds a description that would not fit on its key's line, or that has line breaks, into a
 * `>` block. The value gets one trailing newline, so the block reads `>` rather than `>-`;
 * the loader trims prose, so it reads back the same.
 */
function foldIfLong(scalar: Scalar<string>, column: number): void {
  const text = scalar.value;
  if (!text.includes("\n") && column + text.length <= EXPORT_LINE_WIDTH) return;
  if (SPACE_AT_LINE_EDGE.test(text)) return;
  scalar.type = Scalar.BLOCK_FOLDED;
  scalar.value = `${text}\n`;
}
