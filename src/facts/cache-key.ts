// The decision cache's key for a policy input: a short text that two inputs share exactly when
// their canonical JSON (encode.ts) is equal, without the JSON's field names and punctuation.
// Building and hashing it costs a fraction of the JSON's (~60 characters instead of ~220 for a
// proxied request); the JSON is only written when the policy has to evaluate.
import type { PolicyInput } from "./facts.js";

const TRANSPORT = { http: "h", ws: "w" } as const satisfies Record<PolicyInput["transport"], string>;
const SURFACE = { api: "a", "control-ui": "c", plugin: "p" } as const satisfies Record<PolicyInput["surface"], string>;
const PASSWORD = { absent: "0", match: "1", mismatch: "2" } as const satisfies Record<PolicyInput["password"], string>;

/** A string as its length, a colon and itself: no separator inside it can be misread. */
const part = (s: string) => `${s.length}:${s}`;

/**
 * Fields in a fixed order, each one of a fixed width or length-prefixed, and "-" for an absent
 * one (no field begins with "-" otherwise), so the text can be read back unambiguously: equal keys
 * mean equal inputs. `headerNames` are the names `input.headers` can hold (the engine's wanted
 * headers), sorted; a header outside them is not in the key, so callers must not pass one.
 */
export function policyInputKey(i: PolicyInput, headerNames: readonly string[]): string {
  const p = i.peer, o = i.origin;
  let key = `${TRANSPORT[i.transport]}${SURFACE[i.surface]}${PASSWORD[i.password]}${i.forwarded ? 1 : 0}${i.rate_limited ? 1 : 0}`
    + (p.valid ? `${p.loopback ? 1 : 0}${part(p.ip)}` : "-")
    + part(i.host)
    + (o.present ? `${o.valid ? 1 : 0}${part(o.host)}${part(o.normalized)}` : "-")
    + (i.scopes.present ? part(i.scopes.value) : "-");
  for (const name of headerNames) {
    const v = Object.hasOwn(i.headers, name) ? i.headers[name] : undefined; // never a prototype's member
    key += v === undefined ? "-" : part(v);
  }
  return key;
}
