// OPA's tier-1 compliance cases (test/fixtures/opa-cases) through compile → SDK → evaluate,
// run by the conformance CLI exactly as `npm run conformance` does.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** Raise this as the compiler improves; the run fails when the pass count drops below it. */
const TIER1_FLOOR = 882;

describe("OPA compliance, tier 1 (visible)", () => {
  it(`passes at least ${TIER1_FLOOR} cases`, () => {
    const report = path.join(mkdtempSync(path.join(os.tmpdir(), "tpe-conf-")), "report.json");
    const out = execFileSync(process.execPath, ["dist/src/cli/conformance.js", "test/fixtures/opa-cases/tier1-visible.json", "--json", report], { encoding: "utf8" });
    const lines = out.trim().split("\n");
    expect(lines[lines.length - 1]).toMatch(/^\d+ passed, \d+ failed$/);
    const r = JSON.parse(readFileSync(report, "utf8")) as { passed: number; failed: number; seconds: number; outcomes: { id: string; passed: boolean; detail?: string }[] };
    const failures = r.outcomes.filter((o) => !o.passed).map((o) => `${o.id}: ${o.detail}`);
    expect(r.passed, failures.slice(0, 20).join("\n")).toBeGreaterThanOrEqual(TIER1_FLOOR);
    expect(r.seconds).toBeLessThan(60);
  });
});
