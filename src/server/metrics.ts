// Prometheus metrics (prom-client), one registry per service instance. The per-decision metrics are
// plain counters on the hot path; prom-client reads them when /metrics is scraped.
import { Counter, Gauge, Registry, collectDefaultMetrics, type MetricValueWithName } from "prom-client";
import type { DecisionCacheStats } from "../engine/decision-cache.js";

const LATENCY_BUCKETS = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.005, 0.01, 0.05];

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
  get(): { name: string; help: string; type: "histogram"; aggregator: "sum"; values: MetricValueWithName<string>[] } {
    const values: MetricValueWithName<string>[] = [];
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

export class ServiceMetrics {
  readonly registry = new Registry();
  /** Decisions by (allow, reason); published to `tpe_decisions_total` at scrape time. */
  private readonly decisionCounts = new Map<string, { allow: string; reason: string; n: number }>();
  readonly latency = new LatencyHistogram("tpe_decision_duration_seconds", "Time to decide (policy evaluation and facts), seconds");
  readonly evaluationErrors = new Counter({ name: "tpe_decision_errors_total", help: "Evaluations that failed (answered as deny)", registers: [this.registry] });
  readonly reloads = new Counter({ name: "tpe_policy_reloads_total", help: "Policy/config reloads by result", labelNames: ["result"], registers: [this.registry] });
  readonly revision = new Gauge({ name: "tpe_policy_revision_info", help: "The loaded policy revision (value 1)", labelNames: ["revision"], registers: [this.registry] });

  constructor(wasmBytes: () => number, cache: () => DecisionCacheStats) {
    collectDefaultMetrics({ register: this.registry, prefix: "tpe_" });
    const counts = this.decisionCounts;
    new Counter({
      name: "tpe_decisions_total", help: "Decisions by outcome and reason", labelNames: ["allow", "reason"], registers: [this.registry],
      collect() {
        this.reset();
        for (const c of counts.values()) this.inc({ allow: c.allow, reason: c.reason }, c.n);
      },
    });
    this.registry.registerMetric(this.latency as never);
    new Counter({ name: "tpe_decision_cache_hits_total", help: "Decisions answered from the decision cache", registers: [this.registry], collect() { this.reset(); this.inc(cache().hits); } });
    new Counter({ name: "tpe_decision_cache_misses_total", help: "Decisions the policy evaluated (not in the decision cache)", registers: [this.registry], collect() { this.reset(); this.inc(cache().misses); } });
    new Gauge({ name: "tpe_decision_cache_entries", help: "Policy inputs in the decision cache", registers: [this.registry], collect() { this.set(cache().size); } });
    new Gauge({ name: "tpe_wasm_memory_bytes", help: "Linear memory of the policy's wasm instance", registers: [this.registry], collect() { this.set(wasmBytes()); } });
  }

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

  setRevision(rev: string): void {
    this.revision.reset();
    this.revision.set({ revision: rev }, 1);
  }
}
