// This package on disk: its root folder (found from this module, in src/ or in dist/src/) and its
// version, each read once.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;
let version: string | undefined;

/** The folder holding this package's package.json and policy/. */
export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, "package.json")) && existsSync(path.join(dir, "policy", "trusted_proxy.rego"))) return (root = dir);
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find the trusted-proxy-engine package root above ${fileURLToPath(import.meta.url)}`);
}

export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
  return version;
}
