// The configs a diff runs under when none is given: the shipped example configs and variants of
// each (every list with an entry added, removed, case-changed and whitespace-padded; every boolean
// flipped; every optional key absent), so a change that only shows under another config is found.
import { readdirSync } from "node:fs";
import path from "node:path";
import { readConfigFile } from "../config/load.js";
import { packageRoot } from "../package.js";

export interface LabelledConfig { label: string; config: unknown }

type Raw = Record<string, unknown>;

/** The shipped example gateway configs (examples/*.json5 with a `gateway` key). */
export function exampleConfigs(dir = path.join(packageRoot(), "examples")): LabelledConfig[] {
  const out: LabelledConfig[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith(".json5")) continue;
    const file = path.join(dir, name);
    const config = readConfigFile(file);
    if (config && typeof config === "object" && "gateway" in config) out.push({ label: `examples/${name}`, config });
  }
  return out;
}

const LISTS: { path: string[]; extra: string }[] = [
  { path: ["gateway", "trustedProxies"], extra: "10.0.0.0/8" },
  { path: ["gateway", "auth", "trustedProxy", "allowUsers"], extra: "mallory@example.com" },
  { path: ["gateway", "auth", "trustedProxy", "requiredHeaders"], extra: "x-extra-required" },
  { path: ["gateway", "controlUi", "allowedOrigins"], extra: "https://evil.example" },
];
const BOOLEANS: string[][] = [
  ["gateway", "auth", "trustedProxy", "allowLoopback"],
  ["gateway", "controlUi", "dangerouslyAllowHostHeaderOriginFallback"],
  ["gateway", "controlUi", "enabled"],
];
const OPTIONAL: string[][] = [
  ["gateway", "trustedProxies"],
  ["gateway", "auth", "password"],
  ["gateway", "auth", "trustedProxy", "allowUsers"],
  ["gateway", "auth", "trustedProxy", "requiredHeaders"],
  ["gateway", "auth", "trustedProxy", "allowLoopback"],
  ["gateway", "auth", "trustedProxy", "loopbackUser"],
  ["gateway", "controlUi", "allowedOrigins"],
];
const STRINGS: { path: string[]; value: string }[] = [
  { path: ["gateway", "auth", "trustedProxy", "loopbackUser"], value: "agent@internal" },
  { path: ["gateway", "auth", "password"], value: "s3cret-password" },
];

function get(o: unknown, p: string[]): unknown {
  let x = o;
  for (const k of p) x = x && typeof x === "object" ? (x as Raw)[k] : undefined;
  return x;
}

/** A deep copy with the value at `p` replaced (undefined: removed); parents are created. */
function set(o: unknown, p: string[], v: unknown): unknown {
  const copy = structuredClone(o) as Raw;
  let x = copy;
  for (const k of p.slice(0, -1)) {
    if (!x[k] || typeof x[k] !== "object") x[k] = {};
    x = x[k] as Raw;
  }
  if (v === undefined) delete x[p.at(-1)!];
  else x[p.at(-1)!] = v;
  return copy;
}

const short = (p: string[]) => p.slice(1).join(".");

/** Variants of one config; `extraValues` adds list entries taken from the policies' constants. */
export function configVariants(base: LabelledConfig, extraValues: { proxies: string[]; users: string[]; headers: string[]; origins: string[] } = { proxies: [], users: [], headers: [], origins: [] }): LabelledConfig[] {
  const out: LabelledConfig[] = [];
  const add = (what: string, config: unknown) => out.push({ label: `${base.label} with ${what}`, config });
  const extras = [extraValues.proxies, extraValues.users, extraValues.headers, extraValues.origins];
  LISTS.forEach(({ path: p, extra }, i) => {
    const list = get(base.config, p);
    const items = Array.isArray(list) ? (list as unknown[]) : [];
    for (const e of new Set([extra, ...extras[i]!])) add(`${short(p)} + ${JSON.stringify(e)}`, set(base.config, p, [...items, e]));
    items.forEach((item, j) => add(`${short(p)} without ${JSON.stringify(item)}`, set(base.config, p, items.filter((_, k) => k !== j))));
    const first = items[0];
    if (typeof first === "string") {
      add(`${short(p)}[0] upper-cased`, set(base.config, p, [first.toUpperCase(), ...items.slice(1)]));
      add(`${short(p)}[0] padded with spaces`, set(base.config, p, [` ${first} `, ...items.slice(1)]));
    }
  });
  for (const p of BOOLEANS) {
    const v = get(base.config, p);
    add(`${short(p)}: ${v === true ? "false" : "true"}`, set(base.config, p, v !== true));
  }
  for (const p of OPTIONAL) if (get(base.config, p) !== undefined) add(`no ${short(p)}`, set(base.config, p, undefined));
  for (const { path: p, value: v } of STRINGS) if (get(base.config, p) === undefined) add(`${short(p)}: ${JSON.stringify(v)}`, set(base.config, p, v));
  const userHeader = ["gateway", "auth", "trustedProxy", "userHeader"];
  for (const h of extraValues.headers) add(`userHeader ${JSON.stringify(h)}`, set(base.config, userHeader, h));
  return out;
}
