// An SVG bar chart of the benchmark ratios, generated from bench/results/*.json.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

interface Bar { label: string; value: number; target: number; better: "lower" | "higher" }

export function chart(dir = "bench/results"): string | undefined {
  const read = (n: string) => (existsSync(`${dir}/${n}.json`) ? JSON.parse(readFileSync(`${dir}/${n}.json`, "utf8")) : undefined);
  const bars: Bar[] = [];
  const decide = read("decide");
  if (decide) bars.push({ label: "decide ÷ hand-written baseline", value: decide.ratio.median, target: 25, better: "lower" });
  const http = read("http");
  if (http) {
    for (const s of http.summary) {
      bars.push({ label: `HTTP req/s ÷ hello-world (pipelining ${s.pipelining})`, value: s.ratio, target: 0.8, better: "higher" });
      if (s.ratio_nocache !== undefined) bars.push({ label: `  same, decision cache off (pipelining ${s.pipelining})`, value: s.ratio_nocache, target: 0.8, better: "higher" });
    }
  }
  if (!bars.length) return undefined;
  const W = 640, rowH = 46, H = 40 + bars.length * rowH;
  const rows = bars.map((b, i) => {
    const y = 30 + i * rowH;
    const max = b.better === "lower" ? Math.max(b.value, b.target) * 1.2 : 1.2;
    const w = Math.max(2, (b.value / max) * 360), t = (b.target / max) * 360;
    const ok = b.better === "lower" ? b.value <= b.target : b.value >= b.target;
    return `<text x="10" y="${y + 14}" font-size="12">${b.label}</text>
<rect x="260" y="${y}" width="${w.toFixed(1)}" height="20" fill="${ok ? "#2e7d32" : "#c62828"}"/>
<line x1="${(260 + t).toFixed(1)}" y1="${y - 4}" x2="${(260 + t).toFixed(1)}" y2="${y + 24}" stroke="#333" stroke-dasharray="3,2"/>
<text x="${(265 + w).toFixed(1)}" y="${y + 14}" font-size="12">${b.value.toFixed(2)}× (target ${b.better === "lower" ? "≤" : "≥"} ${b.target}×)</text>`;
  }).join("\n");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">
<text x="10" y="18" font-size="14" font-weight="bold">trusted-proxy-engine benchmarks (medians; dashed line = target)</text>
${rows}
</svg>
`;
  writeFileSync(`${dir}/ratios.svg`, svg);
  return `${dir}/ratios.svg`;
}
