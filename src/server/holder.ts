// The engine the service answers with, swapped atomically on reload: a request reads one engine
// reference at its start and finishes with it, whatever a reload does meanwhile.
import { ConfigError } from "../config/errors.js";
import { readConfigFile } from "../config/load.js";
import { createEngineSync, type Engine } from "../engine/engine.js";
import type { DecisionCacheStats } from "../engine/decision-cache.js";
import { loadPolicySource } from "../engine/policy-source.js";
import { RegoError } from "../rego/errors.js";

export interface ServeSources {
  /** Gateway config file (JSON5). */
  configFile: string;
  /** Policy directory or OPA bundle (.tar.gz: its policy.wasm, else its Rego compiled here). */
  policy: string;
  env?: Record<string, string | undefined>;
  /** Decision cache entries per engine (default: the engine's default; 0 turns it off). */
  decisionCache?: number;
}

export interface ReloadStatus { ok: boolean; at: string; error?: string; revision?: string; ms: number; warnings?: string[] }

/** A readable, single-paragraph description of a load failure (file:line or config path). */
export function describeLoadError(e: unknown): string {
  if (e instanceof RegoError || e instanceof ConfigError) return e.message;
  return (e as Error).message ?? String(e);
}

export class EngineHolder {
  private current: Engine;
  lastReload: ReloadStatus | undefined;
  reloads = 0;
  reloadFailures = 0;
  private reloading: Promise<ReloadStatus> | undefined;
  /** Cache hits and misses of the engines reloads replaced, so the totals only grow. */
  private retired = { hits: 0, misses: 0 };

  /** What loading the current policy had to say (e.g. a bundle whose Rego differs from its wasm). */
  policyWarnings: string[];

  private constructor(built: { engine: Engine; warnings: string[] }, readonly sources: ServeSources) {
    this.current = built.engine;
    this.policyWarnings = built.warnings;
  }

  static async create(sources: ServeSources): Promise<EngineHolder> {
    return new EngineHolder(await EngineHolder.build(sources), sources);
  }

  private static async build(s: ServeSources): Promise<{ engine: Engine; warnings: string[] }> {
    const { policy, warnings } = await loadPolicySource(s.policy);
    const config = readConfigFile(s.configFile);
    return { engine: createEngineSync({ config, env: s.env ?? process.env, policy, decisionCache: s.decisionCache }), warnings };
  }

  get engine(): Engine { return this.current; }

  /** Decision cache totals since start (the current engine's size and capacity). */
  cacheStats(): DecisionCacheStats {
    const s = this.current.cacheStats();
    return { ...s, hits: s.hits + this.retired.hits, misses: s.misses + this.retired.misses };
  }

  /** Recompiles and revalidates; swaps only when everything loads. Concurrent calls share one reload. */
  reload(): Promise<ReloadStatus> {
    this.reloading ??= (async () => {
      const t0 = performance.now();
      try {
        const { engine: next, warnings } = await EngineHolder.build(this.sources);
        this.policyWarnings = warnings;
        const old = this.current.cacheStats();
        this.retired = { hits: this.retired.hits + old.hits, misses: this.retired.misses + old.misses };
        this.current = next;
        this.reloads++;
        this.lastReload = { ok: true, at: new Date().toISOString(), revision: next.policy.revision, ms: performance.now() - t0, ...(warnings.length ? { warnings } : {}) };
      } catch (e) {
        this.reloadFailures++;
        this.lastReload = { ok: false, at: new Date().toISOString(), error: describeLoadError(e), ms: performance.now() - t0 };
      } finally {
        this.reloading = undefined;
      }
      return this.lastReload;
    })();
    return this.reloading;
  }
}
