/**
 * The shipped limits (config/default.yaml), read through the real loader once, for the
 * micro-benchmarks: they measure the code at the settings a server runs with.
 */
import { loadConfig } from "../../src/config/load-config.js";
import type { Config } from "../../src/config/schema.js";

/** `limits` at their defaults; no environment, no --config. */
export const defaultLimits: Config["limits"] = loadConfig({ argv: [], env: {} }).limits;
