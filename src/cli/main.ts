#!/usr/bin/env node
// tpe: the trusted-proxy-engine command line.
import { Command } from "commander";
import { RegoError } from "../rego/errors.js";
import { runBuild } from "./build.js";

const program = new Command();
program.name("tpe").description("trusted-proxy-engine: Rego policies compiled to WebAssembly, and the decision service around them");

program.command("build")
  .description("compile Rego to an OPA-format wasm bundle")
  .argument("<paths...>", "Rego files or directories (*_test.rego files are skipped)")
  .requiredOption("-e, --entrypoint <path...>", "entrypoint rule(s), e.g. trusted_proxy/decision")
  .option("-o, --output <file>", "bundle to write (.tar.gz)")
  .option("--wasm <file>", "also (or only) write the wasm module")
  .option("--data <file...>", "JSON files merged into the bundle's data.json")
  .option("--revision <rev>", "revision recorded in the manifest")
  .action(async (paths: string[], opts) => { process.exitCode = await runBuild(paths, opts); });

export async function main(argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof RegoError) console.error(e.message);
    else console.error(`error: ${(e as Error).message}`);
    process.exitCode = process.exitCode && process.exitCode !== 0 ? process.exitCode : 1;
  }
}

await main(process.argv);
