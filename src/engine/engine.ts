// The decision engine: a validated config, the compiled policy, and decisions.
import { readRegoSources, type SourceFile } from "../bundle/sources.js";
import { ConfigError, type ConfigIssue } from "../config/errors.js";
import { readConfigFile } from "../config/load.js";
import { policyData, type PolicyData } from "../config/normalize.js";
import type { DecisionDocument } from "../decision/document.js";
import { buildPolicyInput, parseFacts, type FactsContext, type PolicyInput } from "../facts/facts.js";
import { hintFor } from "./hints.js";
import { policyInputJson } from "../facts/encode.js";
import { policyInputKey } from "../facts/cache-key.js";
import { DecisionCache, type DecisionCacheStats } from "./decision-cache.js";
import { InputEncoder } from "./input-encoder.js";
import type { LoadedPolicy } from "./load.js";
import { bundledPolicy, compilePolicy, ENTRYPOINTS, type CompiledPolicy, type PolicyInfo } from "./policy.js";
import { validateConfig, validateWith, type Env } from "./validate.js";

/** A decision: the document of spec section 6 (src/decision). */
export type Decision = DecisionDocument;

export interface Explanation {
  decision: Decision;
  /** The step of spec section 5 that decided. */
  step: string;
  /** What to check or change, for the reason code. */
  hint: string;
  /** The facts the policy looked at (the password only as absent/match/mismatch). */
  input: PolicyInput;
}

export interface EngineOptions {
  /** The gateway config: `{ gateway: {...} }`. */
  config: unknown;
  /** Environment for ${VAR} substitution and OPENCLAW_GATEWAY_TOKEN/PASSWORD (default process.env). */
  env?: Env;
  /** Policy sources (default: the bundled policy/), a directory, or an already compiled policy. */
  policy?: string | SourceFile[] | CompiledPolicy;
  /** How many distinct policy inputs keep their decision (default 10,000; 0 turns the cache off). */
  decisionCache?: number;
}

export const DEFAULT_DECISION_CACHE = 10_000;

export interface Engine {
  /** The decision for the request facts. Decisions are frozen: the engine may hand the same
   *  object out again for the same policy input. */
  decide(facts: unknown): Decision;
  explain(facts: unknown): Explanation;
  readonly warnings: ConfigIssue[];
  readonly policy: PolicyInfo;
  readonly data: PolicyData;
  /** Bytes of wasm linear memory the policy instance holds. */
  memoryBytes(): number;
  /** Hits, misses and size of the decision cache. */
  cacheStats(): DecisionCacheStats;
}

function resolvePolicy(p: EngineOptions["policy"]): CompiledPolicy {
  if (p === undefined) return bundledPolicy();
  if (typeof p === "string") return compilePolicy(readRegoSources([p]));
  if (Array.isArray(p)) return compilePolicy(p);
  return p;
}

export class DecisionError extends Error {
  constructor(message: string, cause?: unknown) { super(message, { cause }); this.name = "DecisionError"; }
}

class TrustedProxyEngine implements Engine {
  private readonly loaded: LoadedPolicy;
  private readonly ctx: FactsContext;
  /** The headers the policy reads, sorted: the order of their values in the cache key. */
  private readonly headerNames: readonly string[];
  private readonly decisionId: number;
  private readonly stepId: number;
  private readonly cache: DecisionCache<Decision>;
  private readonly encoder = new InputEncoder();

  constructor(private compiled: CompiledPolicy, loaded: LoadedPolicy, readonly data: PolicyData, password: string | null, readonly warnings: ConfigIssue[], cacheSize: number) {
    this.cache = new DecisionCache(cacheSize);
    this.loaded = loaded;
    this.loaded.setData({ ...compiled.data, gateway: data });
    this.ctx = { headerSet: new Set([data.user_header, ...data.required_headers]), password };
    this.headerNames = [...this.ctx.headerSet].sort();
    const eps = loaded.entrypoints;
    this.decisionId = eps[ENTRYPOINTS.decision] ?? -1;
    this.stepId = eps[ENTRYPOINTS.step] ?? -1;
    if (this.decisionId < 0 || this.stepId < 0) throw new Error("the policy lacks trusted_proxy/decision or trusted_proxy/step");
  }

  get policy(): PolicyInfo { return this.compiled.info; }

  memoryBytes(): number {
    return ((this.loaded as unknown as { mem?: WebAssembly.Memory }).mem?.buffer.byteLength) ?? 0;
  }

  private input(facts: unknown): PolicyInput {
    return buildPolicyInput(parseFacts(facts), this.ctx);
  }

  cacheStats(): DecisionCacheStats { return this.cache.stats(); }

  private evaluate(json: string, entrypoint: number): unknown {
    let rows: { result?: unknown }[];
    try { rows = this.loaded.evaluate(this.encoder.encode(json), entrypoint); }
    catch (e) { throw new DecisionError(`policy evaluation failed: ${typeof e === "string" ? e : (e as Error).message}`, e); }
    const r = rows[0]?.result;
    if (r === undefined) throw new DecisionError("policy evaluation failed: the decision is undefined");
    return r;
  }

  decide(facts: unknown): Decision {
    const input = this.input(facts);
    const key = this.cache.capacity === 0 ? undefined : policyInputKey(input, this.headerNames);
    let d = this.cache.get(key);
    if (d === undefined) {
      d = this.evaluate(policyInputJson(input), this.decisionId) as Decision;
      if (d !== null && typeof d === "object") { Object.freeze(d.scopes); Object.freeze(d); }
      if (key !== undefined) this.cache.set(key, d);
    }
    return d;
  }

  explain(facts: unknown): Explanation {
    const input = this.input(facts);
    const json = policyInputJson(input);
    const decision = this.evaluate(json, this.decisionId) as Decision;
    const step = this.evaluate(json, this.stepId) as string;
    return { decision, step, hint: hintFor(decision.reason), input };
  }
}

export async function createEngine(opts: EngineOptions): Promise<Engine> {
  return createEngineSync(opts);
}

export function createEngineSync(opts: EngineOptions): Engine {
  const env = opts.env ?? process.env;
  const compiled = resolvePolicy(opts.policy);
  // One instance validates the config (its checks read only input) and then decides.
  const loaded = compiled.instantiate();
  const v = validateWith(loaded, opts.config, env);
  if (v.errors.length) throw new ConfigError(v.errors, v.warnings);
  const cacheSize = opts.decisionCache ?? DEFAULT_DECISION_CACHE;
  if (!Number.isInteger(cacheSize) || cacheSize < 0) throw new RangeError(`decisionCache: expected a whole number ≥ 0, got ${cacheSize}`);
  return new TrustedProxyEngine(compiled, loaded, policyData(v.view), v.view.password, v.warnings, cacheSize);
}

/** Reads and validates a JSON5 config file; throws ConfigError with every problem. */
export function loadConfigFile(file: string, env: Env = process.env): unknown {
  const config = readConfigFile(file);
  const v = validateConfig(config, env);
  if (v.errors.length) throw new ConfigError(v.errors.map((e) => ({ ...e, message: `${file}: ${e.message}` })), v.warnings);
  return config;
}
