#!/usr/bin/env node
// tpe: the trusted-proxy-engine command line. Each command loads its own modules when it runs, so
// `tpe serve` starts without the build, diff and bundle code.
import { Command } from "commander";
import { RegoError } from "../rego/errors.js";
import { ConfigError } from "../config/errors.js";
import { FactsError } from "../facts/facts.js";
import { DEFAULT_LIMITS, limitsFromFlags } from "../server/limits.js";

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
  .option("--print-ir", "print the planned IR (functions, blocks, statements)")
  .action(async (paths: string[], opts) => { const { runBuild } = await import("./build.js"); process.exitCode = await runBuild(paths, opts); });

program.command("test")
  .description("run Rego unit tests (rules named test_*), like opa test")
  .argument("[paths...]", "files or directories (default: policy/)")
  .option("-v, --verbose", "list every test, not only failures")
  .option("--data <file...>", "JSON data files")
  .action(async (paths: string[], opts) => { const { runTests } = await import("./commands.js"); process.exitCode = runTests(paths, opts); });

program.command("eval")
  .description("decide one request: the decision document as JSON")
  .requiredOption("--config <file>", "gateway config (JSON5)")
  .requiredOption("--request <file>", "request facts (JSON)")
  .option("--policy <dir|bundle.tar.gz>", "policy directory or OPA bundle (default: the bundled policy)")
  .option("--explain", "also show the step that decided, the facts and the operator hint")
  .action(async (opts) => { const { runEval } = await import("./commands.js"); process.exitCode = await runEval(opts); });

program.command("explain")
  .description("the decision, the step of the spec that decided, the facts and the operator hint")
  .requiredOption("--config <file>", "gateway config (JSON5)")
  .requiredOption("--request <file>", "request facts (JSON)")
  .option("--policy <dir|bundle.tar.gz>", "policy directory or OPA bundle (default: the bundled policy)")
  .action(async (opts) => { const { runEval } = await import("./commands.js"); process.exitCode = await runEval({ ...opts, explain: true }); });

program.command("check-config")
  .description("start-up errors and warnings of a gateway config (exit 1 on errors)")
  .argument("<file>", "gateway config (JSON5)")
  .option("--format <format>", "text or json", "text")
  .action(async (file: string, opts) => { const { runCheckConfig } = await import("./commands.js"); process.exitCode = runCheckConfig(file, opts); });

program.command("audit")
  .description("security audit of a gateway config (spec section 8), usable as a CI gate")
  .argument("<file>", "gateway config (JSON5)")
  .option("--format <format>", "text, json or sarif", "text")
  .option("--fail-on <severity>", "exit 1 when a finding not accepted by the baseline is at least this severe: critical, warn or info")
  .option("--baseline <file>", "accepted findings (JSON5: { suppressions: [{ checkId, path?, reason }] }); stale entries are reported")
  .option("--repo-root <dir>", "root that SARIF artifact URIs are relative to (default: the config's git repository, else the working directory)")
  .action(async (file: string, opts) => { const { runAudit } = await import("./audit.js"); process.exitCode = runAudit(file, opts); });

program.command("serve")
  .description("run the decision service")
  .requiredOption("--config <file>", "gateway config (JSON5)")
  .option("--policy <dir|bundle.tar.gz>", "policy directory or bundle (default: the bundled policy)")
  .option("--host <host>", "address to listen on", "127.0.0.1")
  .option("--port <port>", "port", "8181")
  .option("--no-watch", "do not reload when the policy or config changes")
  .option("--log-level <level>", "pino log level", "info")
  .option("--decision-cache <entries>", "distinct policy inputs whose decision is kept (0: off; without it, the engine's default)")
  .option("--headers-timeout <duration>", `time for a request's headers to arrive, else 408; a silent new connection is closed after it (ms, or with a unit: 5s) (default: ${DEFAULT_LIMITS.headersTimeoutMs} ms)`)
  .option("--request-timeout <duration>", `time for a whole request to arrive, else 408 (default: ${DEFAULT_LIMITS.requestTimeoutMs} ms)`)
  .option("--keep-alive-timeout <duration>", `an idle keep-alive connection is closed after (default: ${DEFAULT_LIMITS.keepAliveTimeoutMs} ms)`)
  .option("--max-connections <n>", `open connections at most; more are closed on arrival (default: ${DEFAULT_LIMITS.maxConnections})`)
  .option("--body-limit <bytes>", `request body size at most, else 413 (default: ${DEFAULT_LIMITS.bodyLimitBytes})`)
  .option("--shutdown-timeout <duration>", `on SIGTERM/SIGINT, close what is still open after this and exit (default: ${DEFAULT_LIMITS.shutdownTimeoutMs} ms)`)
  .action(async (opts) => {
    const port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number (got ${opts.port})`);
    const decisionCache = opts.decisionCache === undefined ? undefined : Number(opts.decisionCache);
    if (opts.decisionCache !== undefined && (!/^\d+$/.test(opts.decisionCache) || !Number.isSafeInteger(decisionCache))) {
      throw new Error(`--decision-cache must be a whole number of entries, 0 to turn the cache off (got ${opts.decisionCache})`);
    }
    const limits = limitsFromFlags({
      headersTimeoutMs: opts.headersTimeout, requestTimeoutMs: opts.requestTimeout, keepAliveTimeoutMs: opts.keepAliveTimeout,
      maxConnections: opts.maxConnections, bodyLimitBytes: opts.bodyLimit, shutdownTimeoutMs: opts.shutdownTimeout,
    });
    const [{ runServe }, { bundledPolicyDir }] = await Promise.all([import("../server/serve.js"), import("../engine/policy.js")]);
    await runServe({ config: opts.config, policy: opts.policy ?? bundledPolicyDir(), host: opts.host, port, watch: opts.watch, logLevel: opts.logLevel, decisionCache, limits });
  });

program.command("diff")
  .description("which requests change decision between two policy versions and/or configs (widened access first)")
  .argument("[before]", "policy directory, bundle or git revision (default: the bundled policy)")
  .argument("[after]", "policy directory, bundle or git revision (default: same as before)")
  .option("--config <file>", "gateway config for both sides")
  .option("--before-config <file>", "gateway config before")
  .option("--after-config <file>", "gateway config after")
  .option("--format <format>", "text, markdown or json", "text")
  .option("--fail-on-widen", "exit 1 when access was widened")
  .action(async (before: string | undefined, after: string | undefined, opts) => { const { runDiff } = await import("./diff.js"); process.exitCode = await runDiff(before, after, opts); });

export async function main(argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof RegoError || e instanceof ConfigError || e instanceof FactsError) console.error(e.message);
    else console.error(`error: ${(e as Error).message}`);
    process.exitCode = process.exitCode && process.exitCode !== 0 ? process.exitCode : 1;
  }
}

await main(process.argv);
