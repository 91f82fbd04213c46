// Semantic diff: two (policy, config) sides evaluated over the same requests, built from what
// either side can distinguish (space.ts), under the given config or, without one, the shipped
// examples and their variants (configs.ts). Every class of request whose decision changed,
// widened access first, grouped by cause.
import { ConfigError } from "../config/errors.js";
import { createEngineSync, type Decision, type Engine } from "../engine/engine.js";
import { ENTRYPOINTS, type CompiledPolicy } from "../engine/policy.js";
import { configView } from "../engine/validate.js";
import { analyseConstants, ANY_ROOT, constantsFor, wasmConstants, type PolicyConstants } from "./constants.js";
import { configVariants, exampleConfigs, type LabelledConfig } from "./configs.js";
import { allRows, pairwiseRows, product, random, randomRow } from "./covering.js";
import type { ChangeExample, ChangeGroup, ChangeKind, DiffOptions, DiffResult, DiffSide, EvaluationFailure } from "./result.js";
import { dimensions, request, type ConfigPair, type Dimension } from "./space.js";

export const DEFAULT_SEED = 1;
/** Requests per config: a config whose whole partition is smaller is tried exhaustively. */
export const DEFAULT_BUDGET = 250_000;
/** Random requests on top of the pairwise design, per config, when a config is sampled. */
const SAMPLE = 2_000;
/** Derived config variants (no config given) are sampled with fewer random requests each. */
const VARIANT_SAMPLE = 200;
const MAX_ERRORS = 20;

export function describe(d: Decision): string {
  if (!d.allow) return `deny (${d.reason})`;
  return `allow as ${d.user === null ? "(no user)" : JSON.stringify(d.user)} (${d.method}) with ${d.scopes.length === 6 ? "all operator scopes" : `[${d.scopes.join(", ")}]`}`;
}

function classify(a: Decision, b: Decision): ChangeKind | undefined {
  if (a.allow !== b.allow) return b.allow ? "widened" : "narrowed";
  if (!a.allow) return a.reason === b.reason ? undefined : "reason";
  if (a.user !== b.user || a.method !== b.method) return "widened";
  if (b.scopes.some((s) => !a.scopes.includes(s))) return "widened";
  if (a.scopes.some((s) => !b.scopes.includes(s))) return "narrowed";
  return undefined;
}

/** What a group's requests share: the decisions' outcomes, not the users or scopes they name. */
function groupKey(kind: ChangeKind, a: Decision, b: Decision): string {
  const side = (d: Decision) => (d.allow ? `allow (${d.method})` : `deny (${d.reason})`);
  let key = `${kind}|${side(a)}|${side(b)}`;
  if (a.allow && b.allow) key += `|${a.user !== b.user ? "user" : ""}${b.scopes.some((s) => !a.scopes.includes(s)) ? "+scopes" : ""}${a.scopes.some((s) => !b.scopes.includes(s)) ? "-scopes" : ""}`;
  return key;
}

/** What a side can tell apart: from its Rego, or, for a bundle's own wasm (which its sources may
 *  not match), from the module's strings as well. */
function constantsOf(p: CompiledPolicy): PolicyConstants {
  let fromSources: PolicyConstants | undefined;
  try { if (p.sources.length) fromSources = analyseConstants(p.sources, ENTRYPOINTS.decision); } catch { /* sources that do not parse */ }
  if (p.info.origin === "rego" && fromSources) return fromSources;
  const c = wasmConstants(p.wasm);
  for (const set of fromSources?.byRoot.values() ?? []) for (const v of set) c.byRoot.get(ANY_ROOT)!.add(v);
  return c;
}

interface Run {
  label: string;
  before: Engine;
  after: Engine;
  pair: ConfigPair;
}

function engines(side: DiffSide, config: unknown, decisionCache: number): Engine {
  return createEngineSync({ config, policy: side.policy, decisionCache });
}

interface Group { g: ChangeGroup; labels: Map<string, Set<string>>; configs: Set<string>; run: Run }

const size = (f: unknown) => JSON.stringify(f).length;

