// The conformance runner survives a case that never finishes: it times out, counts as failed,
// and the next case still runs.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("conformance runner", () => {
  it("fails a hanging case on its deadline and goes on", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "tpe-timeout-"));
    const big = Array.from({ length: 400 }, (_, i) => i);
    const cases = {
      cases: [
        { id: "slow#1", category: "slow", modules: ["package t\n\np := count([1 | some a in data.xs; some b in data.xs; some c in data.xs; some d in data.xs])\n"],
          data: { xs: big }, query: "data.t.p = x", want_result: [{ x: 1 }], expect_nonstrict: "result" },
        { id: "quick#1", category: "quick", modules: ["package t\n\np := 1 + 1\n"], data: {}, query: "data.t.p = x", want_result: [{ x: 2 }], expect_nonstrict: "result" },
        { id: "unsupported#1", category: "quick", modules: ["package t\n\np := time.now_ns()\n"], data: {}, query: "data.t.p = x", want_result: [{ x: 1 }], expect_nonstrict: "result" },
      ],
    };
    writeFileSync(path.join(dir, "cases.json"), JSON.stringify(cases));
    const out = execFileSync(process.execPath, ["dist/src/cli/conformance.js", path.join(dir, "cases.json"), "--timeout", "700", "--json", path.join(dir, "r.json")], { encoding: "utf8" });
    expect(out.trim().split("\n").pop()).toBe("1 passed, 2 failed");
    const r = JSON.parse(readFileSync(path.join(dir, "r.json"), "utf8")) as { outcomes: { id: string; passed: boolean; detail?: string }[] };
    expect(r.outcomes.map((o) => [o.id, o.passed])).toEqual([["slow#1", false], ["quick#1", true], ["unsupported#1", false]]);
    expect(r.outcomes[0]!.detail).toBe("timeout after 700 ms");
    expect(r.outcomes[2]!.detail).toMatch(/unsupported: builtin time\.now_ns/);
  });
});
