// Locates and reads runtime/runtime.wasm (built by `npm run build:runtime`).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let cached: Uint8Array | undefined;

export function runtimeWasm(): Uint8Array {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, "runtime", "runtime.wasm");
    if (existsSync(candidate)) { cached = new Uint8Array(readFileSync(candidate)); return cached; }
    dir = path.dirname(dir);
  }
  throw new Error("runtime/runtime.wasm not found: run `npm run build:runtime` (npm ci does this)");
}