export function diffPolicies(before: DiffSide, after: DiffSide, opts: DiffOptions = {}): DiffResult {
  const t0 = performance.now();
  const seed = opts.seed ?? DEFAULT_SEED;
  const budget = opts.budget ?? DEFAULT_BUDGET;
  if (!Number.isInteger(budget) || budget < 1) throw new RangeError(`budget: expected a whole number ≥ 1, got ${budget}`);
  const identical = before.policy.info.wasmSha256 === after.policy.info.wasmSha256
    && JSON.stringify(before.config ?? null) === JSON.stringify(after.config ?? null);
  const consts = [constantsOf(before.policy), constantsOf(after.policy)];
  const given = before.config !== undefined || after.config !== undefined;
  const errors: EvaluationFailure[] = [];

  // The configs: the given one(s), or the examples and their variants.
  let configs: { label: string; before: unknown; after: unknown; variant: boolean }[];
  if (given) {
    const b = before.config ?? after.config, a = after.config ?? before.config;
    const label = before.configLabel === after.configLabel || !after.configLabel ? (before.configLabel ?? "the given config") : `${before.configLabel ?? "the given config"} → ${after.configLabel}`;
    configs = [{ label, before: b, after: a, variant: false }];
  } else {
    const extra = {
      proxies: [...new Set(consts.flatMap((c) => constantsFor(c, "peer")))].filter((s) => /^[0-9a-f:.]+(\/\d+)?$/i.test(s)),
      users: [...new Set(consts.flatMap((c) => constantsFor(c, "headers")))].filter((s) => s.trim() !== ""),
      headers: [...new Set(consts.flatMap((c) => [...c.headerNames]))],
      origins: [...new Set(consts.flatMap((c) => constantsFor(c, "origin")))].filter((s) => /^[a-z]+:\/\//i.test(s)),
    };
    const bases: LabelledConfig[] = exampleConfigs();
    configs = [];
    for (const b of bases) {
      configs.push({ label: b.label, before: b.config, after: b.config, variant: false });
      for (const v of configVariants(b, extra)) configs.push({ label: v.label, before: v.config, after: v.config, variant: true });
    }
  }

  const baseCount = Math.max(1, configs.filter((c) => !c.variant).length);
  const groups = new Map<string, Group>();
  const reasons = new Set<string>();
  const dimSizes = new Map<string, number>();
  let tried = 0, changed = 0, exhaustiveConfigs = 0, sampledConfigs = 0, refusedBoth = 0, refusedOne = 0, runs = 0;
  const rnd = random(seed);
  const usedRoots = new Set<string>();

  for (const c of configs) {
    let run: Run;
    let refusals = 0, failure: string | undefined;
    let eb: Engine | undefined, ea: Engine | undefined;
    try { eb = engines(before, c.before, budget); } catch (e) { refusals++; failure = `before: ${(e as Error).message}`; if (!(e instanceof ConfigError)) throw e; }
    try { ea = engines(after, c.after, budget); } catch (e) { refusals++; failure = `after: ${(e as Error).message}`; if (!(e instanceof ConfigError)) throw e; }
    if (!eb || !ea) {
      if (!c.variant) errors.push({ side: !eb ? "before" : "after", config: c.label, facts: {}, message: `the config is refused at start-up: ${failure}` });
      if (refusals === 2) refusedBoth++; else refusedOne++;
      continue;
    }
    const views = [configView(c.before), configView(c.after)];
    run = { label: c.label, before: eb, after: ea, pair: { before: eb.data, after: ea.data, beforePassword: views[0]!.password, afterPassword: views[1]!.password } };
    runs++;
    const dims: Dimension[] = dimensions([run.pair], consts);
    for (const d of dims) { dimSizes.set(d.name, Math.max(dimSizes.get(d.name) ?? 0, d.values.length)); for (const r of d.roots) usedRoots.add(r); }
    const sizes = dims.map((d) => d.values.length);
    const total = product(sizes);
    let rows: Iterable<number[]>;
    if (total <= (given ? budget : Math.floor(budget / baseCount)) && !c.variant) { rows = allRows(sizes); exhaustiveConfigs++; }
    else {
      const pairs = pairwiseRows(sizes, rnd);
      const extra = Math.max(0, Math.min(c.variant ? VARIANT_SAMPLE : SAMPLE, budget - pairs.length));
      for (let i = 0; i < extra; i++) pairs.push(randomRow(sizes, rnd));
      rows = pairs;
      sampledConfigs++;
    }
    for (const row of rows) {
      const { facts, labels } = request(dims, row);
      tried++;
      let a: Decision, b: Decision;
      try { a = run.before.decide(facts); } catch (e) { if (errors.length < MAX_ERRORS) errors.push({ side: "before", config: c.label, facts: { ...facts }, message: (e as Error).message }); continue; }
      try { b = run.after.decide(facts); } catch (e) { if (errors.length < MAX_ERRORS) errors.push({ side: "after", config: c.label, facts: { ...facts }, message: (e as Error).message }); continue; }
      if (a.reason) reasons.add(a.reason.startsWith("trusted_proxy_missing_header_") ? "trusted_proxy_missing_header_<name>" : a.reason);
      if (b.reason) reasons.add(b.reason.startsWith("trusted_proxy_missing_header_") ? "trusted_proxy_missing_header_<name>" : b.reason);
      const kind = classify(a, b);
      if (!kind) continue;
      changed++;
      const key = groupKey(kind, a, b);
      let g = groups.get(key);
      const example = (): ChangeExample => ({ facts: { ...facts }, labels, config: c.label, before: a, after: b, beforeStep: "", afterStep: "" });
      if (!g) {
        g = { g: { kind, summary: "", cause: "", count: 0, example: example() }, labels: new Map(), configs: new Set(), run };
        groups.set(key, g);
      } else if (size(facts) < size(g.g.example.facts)) { g.g.example = example(); g.run = run; }
      g.g.count++;
      g.configs.add(c.label);
      for (const [k, v] of Object.entries(labels)) {
        const s = g.labels.get(k) ?? new Set<string>();
        if (s.size < 2) s.add(v);
        g.labels.set(k, s);
      }
    }
  }

  // Each group's cause (what all its requests share) and the deciding step on each side.
  for (const { g, labels, configs: cs, run } of groups.values()) {
    const shared = [...labels].filter(([, s]) => s.size === 1).map(([k, s]) => `${k}: ${[...s][0]}`);
    if (cs.size === 1 && configs.length > 1) shared.push(`config: ${[...cs][0]}`);
    else if (configs.length > 1) shared.push(`in ${cs.size} configs`);
    g.cause = shared.length ? shared.join("; ") : "requests of every kind";
    g.summary = `${describe(g.example.before)} → ${describe(g.example.after)}`;
    try { g.example.beforeStep = run.before.explain(g.example.facts).step; } catch (e) { g.example.beforeStep = `(explain failed: ${(e as Error).message})`; }
    try { g.example.afterStep = run.after.explain(g.example.facts).step; } catch (e) { g.example.afterStep = `(explain failed: ${(e as Error).message})`; }
  }

  const order: Record<ChangeKind, number> = { widened: 0, narrowed: 1, reason: 2 };
  const sorted = [...groups.values()].map((x) => x.g).sort((x, y) => order[x.kind] - order[y.kind] || y.count - x.count || x.summary.localeCompare(y.summary));
  const analysed = consts.every((c) => c.analysed);
  const opaque = [...new Set(consts.flatMap((c) => [...c.opaque]))].filter((r) => r === "*" || usedRoots.has(r));
  const exhaustive = runs > 0 && sampledConfigs === 0 && analysed && opaque.length === 0;
  const parts: string[] = [];
  if (exhaustiveConfigs) parts.push(`every combination of the value classes for ${exhaustiveConfigs} config${exhaustiveConfigs > 1 ? "s" : ""}`);
  if (sampledConfigs) parts.push(`a pairwise covering design plus seeded random requests for ${sampledConfigs} config${sampledConfigs > 1 ? "s" : ""}`);
  if (!analysed) parts.push("values from the wasm module's strings (no Rego sources analysed)");
  if (opaque.length) parts.push(`inputs the policies transform beyond comparisons (${opaque.join(", ")}) sampled, not proven`);
  if (refusedBoth || refusedOne) parts.push(`${refusedBoth + refusedOne} config variant${refusedBoth + refusedOne > 1 ? "s" : ""} refused at start-up (${refusedOne} by one side only)`);
  return {
    before: before.label,
    after: after.label,
    identical,
    ms: performance.now() - t0,
    changed,
    groups: sorted,
    reasons: [...reasons].sort(),
    widened: sorted.some((g) => g.kind === "widened"),
    narrowed: sorted.some((g) => g.kind === "narrowed"),
    space: {
      tried,
      configs: runs,
      dimensions: [...dimSizes].map(([name, values]) => ({ name, values })),
      exhaustive,
      method: parts.join("; ") || "no config could be evaluated",
      seed,
      budget,
    },
    errors,
  };
}
