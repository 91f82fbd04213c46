// Semantic diff: two (policy, config) pairs evaluated over the same generated requests; every
// class of request whose decision changed, widened access first.
import type { Decision, Engine } from "../engine/engine.js";
import type { ConfigView } from "../config/view.js";
import { probeSpace, type Probe } from "./space.js";

export type ChangeKind = "widened" | "narrowed" | "reason";

export interface ChangeGroup {
  kind: ChangeKind;
  /** What changed, e.g. "deny (trusted_proxy_untrusted_source) → allow as nick@example.com (trusted-proxy)". */
  summary: string;
  count: number;
  /** The smallest request of the group. */
  example: { facts: Record<string, unknown>; labels: Record<string, string>; before: Decision; after: Decision };
}

export interface DiffResult {
  compared: number;
  ms: number;
  changed: number;
  groups: ChangeGroup[];
  /** Reason codes seen before and after (coverage of the space). */
  reasons: string[];
  widened: boolean;
}

export function describe(d: Decision): string {
  if (!d.allow) return `deny (${d.reason})`;
  return `allow as ${d.user ?? "(no user)"} (${d.method}) with ${d.scopes.length === 6 ? "all operator scopes" : `[${d.scopes.join(", ")}]`}`;
}

function classify(a: Decision, b: Decision): ChangeKind | undefined {
  if (a.allow !== b.allow) return b.allow ? "widened" : "narrowed";
  if (!a.allow) return a.reason === b.reason ? undefined : "reason";
  if (a.user !== b.user || a.method !== b.method) return "widened";
  const added = b.scopes.some((s) => !a.scopes.includes(s));
  const removed = a.scopes.some((s) => !b.scopes.includes(s));
  if (added) return "widened";
  if (removed) return "narrowed";
  return undefined;
}

const size = (p: Probe) => JSON.stringify(p.facts).length;

export function diffEngines(before: Engine, after: Engine, views: ConfigView[]): DiffResult {
  const t0 = performance.now();
  const probes = probeSpace(views);
  const groups = new Map<string, ChangeGroup>();
  const reasons = new Set<string>();
  let changed = 0;
  for (const p of probes) {
    const a = before.decide(p.facts), b = after.decide(p.facts);
    for (const d of [a, b]) if (d.reason) reasons.add(d.reason.startsWith("trusted_proxy_missing_header_") ? "trusted_proxy_missing_header_<name>" : d.reason);
    const kind = classify(a, b);
    if (!kind) continue;
    changed++;
    const summary = `${describe(a)} → ${describe(b)}`;
    const key = `${kind}|${summary}`;
    const g = groups.get(key);
    if (!g) groups.set(key, { kind, summary, count: 1, example: { facts: p.facts, labels: p.labels, before: a, after: b } });
    else {
      g.count++;
      if (size(p) < JSON.stringify(g.example.facts).length) g.example = { facts: p.facts, labels: p.labels, before: a, after: b };
    }
  }
  const order: Record<ChangeKind, number> = { widened: 0, narrowed: 1, reason: 2 };
  const sorted = [...groups.values()].sort((x, y) => order[x.kind] - order[y.kind] || y.count - x.count || x.summary.localeCompare(y.summary));
  return { compared: probes.length, ms: performance.now() - t0, changed, groups: sorted, reasons: [...reasons].sort(), widened: sorted.some((g) => g.kind === "widened") };
}
