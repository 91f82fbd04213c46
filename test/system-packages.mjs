#!/usr/bin/env node
// `npm test`'s pretest step: the end-to-end tests run real Debian programs (nginx). When one is
// missing, install it with apt-get if this process can (root, apt-get present); otherwise stop
// with the exact command to run. A fresh machine passes `npm ci && npm test` with nothing else.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

/** Program the tests start → the Debian package that provides it. */
export const SYSTEM_PACKAGES = [
  { program: "nginx", pkg: "nginx-light", paths: ["/usr/sbin/nginx"], usedBy: "test/e2e (nginx in front of the gateway)" },
];

function onPath(program) {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, program))) return true;
  }
  return false;
}

export function isInstalled({ program, paths }) {
  return onPath(program) || paths.some((p) => existsSync(p));
}

function canApt() {
  return typeof process.getuid === "function" && process.getuid() === 0 && spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
}

function aptInstall(pkgs) {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () => spawnSync("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...pkgs], { stdio: ["ignore", "ignore", "pipe"], env });
  let r = install();
  if (r.status !== 0) { // package lists may be missing or stale on a new machine
    execFileSync("apt-get", ["update", "-q"], { stdio: ["ignore", "ignore", "inherit"], env });
    r = install();
  }
  if (r.status !== 0) throw new Error(`apt-get install ${pkgs.join(" ")} failed: ${String(r.stderr).trim().slice(-2000)}`);
}

function main() {
  const missing = SYSTEM_PACKAGES.filter((p) => !isInstalled(p));
  if (missing.length === 0) return 0;
  const pkgs = missing.map((p) => p.pkg);
  const command = `sudo apt-get install -y ${pkgs.join(" ")}`;
  for (const p of missing) console.error(`pretest: ${p.program} is missing (needed by ${p.usedBy})`);
  if (!canApt()) {
    console.error(`pretest: cannot install it from here (not root, or no apt-get). Run:\n  ${command}\nthen npm test again.`);
    return 1;
  }
  console.error(`pretest: installing ${pkgs.join(" ")} with apt-get`);
  try { aptInstall(pkgs); } catch (e) {
    console.error(`pretest: ${e.message}\nRun:\n  ${command}\nthen npm test again.`);
    return 1;
  }
  const still = missing.filter((p) => !isInstalled(p));
  if (still.length) {
    console.error(`pretest: ${still.map((p) => p.program).join(", ")} still missing after apt-get install. Run:\n  ${command}`);
    return 1;
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main());
