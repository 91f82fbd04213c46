// Path operations on values: copy-on-write upsert (for `with data.x as …` and ref-head rules),
// removal (the ABI's remove_path), and `with` override lookup for virtual documents.
import { Value, Obj, Arr, objGet, objPut, search, T_OBJ } from "./value";
import { compare } from "./compare";
import { withCount, withPathAt, withValueAt } from "./evalstate";
import { dotValue } from "./access";

function copyObj(o: Obj): Obj {
  const c = new Obj();
  c.keys = o.keys.slice(0);
  c.vals = o.vals.slice(0);
  return c;
}

/** A copy of `base` with `path` set to `v`; missing or non-object intermediates become objects. */
export function upsertPath(base: Value | null, path: Array<Value>, v: Value): Value {
  return upsertFrom(base, path, 0, v);
}

function upsertFrom(base: Value | null, path: Array<Value>, i: i32, v: Value): Value {
  if (i == path.length) return v;
  const o = base !== null && base.t == T_OBJ ? copyObj(changetype<Obj>(base)) : new Obj();
  const k = unchecked(path[i]);
  objPut(o, k, upsertFrom(objGet(o, k), path, i + 1, v));
  return o;
}

export function removePath(base: Value, path: Array<Value>): bool {
  if (path.length == 0 || base.t != T_OBJ) return false;
  let cur = changetype<Obj>(base);
  for (let i = 0; i < path.length - 1; i++) {
    const next = objGet(cur, unchecked(path[i]));
    if (next === null || next.t != T_OBJ) return false;
    cur = changetype<Obj>(next);
  }
  const at = search(cur.keys, unchecked(path[path.length - 1]));
  if (at < 0) return false;
  cur.keys.splice(at, 1);
  cur.vals.splice(at, 1);
  return true;
}

/** Is a[0..a.length) a prefix of b? */
function isPrefix(a: Array<Value>, b: Array<Value>): bool {
  if (a.length > b.length) return false;
  for (let i = 0; i < a.length; i++) if (compare(unchecked(a[i]), unchecked(b[i])) != 0) return false;
  return true;
}

const NO_OVERRIDE: usize = <usize>-1;

/**
 * The `with` override that replaces the document at `rulePath`, innermost first:
 * NO_OVERRIDE when none covers it, 0 when the override makes it undefined, else the value.
 */
export function rt_with_lookup(rulePath: usize): usize {
  const p = changetype<Arr>(rulePath).items;
  for (let i = withCount() - 1; i >= 0; i--) {
    const wp = withPathAt(i).items;
    if (!isPrefix(wp, p)) continue;
    let v: Value | null = withValueAt(i);
    for (let j = wp.length; j < p.length && v !== null; j++) v = dotValue(v!, unchecked(p[j]));
    return v === null ? 0 : changetype<usize>(v);
  }
  return NO_OVERRIDE;
}

/** Applies overrides below `rulePath` (`with data.p.q.r as …` while computing data.p.q). */
export function rt_with_patch(rulePath: usize, v: usize): usize {
  const p = changetype<Arr>(rulePath).items;
  let cur: Value | null = v == 0 ? null : changetype<Value>(v);
  for (let i = 0; i < withCount(); i++) {
    const wp = withPathAt(i).items;
    if (wp.length <= p.length || !isPrefix(p, wp)) continue;
    cur = upsertFrom(cur, wp, p.length, withValueAt(i));
  }
  return cur === null ? 0 : changetype<usize>(cur);
}

/** `with data.<path> as v` / `with input.<path> as v`: the base document with the path replaced. */
export function rt_upsert(base: usize, path: usize, v: usize): usize {
  return changetype<usize>(upsertPath(base == 0 ? null : changetype<Value>(base), changetype<Arr>(path).items, changetype<Value>(v)));
}
