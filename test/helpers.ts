// Test helpers: compile Rego and evaluate it through the SDK; check parse errors.
import { expect } from "vitest";
import { compile } from "../src/compiler/compile.js";
import { inputBuffer, loadPolicySync, type LoadedPolicy } from "../src/engine/load.js";
import { RegoError } from "../src/rego/errors.js";

export function policyFor(source: string | string[], opts: { query?: string; entrypoints?: string[] } = {}): LoadedPolicy {
  const sources = Array.isArray(source) ? source : [source];
  const r = compile({ modules: sources.map((s, i) => ({ path: `test${i}.rego`, source: s })), ...opts });
  return loadPolicySync(r.wasm, r.hostBuiltins);
}

/** Result rows of a query over optional modules, data and input. */
export function query(q: string, opts: { modules?: string[]; data?: unknown; input?: unknown } = {}): Record<string, unknown>[] {
  const p = policyFor(opts.modules ?? [], { query: q });
  p.setData(opts.data ?? {});
  return p.evaluate(inputBuffer(opts.input), "query") as Record<string, unknown>[];
}

/** The single binding of `x` in a query, or undefined when there is no row. */
export function value(q: string, opts: { modules?: string[]; data?: unknown; input?: unknown } = {}): unknown {
  const rows = query(q, opts);
  if (rows.length > 1) throw new Error(`expected at most one row, got ${JSON.stringify(rows)}`);
  return rows[0]?.x;
}

/** `run` throws a rego_parse_error at file:row:col whose message contains `msg`, printed with its position first. */
export function expectParseError(run: () => unknown, file: string, row: number, col: number, msg: string): void {
  let thrown: unknown;
  try { run(); } catch (e) { thrown = e; }
  expect(thrown).toBeInstanceOf(RegoError);
  const err = thrown as RegoError;
  expect(err.code).toBe("rego_parse_error");
  expect(err.location).toEqual({ file, row, col });
  expect(err.message).toContain(msg);
  expect(err.message.startsWith(`${file}:${row}:${col}: rego_parse_error:`)).toBe(true);
}
