// object.get/keys/remove/filter/union/union_n/subset, json.filter, json.remove.
import { Value, Num, Obj, Arr, SetV, Str, objGet, objPut, setAdd, setHas, boolValue, search,
  T_OBJ, T_ARR, T_SET, T_STR } from "../value";
import { compare } from "../compare";
import { mergeValues } from "../construct";
import { dotValue } from "../access";
import { val, ptr, isObj, isArr, isSet, obj, arr, set, elements, isStr, str } from "./args";
import { splitPath } from "./paths";

export function rt_b_object_get(o: usize, k: usize, d: usize): usize {
  if (!isObj(o) || k == 0 || d == 0) return 0;
  if (isArr(k)) {
    let cur: Value | null = val(o);
    const path = arr(k).items;
    for (let i = 0; i < path.length && cur !== null; i++) cur = dotValue(cur!, unchecked(path[i]));
    return cur === null ? d : ptr(cur!);
  }
  const r = objGet(obj(o), val(k));
  return r === null ? d : ptr(r!);
}

export function rt_b_object_keys(o: usize): usize {
  if (!isObj(o)) return 0;
  const s = new SetV();
  s.items = obj(o).keys.slice(0);
  return ptr(s);
}

/** Keys named by an array, a set, or an object's keys. */
function keyList(k: usize): Array<Value> | null {
  if (isObj(k)) return obj(k).keys;
  return elements(k);
}

function keep(o: usize, k: usize, wanted: bool): usize {
  if (!isObj(o)) return 0;
  const keys = keyList(k);
  if (keys === null) return 0;
  const ks = new SetV();
  for (let i = 0; i < keys!.length; i++) setAdd(ks, unchecked(keys![i]));
  const src = obj(o);
  const out = new Obj();
  for (let i = 0; i < src.keys.length; i++) {
    if (setHas(ks, unchecked(src.keys[i])) == wanted) {
      out.keys.push(unchecked(src.keys[i]));
      out.vals.push(unchecked(src.vals[i]));
    }
  }
  return ptr(out);
}
export function rt_b_object_remove(o: usize, k: usize): usize { return keep(o, k, false); }
export function rt_b_object_filter(o: usize, k: usize): usize { return keep(o, k, true); }

export function rt_b_object_union(a: usize, b: usize): usize {
  if (!isObj(a) || !isObj(b)) return 0;
  return ptr(mergeValues(val(a), val(b)));
}

export function rt_b_object_union_n(xs: usize): usize {
  if (!isArr(xs)) return 0;
  let acc: Value = new Obj();
  const items = arr(xs).items;
  for (let i = 0; i < items.length; i++) {
    if (unchecked(items[i]).t != T_OBJ) return 0;
    acc = mergeValues(acc, unchecked(items[i]));
  }
  return ptr(acc);
}

function isSubset(sup: Value, sub: Value): bool {
  if (sup.t == T_OBJ && sub.t == T_OBJ) {
    const b = changetype<Obj>(sub);
    for (let i = 0; i < b.keys.length; i++) {
      const have = objGet(changetype<Obj>(sup), unchecked(b.keys[i]));
      if (have === null || !isSubset(have!, unchecked(b.vals[i]))) return false;
    }
    return true;
  }
  if (sup.t == T_SET && sub.t == T_SET) {
    const b = changetype<SetV>(sub).items;
    for (let i = 0; i < b.length; i++) if (!setHas(changetype<SetV>(sup), unchecked(b[i]))) return false;
    return true;
  }
  if (sup.t == T_ARR && sub.t == T_ARR) { // a contiguous run of sup equals sub
    const a = changetype<Arr>(sup).items, b = changetype<Arr>(sub).items;
    if (b.length == 0) return true;
    for (let s = 0; s + b.length <= a.length; s++) {
      let ok = true;
      for (let j = 0; j < b.length && ok; j++) ok = compare(unchecked(a[s + j]), unchecked(b[j])) == 0;
      if (ok) return true;
    }
    return false;
  }
  if (sup.t == T_ARR && sub.t == T_SET) {
    const b = changetype<SetV>(sub).items;
    const a = changetype<Arr>(sup).items;
    for (let i = 0; i < b.length; i++) {
      let found = false;
      for (let j = 0; j < a.length && !found; j++) found = compare(unchecked(a[j]), unchecked(b[i])) == 0;
      if (!found) return false;
    }
    return true;
  }
  return compare(sup, sub) == 0;
}
export function rt_b_object_subset(a: usize, b: usize): usize {
  if (a == 0 || b == 0) return 0;
  const ta = val(a).t, tb = val(b).t;
  const ok = (ta == T_OBJ && tb == T_OBJ) || (ta == T_SET && tb == T_SET) || (ta == T_ARR && (tb == T_ARR || tb == T_SET));
  if (!ok) return 0;
  return ptr(boolValue(isSubset(val(a), val(b))));
}

// ---- json.filter / json.remove: paths as "a/b/c" strings or arrays of keys ----------------------

