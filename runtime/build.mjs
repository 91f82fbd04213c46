// Builds runtime/index.ts into runtime/runtime.wasm with AssemblyScript (a build-time tool only).
import { main } from "assemblyscript/asc";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = [
  path.join(here, "index.ts"),
  "--outFile", path.join(here, "runtime.wasm"),
  "--runtime", "stub",
  "--importMemory", "--initialMemory", "2", "--stackSize", "0",
  "--use", "abort=runtime/abort/runtimeAbort",
  "--exportStart", "_initialize",
  "--noExportMemory",
  "-O3", "--noAssert", "--disableWarning",
  ...(process.argv.includes("--debug") ? ["--debug"] : []),
  ...(process.argv.includes("--wat") ? ["--textFile", path.join(here, "runtime.wat")] : []),
];
const { error, stderr } = await main(args, { stdout: process.stdout, stderr: process.stderr });
if (error) {
  console.error(`runtime build failed: ${error.message}`);
  process.exit(1);
}
