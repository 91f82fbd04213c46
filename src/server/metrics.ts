// Prometheus metrics. The service counts in plain fields (the decision path does a bucket search
// and a few additions); prom-client is loaded after the service is listening (or at the first
// scrape) and reads those fields when /metrics is scraped, next to its default process metrics.
import type { Registry } from "prom-client";
import type { DecisionCacheStats } from "../engine/decision-cache.js";

const LATENCY_BUCKETS = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.005, 0.01, 0.05];

interface MetricValue { metricName?: string; labels: Record<string, string | number>; value: number }

/** A label-free histogram whose observe() is a bucket search and three additions. */
class LatencyHistogram {
  readonly type = "histogram" as const;
  readonly aggregator = "sum" as const;
  private readonly counts = new Float64Array(LATENCY_BUCKETS.length + 1);
  private sum = 0;
  private count = 0;

  constructor(readonly name: string, readonly help: string) {}

  observe(seconds: number): void {
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]!) i++;
    this.counts[i]!++;
    this.sum += seconds;
    this.count++;
  }

  /** The shape prom-client's registry formats (the same as its own Histogram#get). */
  get(): { name: string; help: string; type: "histogram"; aggregator: "sum"; values: MetricValue[] } {
    const values: MetricValue[] = [];
    let cumulative = 0;
    LATENCY_BUCKETS.forEach((le, i) => {
      cumulative += this.counts[i]!;
      values.push({ metricName: `${this.name}_bucket`, labels: { le }, value: cumulative });
    });
    values.push({ metricName: `${this.name}_bucket`, labels: { le: "+Inf" }, value: this.count });
    values.push({ metricName: `${this.name}_sum`, labels: {}, value: this.sum });
    values.push({ metricName: `${this.name}_count`, labels: {}, value: this.count });
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}

export interface MetricSources {
  /** Bytes of wasm linear memory of the current policy instance. */
  wasmBytes(): number;
  /** Decision cache totals. */
  cache(): DecisionCacheStats;
}

export class ServiceMetrics {
  /** Decisions by (allow, reason). */
  private readonly decisionCounts = new Map<string, { allow: string; reason: string; n: number }>();
  private readonly latency = new LatencyHistogram("tpe_decision_duration_seconds", "Time to decide (policy evaluation and facts), seconds");
  private evaluationErrors = 0;
  private readonly reloads = { ok: 0, failed: 0 };
  private droppedConnections = 0;
  private revision = "";
  private registry: Promise<Registry> | undefined;

  constructor(private readonly sources: MetricSources) {}

  /** Counts a decision and its latency. Reasons are policy-defined codes; at most 1,000 distinct
   *  (allow, reason) pairs are kept, later ones are counted under reason "other". */
  recordDecision(allow: boolean, reason: string | null, seconds: number): void {
    this.latency.observe(seconds);
    const key = allow ? (reason ?? "") : `!${reason ?? ""}`;
    let c = this.decisionCounts.get(key);
    if (!c) {
      const overflow = this.decisionCounts.size >= 1000;
      const k = overflow ? (allow ? "\0other" : "!\0other") : key;
      c = this.decisionCounts.get(k);
      if (!c) {
        c = { allow: String(allow), reason: overflow ? "other" : (reason ?? ""), n: 0 };
        this.decisionCounts.set(k, c);
      }
    }
    c.n++;
  }

  recordEvaluationError(): void { this.evaluationErrors++; }

  recordReload(ok: boolean): void { this.reloads[ok ? "ok" : "failed"]++; }

  /** A connection closed on arrival: the service had --max-connections open. */
  recordDroppedConnection(): void { this.droppedConnections++; }

  setRevision(rev: string): void { this.revision = rev; }

  /** Loads prom-client and registers every metric; default process metrics count from here on. */
  start(): Promise<Registry> {
    this.registry ??= this.load().catch((e: unknown) => { this.registry = undefined; throw e; });
    return this.registry;
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    const registry = await this.start();
    return { contentType: registry.contentType, text: await registry.metrics() };
  }

  private async load(): Promise<Registry> {
    const { Counter, Gauge, Registry, collectDefaultMetrics } = await import("prom-client");
    const registry = new Registry();
    const registers = [registry];
    collectDefaultMetrics({ register: registry, prefix: "tpe_" });
    const self = this;
    new Counter({
      name: "tpe_decisions_total", help: "Decisions by outcome and reason", labelNames: ["allow", "reason"], registers,
      collect() {
        this.reset();
        for (const c of self.decisionCounts.values()) this.inc({ allow: c.allow, reason: c.reason }, c.n);
      },
    });
    registry.registerMetric(this.latency as never);
    new Counter({ name: "tpe_connections_dropped_total", help: "Connections closed on arrival at the connection limit (tpe serve --max-connections)", registers, collect() { this.reset(); this.inc(self.droppedConnections); } });
    new Counter({ name: "tpe_decision_errors_total", help: "Evaluations that failed (answered as deny)", registers, collect() { this.reset(); this.inc(self.evaluationErrors); } });
    new Counter({
      name: "tpe_policy_reloads_total", help: "Policy/config reloads by result", labelNames: ["result"], registers,
      collect() { this.reset(); this.inc({ result: "ok" }, self.reloads.ok); this.inc({ result: "failed" }, self.reloads.failed); },
    });
    new Gauge({
      name: "tpe_policy_revision_info", help: "The loaded policy revision (value 1)", labelNames: ["revision"], registers,
      collect() { this.reset(); this.set({ revision: self.revision }, 1); },
    });
    new Counter({ name: "tpe_decision_cache_hits_total", help: "Decisions answered from the decision cache", registers, collect() { this.reset(); this.inc(self.sources.cache().hits); } });
    new Counter({ name: "tpe_decision_cache_misses_total", help: "Decisions the policy evaluated (not in the decision cache)", registers, collect() { this.reset(); this.inc(self.sources.cache().misses); } });
    new Gauge({ name: "tpe_decision_cache_entries", help: "Policy inputs in the decision cache", registers, collect() { this.set(self.sources.cache().size); } });
    new Gauge({ name: "tpe_wasm_memory_bytes", help: "Linear memory of the policy's wasm instance", registers, collect() { this.set(self.sources.wasmBytes()); } });
    return registry;
  }
}
