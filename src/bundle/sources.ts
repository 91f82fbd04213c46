// Reading policy sources from files and directories.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export interface SourceFile { path: string; source: string }

/** .rego files under the given files/directories (sorted); `includeTests` keeps *_test.rego. */
export function readRegoSources(paths: string[], includeTests = false): SourceFile[] {
  const out: SourceFile[] = [];
  const visit = (p: string): void => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        if (name.startsWith(".") || name === "node_modules") continue;
        visit(path.join(p, name));
      }
      return;
    }
    if (!p.endsWith(".rego")) return;
    if (!includeTests && p.endsWith("_test.rego")) return;
    out.push({ path: p, source: readFileSync(p, "utf8") });
  };
  for (const p of paths) {
    try { statSync(p); } catch { throw new Error(`${p}: no such file or directory`); }
    visit(p);
  }
  return out;
}
