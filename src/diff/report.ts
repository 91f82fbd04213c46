// Diff reports: text for terminals, Markdown for pull-request comments, JSON for tools.
import type { DiffResult } from "./result.js";

const TITLES = { widened: "Widened access", narrowed: "Narrowed access", reason: "Reason changes only" } as const;

export function formatDiff(r: DiffResult, format: "text" | "markdown" | "json", title: string): string {
  if (format === "json") return JSON.stringify({ title, ...r }, null, 2);
  const head = `${r.changed} of ${r.space.tried} requests changed decision (${r.groups.length} classes); compared in ${(r.ms / 1000).toFixed(2)} s`;
  if (format === "markdown") {
    const lines = [`### Decision diff: ${title}`, "", head, ""];
    if (r.widened) lines.push("> **Access was widened.**", "");
    for (const kind of ["widened", "narrowed", "reason"] as const) {
      const gs = r.groups.filter((g) => g.kind === kind);
      if (!gs.length) continue;
      lines.push(`#### ${TITLES[kind]}`, "", "| requests | before → after | example |", "|---:|---|---|");
      for (const g of gs) lines.push(`| ${g.count} | ${g.summary.replace(/\|/g, "\\|")} | \`${JSON.stringify(g.example.facts).replace(/\|/g, "\\|")}\` |`);
      lines.push("");
    }
    if (!r.groups.length) lines.push("No decision changed.");
    return lines.join("\n");
  }
  const lines = [`decision diff: ${title}`, head];
  for (const kind of ["widened", "narrowed", "reason"] as const) {
    const gs = r.groups.filter((g) => g.kind === kind);
    if (!gs.length) continue;
    lines.push("", `${TITLES[kind].toUpperCase()}:`);
    for (const g of gs) {
      lines.push(`  ${g.count} request(s): ${g.summary}`);
      for (const [k, v] of Object.entries(g.example.labels)) lines.push(`      ${k}: ${v}`);
      lines.push(`      example: ${JSON.stringify(g.example.facts)}`);
    }
  }
  if (!r.groups.length) lines.push("no decision changed");
  return lines.join("\n");
}
