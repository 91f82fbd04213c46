// An audit baseline: findings a team has acknowledged, each with a reason, so `tpe audit
// --fail-on …` fails only on new ones. A JSON5 file:
//   { suppressions: [ { checkId: "gateway.trusted_proxy_auth", reason: "the gateway is reachable only through the proxy" },
//                     { checkId: "gateway.trusted_proxies_broad", path: "gateway.trustedProxies.0", reason: "…" } ] }
// An entry without `path` covers every finding of its check; one with `path` only the finding at
// that config key. Entries that match no finding are stale and reported.
import { readFileSync } from "node:fs";
import JSON5 from "json5";
import { z } from "zod";
import type { Finding } from "../engine/validate.js";

const Suppression = z.strictObject({
  checkId: z.string().trim().min(1, "must name a check id"),
  path: z.string().trim().min(1, "must be a config path such as gateway.trustedProxies.0 (or leave it out)").optional(),
  reason: z.string().trim().min(1, "a reason is required: say why this finding is accepted"),
});

const BaselineFile = z.strictObject({ suppressions: z.array(Suppression) });

export type Suppression = z.infer<typeof Suppression>;

/** A baseline file that cannot be used; the message names the file and the entry. */
export class BaselineError extends Error {
  constructor(message: string) { super(message); this.name = "BaselineError"; }
}

export function parseBaseline(text: string, file: string): Suppression[] {
  let raw: unknown;
  try { raw = JSON5.parse(text); } catch (e) {
    const err = e as { lineNumber?: number; columnNumber?: number; message: string };
    const where = err.lineNumber ? `${file}:${err.lineNumber}:${err.columnNumber ?? 1}` : file;
    throw new BaselineError(`${where}: ${err.message.replace(/^JSON5: /, "").replace(/ at \d+:\d+$/, "")}`);
  }
  const r = BaselineFile.safeParse(raw);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`);
    throw new BaselineError(`${file}: not an audit baseline (${issues.join("; ")}); expected { suppressions: [{ checkId, path?, reason }] }`);
  }
  return r.data.suppressions;
}

export function readBaseline(file: string): Suppression[] {
  let text: string;
  try { text = readFileSync(file, "utf8"); }
  catch (e) { throw new BaselineError(`${file}: cannot read the audit baseline (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`); }
  return parseBaseline(text, file);
}

export interface BaselineResult {
  /** Findings no entry covers: what a gate fails on. */
  active: Finding[];
  /** Findings an entry covers, with the entry that covers them. */
  suppressed: { finding: Finding; by: Suppression }[];
  /** Entries that cover no finding of this config. */
  stale: Suppression[];
}

function covers(s: Suppression, f: Finding): boolean {
  return s.checkId === f.checkId && (s.path === undefined || s.path === f.path);
}

export function applyBaseline(findings: Finding[], suppressions: Suppression[]): BaselineResult {
  const used = new Set<Suppression>();
  const active: Finding[] = [];
  const suppressed: BaselineResult["suppressed"] = [];
  for (const f of findings) {
    const by = suppressions.filter((s) => covers(s, f));
    for (const s of by) used.add(s);
    if (by.length) suppressed.push({ finding: f, by: by[0]! }); else active.push(f);
  }
  return { active, suppressed, stale: suppressions.filter((s) => !used.has(s)) };
}
