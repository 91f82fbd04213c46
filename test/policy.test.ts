// The policy's own Rego unit tests (policy/*_test.rego), run through `tpe test` like `opa test`.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const tpe = (args: string[]) => {
  try { return { code: 0, out: execFileSync(process.execPath, ["dist/src/cli/main.js", ...args], { encoding: "utf8" }) }; }
  catch (e) { const x = e as { status: number; stdout: string }; return { code: x.status, out: x.stdout }; }
};

describe("tpe test", () => {
  it("passes every Rego test of the bundled policy", () => {
    const r = tpe(["test", "policy"]);
    expect(r.out).toMatch(/^PASS: (\d+)\/\1$/m);
    expect(Number(/PASS: (\d+)/.exec(r.out)![1])).toBeGreaterThanOrEqual(20);
    expect(r.code).toBe(0);
  });

  it("lists failures with file:line and exits 1", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "tpe-test-"));
    writeFileSync(path.join(dir, "x_test.rego"), "package x_test\n\ntest_ok if true\n\ntest_bad if {\n\t1 == 2\n}\n");
    const r = tpe(["test", dir]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`data.x_test.test_bad: FAIL`);
    expect(r.out).toContain(`x_test.rego:5`);
    expect(r.out).toContain("PASS: 1/2");
    expect(r.out).toContain("FAIL: 1/2");
    expect(r.out).not.toContain("test_ok: PASS");
    expect(tpe(["test", "-v", dir]).out).toContain("data.x_test.test_ok: PASS");
  });
});
