/**
 * Behaviour parameters as a builder types them after `set <thing> behaviour <name>`:
 * `everySeconds=60 leaves="pad off"`. Values that read as numbers or as true/false become
 * numbers and booleans (the behaviours' zod schemas want them so); a value in double quotes is
 * text as written, spaces included (`\"` and `\\` inside). Pure; the schema checks the rest.
 */
import type { Checked } from "./naming.js";

/** One `name=value`; sticky, so each match starts where the last ended. Made per call: a sticky regex carries state. */
const PARAM_SOURCE = String.raw`\s*([A-Za-z][A-Za-z0-9_]*)=(?:"((?:[^"\\]|\\.)*)"|([^\s"]+))`;
const NUMBER = /^-?\d+(?:\.\d+)?$/;

/** The parameters in `text`, by name; refused with a sentence for text that is not `name=value …`. */
export function parseBehaviourParams(text: string): Checked<Record<string, unknown>> {
  const params: Record<string, unknown> = {};
  const source = text.trim();
  const param = new RegExp(PARAM_SOURCE, "y");
  while (param.lastIndex < source.length) {
    const at = param.lastIndex;
    const match = param.exec(source);
    if (match === null) {
      const shown = source.slice(at).trim().split(/\s+/)[0]?.slice(0, 30) ?? "";
      return { ok: false, reason: `Parameters are written name=value (a value with spaces in "double quotes"); "${shown}" is not.` };
    }
    const [, name = "", quoted, bare] = match;
    if (Object.hasOwn(params, name)) return { ok: false, reason: `The parameter ${name} is given twice.` };
    Object.defineProperty(params, name, { value: quoted !== undefined ? quoted.replace(/\\(.)/g, "$1") : valueOf(bare ?? ""), enumerable: true, writable: true, configurable: true });
  }
  return { ok: true, value: params };
}

function valueOf(bare: string): unknown {
  if (NUMBER.test(bare)) return Number(bare);
  if (bare === "true") return true;
  if (bare === "false") return false;
  return bare;
}
