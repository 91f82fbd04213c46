import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import opa from "@open-policy-agent/opa-wasm";
import { readBundle } from "../../src/bundle/bundle.js";

const tpe = (args: string[], cwd?: string) =>
  execFileSync(process.execPath, [path.resolve("dist/src/cli/main.js"), ...args], { encoding: "utf8", cwd, stdio: ["ignore", "pipe", "pipe"] });

describe("tpe build", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tpe-build-"));
  mkdirSync(path.join(dir, "policy"));
  writeFileSync(path.join(dir, "policy", "authz.rego"), `package authz

default allow := false

allow if {
\tnet.cidr_contains("10.0.0.0/8", input.peer)
\tlower(input.user) in data.admins
}

who := {"user": input.user, "allowed": allow}
`);
  writeFileSync(path.join(dir, "policy", "authz_test.rego"), "package authz_test\ntest_x if true\n");
  writeFileSync(path.join(dir, "data.json"), JSON.stringify({ admins: ["alice"] }));

  it("writes an OPA bundle that a plain loadPolicy() evaluates", async () => {
    const out = tpe(["build", "policy", "-e", "authz/allow", "authz/who", "-o", "bundle.tar.gz", "--data", "data.json", "--wasm", "policy.wasm"], dir);
    expect(out).toContain("wrote bundle.tar.gz");
    const b = await readBundle(path.join(dir, "bundle.tar.gz"));
    expect(b.manifest.rego_version).toBe(1);
    expect(b.manifest.wasm).toEqual([
      { entrypoint: "authz/allow", module: "/policy.wasm" },
      { entrypoint: "authz/who", module: "/policy.wasm" },
    ]);
    expect(b.data).toEqual({ admins: ["alice"] });
    expect(b.sources.map((s) => s.path)).toEqual(["policy/authz.rego"]);
    expect(Buffer.from(b.wasm).equals(readFileSync(path.join(dir, "policy.wasm")))).toBe(true);

    const policy = await opa.loadPolicy(b.wasm);
    policy.setData(b.data as object);
    expect(policy.evaluate({ peer: "10.1.2.3", user: "ALICE" }, "authz/allow")).toEqual([{ result: true }]);
    expect(policy.evaluate({ peer: "192.168.0.1", user: "alice" }, "authz/allow")).toEqual([{ result: false }]);
    expect(policy.evaluate({ peer: "10.0.0.1", user: "bob" }, "authz/who")).toEqual([{ result: { user: "bob", allowed: false } }]);
  });

  it("fails with the file, line and column of a policy error", () => {
    writeFileSync(path.join(dir, "bad.rego"), "package bad\n\np if {\n\tx > 1\n}\n");
    let stderr = "";
    try { tpe(["build", "bad.rego", "-e", "bad/p"], dir); } catch (e) { stderr = (e as { stderr: string }).stderr; }
    expect(stderr.trim()).toBe("bad.rego:4:2: rego_unsafe_var_error: var x is unsafe");
  });
});
