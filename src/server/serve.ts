// tpe serve: the decision service with hot reload and graceful shutdown.
import pino from "pino";
import { buildApp } from "./app.js";
import { describeLoadError, EngineHolder } from "./holder.js";
import { checkLimits, DEFAULT_LIMITS, type ServiceLimits } from "./limits.js";
import { shutdown, type ShutdownResult } from "./shutdown.js";
import { watchSources } from "./watch.js";

export interface ServeOptions {
  config: string;
  policy: string;
  host: string;
  port: number;
  watch: boolean;
  logLevel?: string;
  /** Decision cache entries (0 turns it off). */
  decisionCache?: number;
  /** Timeouts, connection and body limits, shutdown deadline (default: DEFAULT_LIMITS). */
  limits?: Partial<ServiceLimits>;
}

/** Secrets never reach the logs (the presented password, tokens, authorization headers). */
export const REDACT = [
  "password", "*.password", "*.*.password", "facts.password", "input.password", "body.password",
  "req.headers.authorization", "req.headers.cookie", "headers.authorization", "headers.cookie",
  "*.headers.authorization", "*.headers.cookie", "token", "*.token",
];

export async function serve(opts: ServeOptions): Promise<{ close: () => Promise<ShutdownResult>; url: string }> {
  const limits = checkLimits({ ...DEFAULT_LIMITS, ...opts.limits });
  const logger = pino({ level: opts.logLevel ?? "info", redact: { paths: REDACT, censor: "[redacted]" } });
  let holder: EngineHolder;
  try {
    holder = await EngineHolder.create({ configFile: opts.config, policy: opts.policy, decisionCache: opts.decisionCache });
  } catch (e) {
    throw new Error(`refusing to start:\n${describeLoadError(e)}`);
  }
  for (const w of holder.engine.warnings) logger.warn({ code: w.code, path: w.path }, w.message);
  for (const w of holder.policyWarnings) logger.warn({ code: "policy_warning" }, w);
  const app = await buildApp({ holder, logger, limits });
  const reload = async (why: string) => {
    const s = await app.reloadPolicy();
    if (s.ok) { logger.info({ revision: s.revision, ms: s.ms, trigger: why }, "policy and config reloaded"); }
    else logger.error({ error: s.error, trigger: why }, "reload failed; the previous policy and config keep serving");
  };
  const stopWatching = opts.watch ? watchSources([opts.policy, opts.config], (file) => void reload(file)) : () => {};
  const url = await app.listen({ host: opts.host, port: opts.port });
  // prom-client loads a moment after start-up (or at the first scrape), off the path to the first
  // decisions: loading it blocks the event loop for ~30 ms.
  setTimeout(() => { app.metrics.start().catch((e: unknown) => logger.error({ err: e }, "metrics are unavailable")); }, 2000).unref();
  logger.info({ url, revision: holder.engine.policy.revision, policy: opts.policy, config: opts.config }, "decision service listening");
  let closing: Promise<ShutdownResult> | undefined;
  const close = () => {
    closing ??= (async () => { stopWatching(); return shutdown(app, app.connections, limits.shutdownTimeoutMs); })();
    return closing;
  };
  return { close, url };
}

/** `tpe serve`: on SIGTERM/SIGINT, shuts down within the deadline; exit 0 when every request
 *  received was answered, 1 when the deadline cut one off (or closing failed). A second signal
 *  exits at once. */
export async function runServe(opts: ServeOptions): Promise<void> {
  const { close, url } = await serve(opts);
  const deadline = opts.limits?.shutdownTimeoutMs ?? DEFAULT_LIMITS.shutdownTimeoutMs;
  console.log(`trusted-proxy-engine decision service listening on ${url} (POST ${url}/v1/decision)`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) { console.error(`${signal} again: exiting without waiting`); process.exit(1); }
    stopping = true;
    console.log(`${signal}: finishing in-flight requests, then exiting (at most ${deadline} ms)`);
    close().then((r) => {
      if (r.forcedConnections) console.log(`shutdown deadline: closed ${r.forcedConnections} connection(s) still open (slow or idle clients)`);
      if (r.cutOffRequests) console.error(`shutdown deadline: ${r.cutOffRequests} request(s) received were cut off unanswered; raise --shutdown-timeout`);
      console.log(`shut down in ${Math.round(r.ms)} ms`);
      process.exit(r.cutOffRequests ? 1 : 0);
    }, (e) => { console.error(e); process.exit(1); });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
