// Decisions memoised by policy input. A decision is a function of the policy, the config (both fixed
// for an engine) and the policy input; every builtin the compiler supports is deterministic
// (src/compiler/builtins.ts), so equal inputs mean an equal decision. The key stands for the policy
// input (src/facts/cache-key.ts): facts the policy does not read are not in it, and the password
// appears only as absent/match/mismatch.

export interface DecisionCacheStats {
  hits: number;
  misses: number;
  size: number;
  capacity: number;
}

/** Inputs longer than this are decided without the cache, so memory stays bounded by
 *  capacity × (MAX_KEY_LENGTH + a decision) whatever callers send. */
export const MAX_KEY_LENGTH = 2048;

export class DecisionCache<D> {
  private readonly entries = new Map<string, D>();
  private hits = 0;
  private misses = 0;

  constructor(readonly capacity: number) {}

  /** The stored decision, counting a hit or a miss (with capacity 0 nothing is stored, and without
   *  a key nothing is looked up: every lookup is a miss, so the miss count is the number of
   *  evaluations). */
  get(key: string | undefined): D | undefined {
    const d = key === undefined ? undefined : this.entries.get(key);
    if (d === undefined) this.misses++;
    else this.hits++;
    return d;
  }

  /** Stores a decision; when full, the oldest entry makes room (first in, first out). */
  set(key: string, decision: D): void {
    if (this.capacity === 0 || key.length > MAX_KEY_LENGTH) return;
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, decision);
  }

  stats(): DecisionCacheStats {
    return { hits: this.hits, misses: this.misses, size: this.entries.size, capacity: this.capacity };
  }
}
