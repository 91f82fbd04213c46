// The policy input as JSON text, written straight-line for its fixed shape (no generic
// JSON.stringify walk). The text is canonical (sorted keys, absent facts left out), so two inputs
// the policy cannot tell apart encode to the same text; the decision cache's key (cache-key.ts)
// is equal exactly when this text is.
import type { PolicyInput } from "./facts.js";

/** A JSON string literal, as JSON.stringify writes it; text that needs no escaping (nearly all
 *  header values) is quoted directly, the rest goes through JSON.stringify. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const str = (s: string) => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);

/**
 * Keys are written in sorted order, which the runtime's JSON parser takes without sorting. Facts
 * that are absent, false or empty are left out: the policy reads them as undefined, which it
 * treats as it treats false (e.g. `not input.forwarded`, `input.origin.present`).
 */
export function policyInputJson(i: PolicyInput): string {
  let text = i.forwarded ? `{"forwarded":true,"headers":{` : `{"headers":{`;
  let first = true;
  for (const k of Object.keys(i.headers).sort()) {
    text += `${first ? "" : ","}${str(k)}:${str(i.headers[k]!)}`;
    first = false;
  }
  text += "}";
  if (i.host !== "") text += `,"host":${str(i.host)}`;
  const o = i.origin;
  if (o.present) text += `,"origin":{"host":${str(o.host)},"normalized":${str(o.normalized)},"present":true,"valid":${o.valid}}`;
  if (i.password !== "absent") text += `,"password":"${i.password}"`;
  const p = i.peer;
  text += p.valid ? `,"peer":{"ip":${str(p.ip)},"loopback":${p.loopback},"valid":true}` : `,"peer":{"valid":false}`;
  if (i.rate_limited) text += `,"rate_limited":true`;
  if (i.scopes.present) text += `,"scopes":{"present":true,"value":${str(i.scopes.value)}}`;
  text += `,"surface":"${i.surface}","transport":"${i.transport}"}`;
  return text;
}
