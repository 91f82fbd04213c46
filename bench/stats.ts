// Small statistics helpers for the benchmarks: medians and percentiles of samples, machine load.
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
