// Combinations of dimension values to try: every one (when few enough), or a pairwise covering
// design (every pair of values of every two dimensions in some row) with seeded random rows on top.

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same rows. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const product = (sizes: number[]): number => sizes.reduce((a, b) => a * b, 1);

/** Every combination, in order (the last dimension varies fastest). */
export function* allRows(sizes: number[]): Generator<number[]> {
  if (sizes.some((n) => n === 0)) return;
  const row = sizes.map(() => 0);
  for (;;) {
    yield [...row];
    let i = sizes.length - 1;
    while (i >= 0 && ++row[i]! === sizes[i]!) { row[i] = 0; i--; }
    if (i < 0) return;
  }
}

/**
 * A pairwise covering design, greedily (AETG-style): each row starts from an uncovered pair and
 * fills the other dimensions with the value covering most uncovered pairs (ties broken by the
 * seeded PRNG). Every pair of values of two dimensions appears in some row.
 */
export function pairwiseRows(sizes: number[], rnd: () => number): number[][] {
  const n = sizes.length;
  const key = (i: number, a: number, j: number, b: number) => `${i}.${a}.${j}.${b}`;
  const uncovered = new Set<string>();
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) for (let a = 0; a < sizes[i]!; a++) for (let b = 0; b < sizes[j]!; b++) uncovered.add(key(i, a, j, b));
  const rows: number[][] = [];
  const cover = (row: number[]) => { for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) uncovered.delete(key(i, row[i]!, j, row[j]!)); };
  while (uncovered.size) {
    const first = uncovered.values().next().value as string;
    const [i0, a0, j0, b0] = first.split(".").map(Number) as [number, number, number, number];
    const row: number[] = new Array<number>(n).fill(-1);
    row[i0] = a0; row[j0] = b0;
    const order = [...Array(n).keys()].filter((d) => d !== i0 && d !== j0).sort(() => rnd() - 0.5);
    for (const d of order) {
      let best = 0, bestGain = -1;
      for (let v = 0; v < sizes[d]!; v++) {
        let gain = 0;
        for (let e = 0; e < n; e++) {
          if (e === d || row[e]! < 0) continue;
          if (uncovered.has(e < d ? key(e, row[e]!, d, v) : key(d, v, e, row[e]!))) gain++;
        }
        if (gain > bestGain || (gain === bestGain && rnd() < 0.5)) { best = v; bestGain = gain; }
      }
      row[d] = best;
    }
    cover(row);
    rows.push(row);
  }
  if (n === 1) for (let a = 0; a < sizes[0]!; a++) rows.push([a]);
  return rows;
}

export function randomRow(sizes: number[], rnd: () => number): number[] {
  return sizes.map((s) => Math.floor(rnd() * s));
}
