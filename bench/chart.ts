// An SVG bar chart of the benchmark ratios, generated from bench/results/*.json.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** `target` undefined: shown for context, measured against no bar (grey, no target line). */
interface Bar { label: string; value: number; target?: number; better: "lower" | "higher" }

export function chart(dir = "bench/results"): string | undefined {
  const read = (n: string) => (existsSync(`${dir}/${n}.json`) ? JSON.parse(readFileSync(`${dir}/${n}.json`, "utf8")) : undefined);
  const bars: Bar[] = [];
  const decide = read("decide");
  if (decide) bars.push({ label: "decide ÷ hand-written baseline", value: decide.ratio.median, target: 25, better: "lower" });
  // HTTP: the median over the last three full runs (bench/results/http.history.json), else the last run.
  type Summary = { pipelining: number; ratio: number; ratio_nocache?: number };
  const history = (read("http.history") as { quick: boolean; summary: Summary[] }[] | undefined)?.filter((h) => !h.quick).slice(-3);
  const last = read("http") as { summary: Summary[] } | undefined;
  const runs: Summary[][] = history?.length ? history.map((h) => h.summary) : last ? [last.summary] : [];
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const over = runs.length > 1 ? ` (HTTP: last ${runs.length} runs)` : "";
  for (const s of runs[0] ?? []) {
    const same = runs.map((r) => r.find((x) => x.pipelining === s.pipelining)!).filter(Boolean);
    bars.push({ label: `HTTP req/s ÷ hello-world (pipelining ${s.pipelining})`, value: median(same.map((x) => x.ratio)), target: 0.8, better: "higher" });
    if (s.ratio_nocache !== undefined) bars.push({ label: `  same, decision cache off`, value: median(same.map((x) => x.ratio_nocache!)), better: "higher" });
  }
  if (!bars.length) return undefined;
  const W = 700, rowH = 46, H = 40 + bars.length * rowH;
  const rows = bars.map((b, i) => {
    const y = 30 + i * rowH;
    const max = b.better === "lower" ? Math.max(b.value, b.target ?? 0) * 1.2 : 1.2;
    const w = Math.max(2, (b.value / max) * 360);
    const fill = b.target === undefined ? "#9e9e9e" : (b.better === "lower" ? b.value <= b.target : b.value >= b.target) ? "#2e7d32" : "#c62828";
    const t = b.target === undefined ? undefined : (280 + (b.target / max) * 360).toFixed(1);
    return `<text x="10" y="${y + 14}" font-size="12">${b.label}</text>
<rect x="280" y="${y}" width="${w.toFixed(1)}" height="20" fill="${fill}"/>
${t === undefined ? "" : `<line x1="${t}" y1="${y - 4}" x2="${t}" y2="${y + 24}" stroke="#333" stroke-dasharray="3,2"/>`}
<text x="${(285 + w).toFixed(1)}" y="${y + 14}" font-size="12">${b.value.toFixed(2)}×${b.target === undefined ? "" : ` (target ${b.better === "lower" ? "≤" : "≥"} ${b.target}×)`}</text>`;
  }).join("\n");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">
<text x="10" y="18" font-size="14" font-weight="bold">trusted-proxy-engine benchmarks: medians${over}, dashed line = target</text>
${rows}
</svg>
`;
  writeFileSync(`${dir}/ratios.svg`, svg);
  return `${dir}/ratios.svg`;
}
