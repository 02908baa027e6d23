/**
 * Loads Loom's configuration once at boot: `config/default.yaml`, then an optional file
 * named by `--config` or `LOOM_CONFIG`, then environment overrides, validated by
 * {@link configSchema} and returned deeply frozen. Every value remembers where it came from,
 * so a bad one is reported with its key path and its source:
 *
 *     config: telnet.port: must be an integer from 0 to 65535 (from LOOM_TELNET_PORT="abc")
 */
import { accessSync, constants } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { LoomError } from "../errors.js";
import { flattenIssues, formatKeyPath } from "./issues.js";
import { findProjectRoot } from "./project-root.js";
import type { KeyPath, YamlFile } from "./read-yaml.js";
import { readYamlFile } from "./read-yaml.js";
import { configSchema, type Config, type ConfigOverrides } from "./schema.js";

/** The environment variables that override single settings, and the key each one sets. */
export const EnvOverrides = [
  { name: "LOOM_HOST", path: ["host"] },
  { name: "LOOM_TELNET_PORT", path: ["telnet", "port"] },
  { name: "LOOM_LINE_PORT", path: ["line", "port"] },
  { name: "LOOM_HTTP_PORT", path: ["http", "port"] },
  { name: "LOOM_TLS_CERT", path: ["tls", "certFile"] },
  { name: "LOOM_TLS_KEY", path: ["tls", "keyFile"] },
  { name: "LOOM_TELNET_TLS_PORT", path: ["tls", "telnetPort"] },
  { name: "LOOM_HTTPS_PORT", path: ["tls", "httpPort"] },
  { name: "LOOM_DATA_DIR", path: ["dataDir"] },
  { name: "LOOM_LOG_LEVEL", path: ["log", "level"] },
  { name: "LOOM_LOG_FORMAT", path: ["log", "format"] },
] as const;

/** The environment variable naming an extra config file (`--config` wins over it). */
export const ConfigFileEnv = "LOOM_CONFIG";

/** Where {@link loadConfig} looks. Every field is optional; the defaults are the process's own. */
export interface LoadConfigOptions {
  /** Command-line arguments, without `node` and the script. Default `process.argv.slice(2)`. */
  readonly argv?: readonly string[];
  /** Environment variables. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv | Readonly<Record<string, string | undefined>>;
  /** Directory that relative paths (config file, dataDir, worldDir) resolve against. Default `process.cwd()`. */
  readonly cwd?: string;
  /** The defaults file. Default `config/default.yaml` in the project root. */
  readonly defaultsPath?: string;
  /** Applied last, after the environment; for tests and embedding. Default none. */
  readonly overrides?: ConfigOverrides;
}

/** One problem found while loading the configuration. */
export interface ConfigIssue {
  /** Key path such as `telnet.port`; empty for problems with a whole file or the command line. */
  readonly path: KeyPath;
  readonly message: string;
  /** Where the value came from: a file (with line when known), `LOOM_X="value"`, or the command line. */
  readonly source: string;
}

/**
 * The configuration is unusable; boot must stop. `message` has one line per issue, each
 * naming the key path and the source of the bad value.
 */
export class ConfigError extends LoomError<"config-invalid"> {
  /** Every problem found, in order. */
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super("config-invalid", issues.map(formatIssue).join("\n"));
    this.issues = issues;
  }
}

/**
 * Loads, merges and validates the configuration. Throws {@link ConfigError} on any bad
 * value, unknown key, unreadable file, unsafe YAML or bad command-line option. The result
 * is deeply frozen, with `dataDir` and `worldDir` made absolute against `cwd`.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const argv = options.argv ?? process.argv.slice(2);
  const defaultsPath = options.defaultsPath ?? join(findProjectRoot(), "config", "default.yaml");

  const merged: Record<string, unknown> = {};
  const origins = new Map<string, Origin>();

  mergeFile(merged, origins, resolve(cwd, defaultsPath), cwd);

  const configPath = configFileFrom(argv, env);
  if (configPath !== undefined) mergeFile(merged, origins, resolve(cwd, configPath.value), cwd, configPath.via);

  for (const { name, path } of EnvOverrides) {
    const value = env[name];
    if (value !== undefined) setAt(merged, origins, path, value, { label: `${name}=${JSON.stringify(value)}` });
  }
  if (options.overrides !== undefined) {
    mergeValue(merged, options.overrides, [], { label: "options.overrides" }, origins);
  }

  const result = configSchema.safeParse(merged, { reportInput: true });
  if (!result.success) {
    throw new ConfigError(
      flattenIssues(result.error.issues).map(({ path, message }) => ({ path, message, source: sourceOf(origins, path) })),
    );
  }
  const config = {
    ...result.data,
    dataDir: resolve(cwd, result.data.dataDir),
    worldDir: resolve(cwd, result.data.worldDir),
    tls: tlsFiles(result.data.tls, cwd, origins),
  };
  return deepFreeze(config);
}

/**
 * The TLS settings with their files made absolute against `cwd`; when TLS is on, both files
 * must be readable now, so a wrong path stops boot naming its key rather than failing every
 * handshake later (issue 10). Whether they hold a usable pair is the server's check at boot.
 */
