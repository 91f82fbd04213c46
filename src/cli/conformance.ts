#!/usr/bin/env node
// npm run conformance -- <cases.json> [--json report.json] [--filter text] [--timeout ms] [--verbose]
import { readFileSync, writeFileSync } from "node:fs";
import { runCases } from "../conformance/pool.js";
import type { CaseOutcome, ComplianceCase } from "../conformance/cases.js";

const args = process.argv.slice(2);
const file = args.find((a, i) => !a.startsWith("--") && !(i > 0 && ["--json", "--filter", "--timeout"].includes(args[i - 1]!)));
if (!file) {
  console.error("usage: npm run conformance -- <cases.json> [--json report.json] [--filter text] [--timeout ms] [--verbose]");
  process.exit(2);
}
const opt = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const filter = opt("--filter");
const { cases } = JSON.parse(readFileSync(file, "utf8")) as { cases: ComplianceCase[] };
const selected = filter ? cases.filter((c) => c.id.includes(filter)) : cases;
const started = performance.now();
const timeoutMs = Number(opt("--timeout") ?? 10_000);
const outcomes: CaseOutcome[] = await runCases(selected, timeoutMs);
const byCat = new Map<string, { pass: number; fail: number }>();
for (const o of outcomes) {
  const s = byCat.get(o.category) ?? { pass: 0, fail: 0 };
  if (o.passed) s.pass++; else s.fail++;
  byCat.set(o.category, s);
}
for (const [cat, s] of [...byCat].sort()) console.log(`${cat.padEnd(32)} ${s.pass}/${s.pass + s.fail}`);
if (args.includes("--verbose")) for (const o of outcomes) if (!o.passed) console.log(`FAIL ${o.id}: ${o.detail}`);
const passed = outcomes.filter((o) => o.passed).length;
const jsonOut = opt("--json");
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ file, passed, failed: outcomes.length - passed, seconds: (performance.now() - started) / 1000, outcomes }, null, 2));
console.log(`${passed} passed, ${outcomes.length - passed} failed`);
