/**
 * Conformance transcripts from real clients (style habit 14), committed under test/fixtures/
 * and replayed by the tests. Recorded by the client tests when LOOM_RECORD_FIXTURES=1.
 */
import { fileURLToPath } from "node:url";

/** Every byte TinTin++ sent in one session: negotiation, `create`, `say`, `quit`. */
export const TINTIN_FIXTURE = fileURLToPath(new URL("../../fixtures/tintin-negotiation.bin", import.meta.url));

/** True when the client tests should (re)write the fixtures they record. */
export const recordingFixtures = process.env.LOOM_RECORD_FIXTURES === "1";
