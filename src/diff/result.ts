// What a decision diff reports: the contract between the diff computation (diff.ts, space.ts) and
// its readers (report formats, the CLI, the mutation runner).
import type { CompiledPolicy } from "../engine/policy.js";
import type { Decision } from "../engine/engine.js";

/** One side of a diff: a compiled policy and, optionally, the config it runs with. */
export interface DiffSide {
  /** Where the policy came from, e.g. "HEAD", "working tree", "bundle.tar.gz (policy.wasm)". */
  label: string;
  policy: CompiledPolicy;
  /** The raw gateway config (`{ gateway: {...} }`); undefined when none was given: the diff then
   *  runs over configs derived from both policies and from variants of the example configs. */
  config?: unknown;
  /** Where the config came from (a file name), when one was given. */
  configLabel?: string;
}

export interface DiffOptions {
  /** Seed of the random sampling on top of the covering design (default: fixed, so reruns agree). */
  seed?: number;
  /** Most requests to evaluate per config (default chosen so the shipped policy diffs in seconds). */
  budget?: number;
}

export type ChangeKind = "widened" | "narrowed" | "reason";

export interface ChangeExample {
  /** The request facts (as a gateway would send them to /v1/decision). */
  facts: Record<string, unknown>;
  /** The request dimension by dimension, in words. */
  labels: Record<string, string>;
  /** Which config it ran under (a file name, or a described variant such as "allowUsers + mallory"). */
  config: string;
  before: Decision;
  after: Decision;
  /** The step of spec section 5 that decided, on each side (Explanation.step). */
  beforeStep: string;
  afterStep: string;
}

export interface ChangeGroup {
  kind: ChangeKind;
  /** Decision before → after, e.g. "deny (trusted_proxy_untrusted_source) → allow as nick@example.com …". */
  summary: string;
  /** What the group's requests share that explains the change (grouping key shown to the reviewer),
   *  e.g. "peer 10.99.0.0/16 (a CIDR only the after policy names)"; one cause, one group. */
  cause: string;
  count: number;
  /** The smallest request of the group. */
  example: ChangeExample;
}

/** A request one side could not evaluate: the diff is then a tool error (exit 3). */
export interface EvaluationFailure {
  side: "before" | "after";
  config: string;
  facts: Record<string, unknown>;
  message: string;
}

export interface SpaceReport {
  /** Requests evaluated on both sides, over all configs. */
  tried: number;
  /** Configs evaluated (the given ones, or the derived variants). */
  configs: number;
  /** The dimensions the requests varied, each with how many values it took. */
  dimensions: { name: string; values: number }[];
  /** True when every equivalence class of the partition the policies' comparisons induce was tried
   *  (the result is a proof over that partition); false when sampled. */
  exhaustive: boolean;
  /** How the space was built, in one sentence (e.g. "pairwise covering design + 2,000 random"). */
  method: string;
  seed: number;
  budget: number;
}

export interface DiffResult {
  before: string;
  after: string;
  /** True when both sides are the same policy module and config: nothing to compare. */
  identical: boolean;
  ms: number;
  changed: number;
  /** Widened first, then narrowed, then reason-only changes. */
  groups: ChangeGroup[];
  /** Reason codes seen on either side (coverage of the space). */
  reasons: string[];
  widened: boolean;
  narrowed: boolean;
  space: SpaceReport;
  errors: EvaluationFailure[];
}
