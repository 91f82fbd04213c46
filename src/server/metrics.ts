// Prometheus metrics (prom-client), one registry per service instance.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export class ServiceMetrics {
  readonly registry = new Registry();
  readonly decisions = new Counter({ name: "tpe_decisions_total", help: "Decisions by outcome and reason", labelNames: ["allow", "reason"], registers: [this.registry] });
  readonly latency = new Histogram({
    name: "tpe_decision_duration_seconds", help: "Time to decide (policy evaluation and facts), seconds",
    buckets: [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.005, 0.01, 0.05], registers: [this.registry],
  });
  readonly evaluationErrors = new Counter({ name: "tpe_decision_errors_total", help: "Evaluations that failed (answered as deny)", registers: [this.registry] });
  readonly reloads = new Counter({ name: "tpe_policy_reloads_total", help: "Policy/config reloads by result", labelNames: ["result"], registers: [this.registry] });
  readonly revision = new Gauge({ name: "tpe_policy_revision_info", help: "The loaded policy revision (value 1)", labelNames: ["revision"], registers: [this.registry] });

  readonly wasmMemory: Gauge;

  constructor(wasmBytes: () => number) {
    collectDefaultMetrics({ register: this.registry, prefix: "tpe_" });
    this.wasmMemory = new Gauge({ name: "tpe_wasm_memory_bytes", help: "Linear memory of the policy's wasm instance", registers: [this.registry], collect() { this.set(wasmBytes()); } });
  }

  private decisionCounters = new Map<string, { inc: () => void }>();

  /** Counts a decision; the labelled counter is looked up once per (allow, reason). */
  countDecision(allow: boolean, reason: string | null): void {
    const key = `${allow}|${reason ?? ""}`;
    let c = this.decisionCounters.get(key);
    if (!c) {
      c = this.decisions.labels({ allow: String(allow), reason: reason ?? "" });
      if (this.decisionCounters.size < 1000) this.decisionCounters.set(key, c);
    }
    c.inc();
  }

  setRevision(rev: string): void {
    this.revision.reset();
    this.revision.set({ revision: rev }, 1);
  }
}