class PathNode {
  keys: Array<Value> = new Array<Value>(0);
  kids: Array<PathNode> = new Array<PathNode>(0);
  leaf: bool = false;
  child(k: Value): PathNode {
    for (let i = 0; i < this.keys.length; i++) if (compare(unchecked(this.keys[i]), k) == 0) return unchecked(this.kids[i]);
    const n = new PathNode();
    this.keys.push(k);
    this.kids.push(n);
    return n;
  }
  find(k: Value): PathNode | null {
    for (let i = 0; i < this.keys.length; i++) if (keyMatches(unchecked(this.keys[i]), k)) return unchecked(this.kids[i]);
    return null;
  }
}

/** A path segment matches an object key or an array index (string segments name indices too). */
function keyMatches(seg: Value, k: Value): bool {
  if (compare(seg, k) == 0) return true;
  if (seg.t == T_STR && k.t == 3) {
    const s = changetype<Str>(seg);
    const t = changetype<Num>(k);
    if (!t.isInt) return false;
    const txt = t.i.toString();
    if (txt.length != s.len) return false;
    for (let i = 0; i < s.len; i++) if (<i32>load<u8>(s.ptr + <usize>i) != txt.charCodeAt(i)) return false;
    return true;
  }
  return false;
}

function buildTree(paths: usize): PathNode | null {
  const items = elements(paths);
  if (items === null) return null;
  const root = new PathNode();
  for (let i = 0; i < items!.length; i++) {
    const p = unchecked(items![i]);
    let segs: Array<Value>;
    if (p.t == T_STR) segs = splitPath(changetype<Str>(p));
    else if (p.t == T_ARR) segs = changetype<Arr>(p).items;
    else return null;
    let n = root;
    for (let j = 0; j < segs.length; j++) n = n.child(unchecked(segs[j]));
    n.leaf = true;
  }
  return root;
}

function filterValue(v: Value, n: PathNode): Value | null {
  if (n.leaf) return v;
  if (v.t == T_OBJ) {
    const o = changetype<Obj>(v);
    const out = new Obj();
    for (let i = 0; i < o.keys.length; i++) {
      const kid = n.find(unchecked(o.keys[i]));
      if (kid === null) continue;
      const fv = filterValue(unchecked(o.vals[i]), kid!);
      if (fv !== null) { out.keys.push(unchecked(o.keys[i])); out.vals.push(fv!); }
    }
    return out;
  }
  if (v.t == T_ARR) {
    const items = changetype<Arr>(v).items;
    const out = new Arr(0);
    for (let i = 0; i < items.length; i++) {
      const kid = n.find(changetype<Value>(indexValue(i)));
      if (kid === null) continue;
      const fv = filterValue(unchecked(items[i]), kid!);
      if (fv !== null) out.items.push(fv!);
    }
    return out;
  }
  if (v.t == T_SET) {
    const items = changetype<SetV>(v).items;
    const out = new SetV();
    for (let i = 0; i < items.length; i++) {
      const kid = n.find(unchecked(items[i]));
      if (kid === null) continue;
      const fv = filterValue(unchecked(items[i]), kid!);
      if (fv !== null) setAdd(out, fv!);
    }
    return out;
  }
  return null;
}

function removeValue(v: Value, n: PathNode): Value | null {
  if (n.leaf) return null;
  if (v.t == T_OBJ) {
    const o = changetype<Obj>(v);
    const out = new Obj();
    for (let i = 0; i < o.keys.length; i++) {
      const kid = n.find(unchecked(o.keys[i]));
      const rv = kid === null ? unchecked(o.vals[i]) : removeValue(unchecked(o.vals[i]), kid!);
      if (rv !== null) { out.keys.push(unchecked(o.keys[i])); out.vals.push(rv!); }
    }
    return out;
  }
  if (v.t == T_ARR) {
    const items = changetype<Arr>(v).items;
    const out = new Arr(0);
    for (let i = 0; i < items.length; i++) {
      const kid = n.find(changetype<Value>(indexValue(i)));
      const rv = kid === null ? unchecked(items[i]) : removeValue(unchecked(items[i]), kid!);
      if (rv !== null) out.items.push(rv!);
    }
    return out;
  }
  if (v.t == T_SET) {
    const items = changetype<SetV>(v).items;
    const out = new SetV();
    for (let i = 0; i < items.length; i++) {
      const kid = n.find(unchecked(items[i]));
      const rv = kid === null ? unchecked(items[i]) : removeValue(unchecked(items[i]), kid!);
      if (rv !== null) setAdd(out, rv!);
    }
    return out;
  }
  return v;
}

import { intValue } from "../value";
function indexValue(i: i32): usize { return changetype<usize>(intValue(i)); }

export function rt_b_json_filter(o: usize, paths: usize): usize {
  if (!isObj(o)) return 0;
  const tree = buildTree(paths);
  if (tree === null) return 0;
  const r = filterValue(val(o), tree!);
  return r === null ? ptr(new Obj()) : ptr(r!);
}

export function rt_b_json_remove(o: usize, paths: usize): usize {
  if (!isObj(o)) return 0;
  const tree = buildTree(paths);
  if (tree === null) return 0;
  const r = removeValue(val(o), tree!);
  return r === null ? ptr(new Obj()) : ptr(r!);
}
