// The shared password, compared exactly and in constant time; it never leaves the host.
import { createHash, timingSafeEqual } from "node:crypto";

export type PasswordState = "absent" | "match" | "mismatch";

function digest(s: string): Buffer { return createHash("sha256").update(s, "utf8").digest(); }

/** The configured password's digest, kept for the next call (an engine compares against one). */
let configuredDigest: { password: string; digest: Buffer } | undefined;
function digestOfConfigured(configured: string): Buffer {
  if (configuredDigest?.password !== configured) configuredDigest = { password: configured, digest: digest(configured) };
  return configuredDigest.digest;
}

/** `configured` is the effective password (non-blank) or null when none is configured. */
export function passwordState(presented: string | undefined, configured: string | null): PasswordState {
  if (configured === null || typeof presented !== "string" || presented === "") return "absent";
  // Hashing first makes the comparison independent of the lengths.
  return timingSafeEqual(digest(presented), digestOfConfigured(configured)) ? "match" : "mismatch";
}
