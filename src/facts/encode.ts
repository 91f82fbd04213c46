// The policy input as JSON bytes, written straight-line for its fixed shape (no generic
// JSON.stringify walk), into an ArrayBuffer the SDK copies into wasm memory unchanged.
import type { PolicyInput } from "./facts.js";

const encoder = new TextEncoder();
const str = (s: string) => JSON.stringify(s);

/** Keys are written in sorted order, which the runtime's JSON parser takes without sorting. */
export function encodePolicyInput(i: PolicyInput): ArrayBuffer {
  let headers = "";
  for (const k of Object.keys(i.headers).sort()) headers += `${headers ? "," : ""}${str(k)}:${str(i.headers[k]!)}`;
  const p = i.peer, o = i.origin;
  const text = `{"forwarded":${i.forwarded},"headers":{${headers}},"host":${str(i.host)},` +
    `"origin":{"host":${str(o.host)},"normalized":${str(o.normalized)},"present":${o.present},"valid":${o.valid}},` +
    `"password":"${i.password}","peer":{"ip":${str(p.ip)},"loopback":${p.loopback},"valid":${p.valid}},` +
    `"rate_limited":${i.rate_limited},"scopes":{"present":${i.scopes.present},"value":${str(i.scopes.value)}},` +
    `"surface":"${i.surface}","transport":"${i.transport}"}`;
  const bytes = encoder.encode(text);
  return bytes.buffer as ArrayBuffer;
}
