// tpe build <files|dirs> -e <pkg/rule>… [-o bundle.tar.gz] [--wasm out.wasm] [--data data.json]
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { compile } from "../compiler/compile.js";
import { readRegoSources } from "../bundle/sources.js";
import { writeBundle } from "../bundle/bundle.js";
import { printIR } from "../compiler/ir-print.js";

export interface BuildOptions { entrypoint: string[]; output?: string; wasm?: string; data?: string[]; revision?: string; printIr?: boolean }

function bundlePath(file: string, roots: string[]): string {
  const abs = path.resolve(file);
  const fromCwd = path.relative(process.cwd(), abs);
  if (!fromCwd.startsWith("..") && !path.isAbsolute(fromCwd)) return fromCwd.split(path.sep).join("/");
  const root = roots.map((r) => path.resolve(r)).find((r) => abs === r || abs.startsWith(r + path.sep)) ?? path.dirname(abs);
  return path.relative(path.dirname(root), abs).split(path.sep).join("/");
}

export async function runBuild(paths: string[], opts: BuildOptions): Promise<number> {
  if (!opts.entrypoint?.length) throw new Error("tpe build: at least one entrypoint is required (-e pkg/rule)");
  if (!opts.output && !opts.wasm && !opts.printIr) opts.output = "bundle.tar.gz";
  // Paths as the bundle stores them (relative to the working directory, else to the argument's
  // parent), so that compiling the bundle's Rego again gives the same module.
  const sources = readRegoSources(paths).map((s) => ({ ...s, path: bundlePath(s.path, paths) }));
  if (sources.length === 0) throw new Error(`tpe build: no .rego files in ${paths.join(", ")}`);
  const t0 = performance.now();
  const result = compile({ modules: sources, entrypoints: opts.entrypoint });
  const ms = performance.now() - t0;
  let data: Record<string, unknown> = {};
  for (const f of opts.data ?? []) {
    try { data = { ...data, ...(JSON.parse(readFileSync(f, "utf8")) as Record<string, unknown>) }; }
    catch (e) { throw new Error(`${f}: not valid JSON data: ${(e as Error).message}`); }
  }
  if (opts.printIr) console.log(printIR(result.ir));
  if (opts.wasm) {
    writeFileSync(opts.wasm, result.wasm);
    console.log(`wrote ${opts.wasm} (${result.wasm.length} bytes, ${result.entrypoints.length} entrypoints, compiled in ${ms.toFixed(1)} ms)`);
  }
  if (opts.output) {
    await writeBundle(opts.output, {
      wasm: result.wasm,
      data,
      manifest: {
        revision: opts.revision ?? "",
        roots: [""],
        wasm: result.entrypoints.map((entrypoint) => ({ entrypoint, module: "/policy.wasm" })),
        rego_version: 1,
        metadata: result.hostBuiltins.length ? { host_builtins: result.hostBuiltins } : undefined,
      },
      sources,
    });
    console.log(`wrote ${opts.output} (${result.entrypoints.join(", ")}; compiled in ${ms.toFixed(1)} ms)`);
  }
  if (result.hostBuiltins.length) {
    console.log(`note: host builtins needed (supplied by trusted-proxy-engine's loader): ${result.hostBuiltins.join(", ")}`);
  }
  return 0;
}
