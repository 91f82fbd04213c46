// Small statistics helpers for the benchmarks: medians and percentiles of samples, machine load.
import { readFileSync } from "node:fs";
import os from "node:os";

export function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i]!;
}

export const median = (xs: number[]): number => percentile(xs, 50);

export function machine(): { cpus: number; model: string; loadavg: number[]; node: string } {
  return { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? "?", loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100), node: process.version };
}

/** Starts measuring CPU steal (time the hypervisor gave this VM's CPUs to others); the returned
 *  function gives its share of all CPU time since the start, in percent (NaN without /proc/stat). */
export function stealMeter(): () => number {
  const read = (): number[] | undefined => {
    try { return readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number); }
    catch { return undefined; }
  };
  const a = read();
  return () => {
    const b = read();
    if (!a || !b) return NaN;
    const d = b.map((x, i) => x - (a[i] ?? 0));
    const total = d.slice(0, 8).reduce((s, x) => s + x, 0); // user nice system idle iowait irq softirq steal
    return total > 0 ? Math.round((1000 * d[7]!) / total) / 10 : 0;
  };
}
