// The decision service: Fastify with a decisions plugin, an ops plugin, and OpenAPI at /docs/json.
import { randomUUID } from "node:crypto";
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { FactsError } from "../facts/facts.js";
import { audit } from "../engine/validate.js";
import type { EngineHolder, ReloadStatus } from "./holder.js";
import type { Decision, Explanation } from "../engine/engine.js";
import { ServiceMetrics } from "./metrics.js";
import { openApiDocument } from "./openapi.js";
import { clientErrorHandler } from "./client-errors.js";
import { parseJsonBody } from "./json-body.js";
import { checkLimits, DEFAULT_LIMITS, LIMIT_FLAGS, type ServiceLimits } from "./limits.js";
import { ConnectionTracker } from "./shutdown.js";
import { AuditBody, DataApiBody, DataApiResponse, DecisionResponse, ExplainResponse, FactsBody, MAX_HEADERS } from "./schemas.js";

export interface AppOptions {
  holder: EngineHolder;
  /** A pino logger (default: none). */
  logger?: FastifyBaseLogger;
  /** Timeouts and limits against slow and hostile clients (default: DEFAULT_LIMITS). */
  limits?: Partial<ServiceLimits>;
}

const DENY = { allow: false, reason: null, user: null, method: null, scopes: [] as string[] };

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const limits = checkLimits({ ...DEFAULT_LIMITS, ...opts.limits });
  const app = Fastify({
    // Fastify gets no logger of its own (with one it sets up response listeners and timers on every
    // request, ~5 µs); every request's log — ours and Fastify's warnings about a request — is the
    // service logger, handed out by the child logger factory. Request logs carry the decision id
    // themselves, so no per-request child logger is made.
    logger: false,
    bodyLimit: limits.bodyLimitBytes,
    // Slow clients: Node answers 408 to a request whose headers (or whole message) are late, checked
    // every second at most; a connection silent for the headers timeout is closed (before its first
    // request: Node's keep-alive timeout takes over between requests).
    http: { headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: Math.min(1000, Math.max(50, limits.headersTimeoutMs / 4)) },
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.headersTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    clientErrorHandler: clientErrorHandler(limits),
    // Request ids are always ours (never a client's header): hex digits and dashes, so they go
    // into JSON text as they are.
    genReqId: decisionIds(),
    requestIdHeader: false,
    disableRequestLogging: true,
    return503OnClosing: false,
    forceCloseConnections: "idle",
  }).withTypeProvider<ZodTypeProvider>();
  // More connections than the limit are closed as soon as they are accepted (counted in /metrics).
  app.server.maxConnections = limits.maxConnections;
  app.decorate("connections", new ConnectionTracker(app.server));
  // Requests and replies in log records are summarised (Fastify's own serialisers are not in play).
  const logger = opts.logger?.child({}, { serializers: { req: requestSummary, res: (r: { statusCode?: number }) => ({ statusCode: r.statusCode }) } });
  if (logger) app.setChildLoggerFactory(() => logger);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const metrics = new ServiceMetrics({ wasmBytes: () => opts.holder.engine.memoryBytes(), cache: () => opts.holder.cacheStats() });
  metrics.setRevision(opts.holder.engine.policy.revision);
  app.decorate("metrics", metrics);
  app.server.on("drop", () => metrics.recordDroppedConnection());

  // JSON bodies: depth-checked before parsing, `__proto__`/`constructor` keys kept as data (Fastify's
  // own parser refuses them, which turned a header named `__proto__` into a 400).
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    try { done(null, parseJsonBody(body as string)); } catch (e) { done(e as Error, undefined); }
  });

  // Every error is JSON; client errors name the field; server errors never allow.
  app.setErrorHandler((err: FastifyError & { validation?: { instancePath?: string; message?: string }[] }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) {
      req.log.error({ err, decision_id: req.id }, "request failed");
      return reply.code(500).send({ ...DENY, error: "internal_error", message: "the request failed; see the service log", decision_id: req.id });
    }
    return reply.code(status).send({ error: errorCode(status), message: clientMessage(err, limits, req.headers["content-type"]), decision_id: req.id });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: "not_found", message: `no route ${req.method} ${req.url}` }));

  const openApi = openApiDocument(app);

  // The decision routes' hot path: facts are checked by the engine's straight-line validator
  // (zod explains failures), and responses are plain JSON.
  const fastBody = { validatorCompiler: () => (data: unknown) => ({ value: data }), serializerCompiler: () => (data: unknown) => JSON.stringify(data) };

  const decide = (facts: unknown, explain: boolean, reqLog: FastifyBaseLogger & { isLevelEnabled?: (level: string) => boolean }, id: string, peer: string | undefined) => {
    const engine = opts.holder.engine;
    const t0 = performance.now();
    try {
      const out = explain ? engine.explain(facts) : { decision: engine.decide(facts) };
      const decision = out.decision;
      const seconds = (performance.now() - t0) / 1e3;
      metrics.recordDecision(decision.allow, decision.reason, seconds);
      if (reqLog.isLevelEnabled?.("info") ?? true) reqLog.info({ decision_id: id, peer, user: decision.user, allow: decision.allow, reason: decision.reason, latency_ms: seconds * 1000 }, "decision");
      return { out, revision: engine.policy.revision };
    } catch (e) {
      if (e instanceof FactsError) {
        throw Object.assign(new Error(e.issues.map((i) => `${i.path || "body"}: ${i.message}`).join("; ")), { statusCode: 400 });
      }
      metrics.recordEvaluationError();
      throw e;
    }
  };

  const peerOf = (facts: unknown) => {
    const p = ownField(facts, "remoteAddress");
    return typeof p === "string" ? p : undefined;
  };

  // The decision fields of a response as JSON, once per decision object: the engine hands out the
  // same frozen object for every request its decision cache answers. (A Map cleared when full
  // rather than a WeakMap, whose entries cost the garbage collector more; with the decision cache
  // off no decision object comes back, so none is remembered.)
  const decisionJson = new Map<Decision, string>();
  const remember = opts.holder.cacheStats().capacity > 0;
  const jsonOf = (d: Decision) => {
    let j = decisionJson.get(d);
    if (j === undefined) {
      j = JSON.stringify({ allow: d.allow, reason: d.reason, user: d.user, method: d.method, scopes: d.scopes }).slice(0, -1);
      if (remember) {
        if (decisionJson.size >= 4096) decisionJson.clear();
        decisionJson.set(d, j);
      }
    }
    return j;
  };

  // The response's closing field, `,"revision":"…"}`, written once per policy revision.
  let revisionTail = { revision: "", json: "" };
  const tailOf = (revision: string) => {
    if (revisionTail.revision !== revision) revisionTail = { revision, json: `,"revision":${JSON.stringify(revision)}}` };
    return revisionTail.json;
  };

  app.post("/v1/decision", { schema: { body: FactsBody, response: { 200: DecisionResponse } }, ...fastBody }, async (req, reply) => {
    const { out, revision } = decide(checkedFacts(req.body, "body"), false, req.log, req.id, peerOf(req.body));
    // The response as JSON text: Fastify sends a string with a JSON content type as it is.
    reply.type("application/json; charset=utf-8");
    return `${jsonOf(out.decision)},"decision_id":"${req.id}"${tailOf(revision)}` as never;
  });

  app.post("/v1/data/trusted_proxy/decision", { schema: { body: DataApiBody, response: { 200: DataApiResponse } }, ...fastBody }, async (req) => {
    const body = req.body as unknown;
    if (typeof body !== "object" || body === null || Array.isArray(body) || !Object.hasOwn(body, "input")) {
      throw Object.assign(new Error("body: expected {\"input\": <request facts>}"), { statusCode: 400 });
    }
    const extra = Object.keys(body).filter((k) => k !== "input");
    if (extra.length) throw Object.assign(new Error(`body: unknown field ${extra.join(", ")}`), { statusCode: 400 });
    const input = checkedFacts((body as { input: unknown }).input, "input");
    const { out } = decide(input, false, req.log, req.id, peerOf(input));
    return { result: out.decision, decision_id: req.id };
  });

  app.post("/v1/explain", { schema: { body: FactsBody, response: { 200: ExplainResponse } }, ...fastBody }, async (req) => {
    const { out, revision } = decide(checkedFacts(req.body, "body"), true, req.log, req.id, peerOf(req.body));
    return { ...(out as Explanation), decision_id: req.id, revision };
  });

  app.post("/v1/audit", { schema: { body: AuditBody } }, async (req) => {
    return { findings: audit(req.body.config, req.body.env ?? {}) };
  });

  app.get("/health", async (_req, reply) => {
    const last = opts.holder.lastReload;
    const degraded = last !== undefined && !last.ok;
    return reply.code(200).send({
      status: degraded ? "degraded" : "ok",
      revision: opts.holder.engine.policy.revision,
      ...(degraded ? { last_reload_error: last.error, last_reload_at: last.at } : {}),
    });
  });

  app.get("/v1/policy", async () => {
    const p = opts.holder.engine.policy;
    return { revision: p.revision, entrypoints: p.entrypoints, compiled_at: p.compiledAt, compile_ms: p.compileMs, sources: p.sources, warnings: opts.holder.engine.warnings };
  });

  app.get("/metrics", async (_req, reply) => {
    const { contentType, text } = await metrics.scrape();
    return reply.type(contentType).send(text);
  });

  // Every reload (this route, or the file watcher of `tpe serve`) goes through here.
  app.decorate("reloadPolicy", async (): Promise<ReloadStatus> => {
    const status = await opts.holder.reload();
    metrics.recordReload(status.ok);
    if (status.ok) metrics.setRevision(status.revision!);
    return status;
  });

  app.post("/v1/reload", { schema: { body: z.unknown().optional() } }, async (_req, reply) => {
    const status = await app.reloadPolicy();
    return reply.code(status.ok ? 200 : 422).send(status);
  });

  app.get("/docs/json", { schema: { hide: true } }, async () => openApi());

  return app;
}