function tlsFiles(tls: Config["tls"], cwd: string, origins: ReadonlyMap<string, Origin>): Config["tls"] {
  const certFile = tls.certFile === "" ? "" : resolve(cwd, tls.certFile);
  const keyFile = tls.keyFile === "" ? "" : resolve(cwd, tls.keyFile);
  if (tls.enabled) {
    const issues: ConfigIssue[] = [];
    for (const [key, file] of [["certFile", certFile], ["keyFile", keyFile]] as const) {
      try {
        accessSync(file, constants.R_OK);
      } catch (error) {
        const path = ["tls", key];
        const why = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : error instanceof Error ? error.message : String(error);
        issues.push({ path, message: `cannot read ${file}: ${why}`, source: sourceOf(origins, path) });
      }
    }
    if (issues.length > 0) throw new ConfigError(issues);
  }
  return { ...tls, certFile, keyFile };
}

/** Where a value came from; `file` is set for YAML files so that a line can be found. */
interface Origin {
  readonly label: string;
  readonly file?: YamlFile;
}

function configFileFrom(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { value: string; via: string } | undefined {
  let values: { config?: string | undefined };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { config: { type: "string", short: "c" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError([{ path: [], message, source: "command line" }]);
  }
  if (values.config !== undefined) return { value: values.config, via: "--config" };
  const fromEnv = env[ConfigFileEnv];
  return fromEnv === undefined ? undefined : { value: fromEnv, via: ConfigFileEnv };
}

function mergeFile(target: Record<string, unknown>, origins: Map<string, Origin>, file: string, cwd: string, via?: string): void {
  const shown = displayPath(file, cwd);
  const label = via === undefined ? shown : `${shown}, named by ${via}`;
  const read = readYamlFile(file);
  if (!read.ok) {
    const { line, column } = read.failure;
    const where = line === undefined ? label : column === undefined ? `${label}, line ${line}` : `${label}, line ${line}, column ${column}`;
    throw new ConfigError([{ path: [], message: read.failure.message, source: where }]);
  }
  const { value } = read.file;
  if (value === null) return; // an empty file (or only comments) changes nothing
  if (!isPlainObject(value)) {
    throw new ConfigError([{ path: [], message: "the file must be a mapping of settings (key: value)", source: label }]);
  }
  mergeValue(target, value, [], { label, file: read.file }, origins);
}

/** Deep-merges `source` into `target`: mappings merge key by key; lists and scalars replace. */
function mergeValue(
  target: Record<string, unknown>,
  source: Readonly<Record<string, unknown>>,
  path: readonly string[],
  origin: Origin,
  origins: Map<string, Origin>,
): void {
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue; // an optional override left out
    const here = [...path, key];
    origins.set(pathKey(here), origin);
    const existing = Object.hasOwn(target, key) ? target[key] : undefined;
    if (isPlainObject(value) && isPlainObject(existing)) {
      mergeValue(existing, value, here, origin, origins);
    } else {
      // defineProperty, not assignment: a YAML key "__proto__" must stay an own (and so
      // unknown, rejected) key rather than replace the object's prototype.
      define(target, key, isPlainObject(value) ? copyInto({}, value) : value);
    }
  }
}

function copyInto(target: Record<string, unknown>, source: Readonly<Record<string, unknown>>): Record<string, unknown> {
  for (const [key, value] of Object.entries(source)) define(target, key, isPlainObject(value) ? copyInto({}, value) : value);
  return target;
}

function setAt(target: Record<string, unknown>, origins: Map<string, Origin>, path: readonly string[], value: string, origin: Origin): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!isPlainObject(next)) return; // the file already broke this section; the schema will say so
    node = next;
  }
  const last = path.at(-1);
  if (last === undefined) return;
  define(node, last, value);
  origins.set(pathKey(path), origin);
}

/** The source of the value at `path`: the longest prefix of it that something set. */
function sourceOf(origins: ReadonlyMap<string, Origin>, path: KeyPath): string {
  for (let n = path.length; n >= 0; n--) {
    const prefix = path.slice(0, n);
    const origin = origins.get(pathKey(prefix));
    if (origin === undefined) continue;
    const line = origin.file?.lineOf(path);
    return line === undefined ? origin.label : `${origin.label}, line ${line}`;
  }
  return "defaults";
}

function formatIssue(issue: ConfigIssue): string {
  const where = issue.path.length === 0 ? "" : `${formatKeyPath(issue.path)}: `;
  return `config: ${where}${issue.message} (from ${issue.source})`;
}

function pathKey(path: KeyPath): string {
  return JSON.stringify(path);
}

function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
