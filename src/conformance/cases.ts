// OPA's compliance cases (JSON form, see test/fixtures/opa-cases/README.md) and how one is judged.

export interface ComplianceCase {
  id: string;
  category: string;
  modules: string[];
  data?: unknown;
  input?: unknown;
  query: string;
  want_result?: Record<string, unknown>[];
  sort_bindings?: boolean;
  ignore_generated_vars?: boolean;
  want_error_code?: string;
  want_error?: string;
  expect_nonstrict: "result" | "undefined" | "error";
}

export interface CaseOutcome {
  id: string;
  category: string;
  passed: boolean;
  /** Why it failed: a compile error, an unsupported feature, a mismatch, a timeout… */
  detail?: string;
  ms: number;
}

/** Canonical JSON: object keys sorted, so rows compare by value. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

export function normalizeRows(rows: Record<string, unknown>[], c: ComplianceCase): string[] {
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      if (c.ignore_generated_vars && k.startsWith("__localq")) continue;
      if (k.startsWith("__local") && k.endsWith("__")) continue;
      out[k] = c.sort_bindings && Array.isArray(v) ? [...v].sort((a, b) => canonical(a) < canonical(b) ? -1 : canonical(a) > canonical(b) ? 1 : 0) : v;
    }
    return canonical(out);
  }).sort();
}

/** Compares actual rows with the case's expectation; returns a reason when they differ. */
export function judgeRows(rows: Record<string, unknown>[], c: ComplianceCase): string | undefined {
  if (c.expect_nonstrict === "error") return `expected error ${c.want_error_code ?? ""} ${c.want_error ?? ""}, got ${JSON.stringify(rows).slice(0, 200)}`;
  const want = c.expect_nonstrict === "undefined" ? [] : normalizeRows(c.want_result ?? [], c);
  const got = [...new Set(normalizeRows(rows, c))];
  const wantSet = [...new Set(want)];
  if (got.length === wantSet.length && got.every((g, i) => g === wantSet[i])) return undefined;
  return `want ${wantSet.join(" ").slice(0, 300)} got ${got.join(" ").slice(0, 300)}`;
}

export function judgeError(message: string, c: ComplianceCase): string | undefined {
  if (c.expect_nonstrict !== "error") return `unexpected error: ${message.slice(0, 300)}`;
  if (c.want_error && !message.includes(c.want_error.replace(/^eval_conflict_error: /, ""))) {
    return `error ${JSON.stringify(message.slice(0, 200))} does not mention ${JSON.stringify(c.want_error)}`;
  }
  if (c.want_error_code && !message.includes(c.want_error_code)) return `error lacks code ${c.want_error_code}: ${message.slice(0, 200)}`;
  return undefined;
}
