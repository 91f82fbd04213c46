// npm run bench -- [decide|compile|startup|http|reload|fuzz|soak|all] [--quick] [--help]
// Prints a table and writes bench/results/<name>.json (never part of npm test).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { benchCompile } from "./compile.js";
import { benchDecide } from "./decide.js";
import { benchHttp } from "./http.js";
import { benchReload } from "./reload.js";
import { benchSoak } from "./soak.js";
import { chart } from "./chart.js";
import { benchFuzz } from "./fuzz.js";
import { benchStartup } from "./startup.js";

const USAGE = `usage: npm run bench -- [decide|compile|startup|http|reload|fuzz|soak|all ...] [--quick] [--help]
  Runs the named benchmarks (default: all), prints a table each and writes bench/results/<name>.json.
  --quick  shorter runs (results are marked quick)
  --help   print this and exit (nothing is run or written)`;

const { values: flags, positionals: which } = (() => {
  try {
    return parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: { quick: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
})();
if (flags.help) { console.log(USAGE); process.exit(0); }
const quick = flags.quick === true;
const names = which.length === 0 || which.includes("all") ? ["decide", "compile", "startup", "http", "reload", "fuzz", "soak"] : which;

const runners: Record<string, () => Promise<Record<string, unknown>> | Record<string, unknown>> = {
  decide: () => benchDecide(quick ? { batches: 40 } : {}),
  compile: () => benchCompile(),
  http: () => benchHttp(quick ? { duration: 3, rounds: 1 } : {}),
  reload: () => benchReload(quick ? { duration: 10 } : {}),
  soak: () => benchSoak(quick ? { decisions: 100_000, httpSeconds: 10 } : {}),
  fuzz: () => benchFuzz(quick ? { requests: 5_000 } : {}),
  startup: () => benchStartup(quick ? { runs: 2 } : {}),
};

const unknown = names.filter((n) => !(n in runners));
if (unknown.length) { console.error(`unknown benchmark ${unknown.join(", ")}: choose from ${Object.keys(runners).join(", ")}, all\n${USAGE}`); process.exit(2); }
mkdirSync("bench/results", { recursive: true });
for (const name of names) {
  const run = runners[name]!;
  console.log(`== ${name}`);
  const result = await run();
  const at = new Date().toISOString();
  writeFileSync(`bench/results/${name}.json`, `${JSON.stringify({ name, at, quick, ...result }, null, 2)}\n`);
  // Single HTTP runs swing on a shared machine: keep the summaries of the last runs, so the chart
  // and the README quote medians over runs.
  if (name === "http") appendHistory(`bench/results/${name}.history.json`, { at, quick, machine: result.machine, summary: result.summary });
  console.table(flatten(result));
}
const svg = chart();
if (svg) console.log(`chart: ${svg}`);

function appendHistory(file: string, entry: Record<string, unknown>, keep = 10): void {
  const past = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as unknown[]) : [];
  writeFileSync(file, `${JSON.stringify([...past, entry].slice(-keep), null, 2)}\n`);
}

function flatten(o: Record<string, unknown>, prefix = "", out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(o)) {
    if (k === "rows" || k === "body" || k === "machine") continue;
    if (Array.isArray(v) && v.every((x) => x && typeof x === "object")) v.forEach((x, i) => flatten(x as Record<string, unknown>, `${prefix}${k}[${i}].`, out));
    else if (v && typeof v === "object" && !Array.isArray(v)) flatten(v as Record<string, unknown>, `${prefix}${k}.`, out);
    else if (!Array.isArray(v)) out[`${prefix}${k}`] = typeof v === "number" ? Math.round(v * 1000) / 1000 : v;
  }
  return out;
}
