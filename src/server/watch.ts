// Reloads when the policy directory or the config file changes (debounced).
import { watch, type FSWatcher, statSync } from "node:fs";
import path from "node:path";

export function watchSources(paths: string[], onChange: (file: string) => void, debounceMs = 150): () => void {
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let changed = "";
  const fire = (file: string) => {
    changed = file;
    clearTimeout(timer);
    timer = setTimeout(() => onChange(changed), debounceMs);
  };
  for (const p of paths) {
    let isDir = false;
    try { isDir = statSync(p).isDirectory(); } catch { continue; }
    // Watching the containing directory survives editors that replace files on save.
    const dir = isDir ? p : path.dirname(p);
    const base = isDir ? undefined : path.basename(p);
    const w = watch(dir, { persistent: false }, (_event, name) => {
      if (!name) return;
      if (base !== undefined && name.toString() !== base) return;
      if (isDir && !name.toString().endsWith(".rego")) return;
      fire(path.join(dir, name.toString()));
    });
    watchers.push(w);
  }
  return () => { clearTimeout(timer); for (const w of watchers) w.close(); };
}
