// The shared password, compared exactly and in constant time; it never leaves the host.
import { createHash, timingSafeEqual } from "node:crypto";

export type PasswordState = "absent" | "match" | "mismatch";

function digest(s: string): Buffer { return createHash("sha256").update(s, "utf8").digest(); }

/** `configured` is the effective password (non-blank) or null when none is configured. */
export function passwordState(presented: string | undefined, configured: string | null): PasswordState {
  if (configured === null || typeof presented !== "string" || presented === "") return "absent";
  // Hashing first makes the comparison independent of the lengths.
  return timingSafeEqual(digest(presented), digest(configured)) ? "match" : "mismatch";
}
