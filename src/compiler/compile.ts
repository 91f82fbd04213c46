// The compiler's public entry: Rego modules → a wasm module the OPA SDK loads.
import type { Body, Module } from "../rego/ast.js";
import { RegoError, type RegoErrorDetail } from "../rego/errors.js";
import { parseModule, parseQuery } from "../rego/parser.js";
import { link } from "../wasm/linker.js";
import { runtimeWasm } from "../wasm/runtime-binary.js";
import type { Policy } from "./ir.js";
import { Planner } from "./planner.js";
import { buildRuleTree, moduleScope, Resolver, type ModuleScope } from "./rules.js";

export interface CompileInput {
  modules: { path: string; source: string }[];
  /** Rule paths to export, as `pkg/rule` (slashes) or `data.pkg.rule`. */
  entrypoints?: string[];
  /** A query whose variable bindings form the result rows (exported as the last entrypoint, "query"). */
  query?: string;
}

export interface CompileResult {
  wasm: Uint8Array;
  entrypoints: string[];
  /** Builtins the host must provide (the project's loader supplies them). */
  hostBuiltins: string[];
  warnings: string[];
  /** The planned IR, for inspection and tests. */
  ir: Policy;
}

export function entrypointPath(ep: string): string[] {
  const s = ep.startsWith("data.") ? ep.slice(5).split(".") : ep.split("/");
  return s.filter((x) => x.length > 0);
}

export function compile(input: CompileInput): CompileResult {
  const errors: RegoErrorDetail[] = [];
  const modules: Module[] = [];
  for (const m of input.modules) {
    try { modules.push(parseModule(m.source, m.path)); }
    catch (e) { if (e instanceof RegoError) errors.push(...e.errors); else throw e; }
  }
  let query: Body | undefined;
  if (input.query !== undefined) {
    try { query = parseQuery(input.query, "query"); }
    catch (e) { if (e instanceof RegoError) errors.push(...e.errors); else throw e; }
  }
  if (errors.length) throw new RegoError(errors);

  const tree = buildRuleTree(modules, errors);
  const scopes = new Map<object, ModuleScope>();
  for (const m of modules) scopes.set(m, moduleScope(m, tree));
  const entrypoints = (input.entrypoints ?? []).filter((ep) => {
    const path = entrypointPath(ep);
    let node: { children: Map<string, unknown> } | undefined = tree.root;
    for (const seg of path) node = node?.children.get(seg) as typeof node;
    if (!node) errors.push({ code: "rego_compile_error", message: `entrypoint ${ep} does not match any rule or package` });
    return node !== undefined;
  });

  // Planning goes on after errors so that every error is reported at once.
  const planner = new Planner(tree, scopes, errors);
  const ir = planner.plan({ entrypoints: entrypoints.map(entrypointPath), query: query && resolveQuery(query, modules) });
  if (errors.length) throw new RegoError(dedupe(errors));
  const wasm = link(runtimeWasm(), ir);
  return {
    wasm,
    entrypoints: ir.entrypoints.map((e) => e.name),
    hostBuiltins: ir.hostBuiltins,
    warnings: [],
    ir,
  };
}

/** Queries see no package: names are `data`, `input` and locals (wildcards made distinct). */
function resolveQuery(q: Body, _modules: Module[]): Body {
  return new Resolver({ pkg: [], ruleNames: new Set(), imports: new Map() }).resolve(q, [], new Set()).body;
}

function dedupe(errors: RegoErrorDetail[]): RegoErrorDetail[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.code}|${e.message}|${e.location?.file}:${e.location?.row}:${e.location?.col}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