/** A request in a log record: method, URL and peer, never headers or body. */
function requestSummary(r: { method?: string; url?: string; ip?: string; socket?: { remoteAddress?: string } }): object {
  return { method: r.method, url: r.url, remoteAddress: r.ip ?? r.socket?.remoteAddress };
}

/** Decision ids: UUID-shaped, a random per-process prefix and a counter (unique without drawing
 *  random bytes per request). */
function decisionIds(): () => string {
  const prefix = randomUUID().slice(0, 24);
  let n = 0;
  return () => prefix + (++n).toString(16).padStart(12, "0");
}

/** A field of request data, read as data: own properties only (never one from a prototype). */
function ownField(o: unknown, key: string): unknown {
  return typeof o === "object" && o !== null && Object.hasOwn(o, key) ? (o as Record<string, unknown>)[key] : undefined;
}

/** Facts checks the engine does not make: the service's header-count limit. */
function checkedFacts(facts: unknown, where: string): unknown {
  const h = ownField(facts, "headers");
  if (h && typeof h === "object" && !Array.isArray(h) && countOver(h, MAX_HEADERS)) {
    throw Object.assign(new Error(`${where}.headers: at most ${MAX_HEADERS} headers`), { statusCode: 400 });
  }
  return facts;
}

/** Whether an object has more than `max` own keys (without listing them all). */
function countOver(o: object, max: number): boolean {
  let n = 0;
  for (const k in o) if (Object.hasOwn(o, k) && ++n > max) return true;
  return false;
}

function errorCode(status: number): string {
  return status === 413 ? "payload_too_large" : status === 415 ? "unsupported_media_type" : status === 404 ? "not_found" : status === 408 ? "request_timeout" : "bad_request";
}

function clientMessage(err: FastifyError & { validation?: { instancePath?: string; message?: string; params?: { issue?: { path?: unknown[] } } }[] }, limits: ServiceLimits, contentType: string | undefined): string {
  if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") return `body: too large: over the service's limit of ${limits.bodyLimitBytes} bytes (tpe serve ${LIMIT_FLAGS.bodyLimitBytes})`;
  if (err.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return `content-type ${JSON.stringify((contentType ?? "").slice(0, 100))} is not supported: send the body as application/json`;
  if (err.validation?.length) {
    return err.validation.map((v) => {
      const p = (v.instancePath ?? "").replace(/^\//, "").replace(/\//g, ".");
      return `${p || "body"}: ${v.message ?? "invalid"}`;
    }).join("; ");
  }
  return err.message;
}

declare module "fastify" {
  interface FastifyInstance { metrics: ServiceMetrics; reloadPolicy: () => Promise<ReloadStatus>; connections: ConnectionTracker }
}
