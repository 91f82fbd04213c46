// Start-up validation (spec section 2) and the security audit (section 8): the TypeScript side
// checks shapes and substitutes ${VAR}s; the semantic checks are the policy's
// (trusted_proxy/startup, trusted_proxy/audit).
import { ConfigError, type ConfigIssue } from "../config/errors.js";
import { substituteEnv, type EnvIssue } from "../config/env.js";
import { shapeIssues } from "../config/schema.js";
import { buildView, malformedPath, viewForPolicy, type ConfigView } from "../config/view.js";
import type { LoadedPolicy } from "./load.js";
import { bundledPolicy, ENTRYPOINTS } from "./policy.js";

export type Env = Record<string, string | undefined>;

export interface Validation {
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
  view: ConfigView;
}

export interface Finding {
  checkId: string;
  severity: "critical" | "warn" | "info";
  /** The config key it is about (dotted, list items by index: `gateway.trustedProxies.0`). */
  path: string;
  title: string;
  detail: string;
  fix: string;
}

function prepare(config: unknown, env: Env, keepUnset: boolean): { errors: ConfigIssue[]; view: ConfigView } {
  const envIssues: EnvIssue[] = [];
  let cfg = config;
  if (config && typeof config === "object" && !Array.isArray(config) && "gateway" in config) {
    const c = config as Record<string, unknown>;
    cfg = { ...c, gateway: substituteEnv(c.gateway, env, "gateway", envIssues, keepUnset) };
  }
  const shape = shapeIssues(cfg);
  const errors: ConfigIssue[] = shape.map((i) => ({ code: "config_invalid", path: i.path, message: `${i.path || "(config root)"}: ${i.message}` }));
  for (const e of envIssues) errors.push({ code: "config_invalid", path: e.path, message: `${e.path}: environment variable ${e.name} is not set` });
  // Validation treats a value with an unset variable as unusable; the audit reads it as written.
  const malformed = [...shape.filter((i) => !i.unknownKeys).map((i) => malformedPath(i.path)),
    ...(keepUnset ? [] : envIssues.map((e) => malformedPath(e.path)))];
  if (!cfg || typeof cfg !== "object" || Array.isArray(cfg)) malformed.push("gateway");
  return { errors, view: buildView(cfg, malformed, env) };
}

export function validateWith(checker: LoadedPolicy, config: unknown, env: Env): Validation {
  const { errors, view } = prepare(config, env, false);
  const rows = checker.evaluate(viewForPolicy(view), ENTRYPOINTS.startup) as { result?: { errors: ConfigIssue[]; warnings: ConfigIssue[] } }[];
  const result = rows[0]?.result;
  if (!result) throw new Error("policy error: trusted_proxy/startup/result is undefined");
  return { errors: [...errors, ...result.errors], warnings: result.warnings, view };
}

export function auditWith(checker: LoadedPolicy, config: unknown, env: Env): Finding[] {
  const { view } = prepare(config, env, true);
  const rows = checker.evaluate(viewForPolicy(view), ENTRYPOINTS.audit) as { result?: Finding[] }[];
  const order = { critical: 0, warn: 1, info: 2 };
  return (rows[0]?.result ?? []).slice().sort((a, b) => order[a.severity] - order[b.severity] || a.checkId.localeCompare(b.checkId) || a.detail.localeCompare(b.detail));
}

let checker: LoadedPolicy | undefined;
function defaultChecker(): LoadedPolicy {
  checker ??= bundledPolicy().instantiate();
  return checker;
}

/** Start-up errors and warnings of a config, all together (errors in the spec's order). */
export function validateConfig(config: unknown, env: Env = process.env): { errors: ConfigIssue[]; warnings: ConfigIssue[] } {
  const { errors, warnings } = validateWith(defaultChecker(), config, env);
  return { errors, warnings };
}

/** Security audit findings (also for a config that would not start). */
export function audit(config: unknown, env: Env = process.env): Finding[] {
  return auditWith(defaultChecker(), config, env);
}

/** The validated view of a config (for tools that derive requests from it); throws ConfigError. */
export function configView(config: unknown, env: Env = process.env): ConfigView {
  const v = validateWith(defaultChecker(), config, env);
  if (v.errors.length) throw new ConfigError(v.errors, v.warnings);
  return v.view;
}
