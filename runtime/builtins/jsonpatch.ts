// json.patch (RFC 6902) over OPA values, copy-on-write; sets are addressed by their elements.
import { Value, Str, Arr, Obj, SetV, objGet, objPut, setAdd, setHas, search, T_STR, T_ARR, T_OBJ, T_SET, T_NUM, Num } from "../value";
import { compare } from "../compare";
import { Buf } from "../buffer";
import { val, ptr, isArr, arr } from "./args";

/** Path segments of a JSON pointer ("/a/b", also "a/b") or of an array of keys. */
function pointer(p: Value): Array<Value> | null {
  const out = new Array<Value>(0);
  if (p.t == T_ARR) {
    const items = changetype<Arr>(p).items;
    for (let i = 0; i < items.length; i++) {
      const it = unchecked(items[i]);
      if (it.t != T_STR && it.t != T_NUM) return null;
      out.push(it);
    }
    return out;
  }
  if (p.t != T_STR) return null;
  const s = changetype<Str>(p);
  if (s.len == 0) return out;
  let i = load<u8>(s.ptr) == 0x2f ? 1 : 0;
  let seg = new Buf(8);
  for (; i <= s.len; i++) {
    const c = i < s.len ? <i32>load<u8>(s.ptr + <usize>i) : 0x2f;
    if (c == 0x2f) { out.push(new Str(seg.ptr, seg.len)); seg = new Buf(8); continue; }
    if (c == 0x7e && i + 1 < s.len) {
      const n = load<u8>(s.ptr + <usize>i + 1);
      if (n == 0x30) { seg.byte(0x7e); i++; continue; }
      if (n == 0x31) { seg.byte(0x2f); i++; continue; }
    }
    seg.byte(c);
  }
  return out;
}

/** An array index from a segment: decimal digits without leading zeros; -2 for "-"; -1 otherwise. */
function indexSeg(seg: Value): i32 {
  if (seg.t == T_NUM) { const n = changetype<Num>(seg); return n.isInt && n.i >= 0 && n.i < 0x7fffffff ? <i32>n.i : -1; }
  const s = changetype<Str>(seg);
  if (s.len == 1 && load<u8>(s.ptr) == 0x2d) return -2;
  if (s.len == 0 || s.len > 9) return -1;
  if (s.len > 1 && load<u8>(s.ptr) == 0x30) return -1;
  let v = 0;
  for (let i = 0; i < s.len; i++) {
    const c = <i32>load<u8>(s.ptr + <usize>i);
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + c - 0x30;
  }
  return v;
}

function child(doc: Value, seg: Value): Value | null {
  if (doc.t == T_OBJ) return objGet(changetype<Obj>(doc), seg);
  if (doc.t == T_ARR) {
    const i = indexSeg(seg);
    const items = changetype<Arr>(doc).items;
    return i >= 0 && i < items.length ? unchecked(items[i]) : null;
  }
  if (doc.t == T_SET) return setHas(changetype<SetV>(doc), seg) ? seg : null;
  return null;
}

function getAt(doc: Value, path: Array<Value>): Value | null {
  let cur: Value | null = doc;
  for (let i = 0; i < path.length && cur !== null; i++) cur = child(cur, unchecked(path[i]));
  return cur;
}

const OP_ADD = 1, OP_REMOVE = 2, OP_REPLACE = 3;

/** Applies add/remove/replace of `v` at path[i..] inside `doc`; null on an error. */
function applyAt(doc: Value, path: Array<Value>, i: i32, op: i32, v: Value | null): Value | null {
  const seg = unchecked(path[i]);
  if (i < path.length - 1) {
    const c = child(doc, seg);
    if (c === null) return null;
    const updated = applyAt(c, path, i + 1, op, v);
    if (updated === null) return null;
    return replaceChild(doc, seg, updated);
  }
  if (doc.t == T_OBJ) {
    const o = changetype<Obj>(doc);
    const exists = objGet(o, seg) !== null;
    if (op != OP_ADD && !exists) return null;
    const out = new Obj();
    out.keys = o.keys.slice(0);
    out.vals = o.vals.slice(0);
    if (op == OP_REMOVE) {
      const at = search(out.keys, seg);
      out.keys.splice(at, 1);
      out.vals.splice(at, 1);
    } else objPut(out, seg, v!);
    return out;
  }
  if (doc.t == T_ARR) {
    const items = changetype<Arr>(doc).items;
    let idx = indexSeg(seg);
    if (idx == -2 && op == OP_ADD) idx = items.length;
    if (idx < 0) return null;
    const out = new Arr(0);
    out.items = items.slice(0);
    if (op == OP_ADD) {
      if (idx > items.length) return null;
      out.items.push(v!);
      for (let j = out.items.length - 1; j > idx; j--) unchecked(out.items[j] = out.items[j - 1]);
      unchecked(out.items[idx] = v!);
    } else {
      if (idx >= items.length) return null;
      if (op == OP_REMOVE) out.items.splice(idx, 1);
      else unchecked(out.items[idx] = v!);
    }
    return out;
  }
  if (doc.t == T_SET) {
    const s = changetype<SetV>(doc);
    const out = new SetV();
    out.items = s.items.slice(0);
    if (op == OP_ADD) {
      if (compare(seg, v!) != 0) return null; // a set element is its own key
      setAdd(out, v!);
      return out;
    }
    const at = search(out.items, seg);
    if (at < 0) return null;
    out.items.splice(at, 1);
    if (op == OP_REPLACE) setAdd(out, v!);
    return out;
  }
  return null;
}

function replaceChild(doc: Value, seg: Value, v: Value): Value | null {
  return applyAt(doc, [seg], 0, OP_REPLACE, v);
}

function applyOp(doc: Value, path: Array<Value>, op: i32, v: Value | null): Value | null {
  if (path.length == 0) {
    if (op == OP_REMOVE) return null;
    return v;
  }
  return applyAt(doc, path, 0, op, v);
}

function strEq(v: Value, s: string): bool {
  if (v.t != T_STR) return false;
  const x = changetype<Str>(v);
  if (x.len != s.length) return false;
  for (let i = 0; i < x.len; i++) if (<i32>load<u8>(x.ptr + <usize>i) != s.charCodeAt(i)) return false;
  return true;
}

function field(o: Obj, name: string): Value | null {
  for (let i = 0; i < o.keys.length; i++) if (strEq(unchecked(o.keys[i]), name)) return unchecked(o.vals[i]);
  return null;
}

export function rt_b_json_patch(d: usize, patches: usize): usize {
  if (d == 0 || !isArr(patches)) return 0;
  let doc: Value | null = val(d);
  const ops = arr(patches).items;
  for (let i = 0; i < ops.length && doc !== null; i++) {
    const p = unchecked(ops[i]);
    if (p.t != T_OBJ) return 0;
    const o = changetype<Obj>(p);
    const opName = field(o, "op"), pathV = field(o, "path");
    if (opName === null || pathV === null) return 0;
    const path = pointer(pathV!);
    if (path === null) return 0;
    if (strEq(opName!, "add") || strEq(opName!, "replace")) {
      const v = field(o, "value");
      if (v === null) return 0;
      doc = applyOp(doc!, path!, strEq(opName!, "add") ? OP_ADD : OP_REPLACE, v);
    } else if (strEq(opName!, "remove")) {
      doc = applyOp(doc!, path!, OP_REMOVE, null);
    } else if (strEq(opName!, "move") || strEq(opName!, "copy")) {
      const fromV = field(o, "from");
      if (fromV === null) return 0;
      const from = pointer(fromV!);
      if (from === null) return 0;
      const v = getAt(doc!, from!);
      if (v === null) return 0;
      if (strEq(opName!, "move")) {
        if (isProperPrefix(from!, path!)) return 0; // cannot move into its own child
        doc = applyOp(doc!, from!, OP_REMOVE, null);
        if (doc === null) return 0;
      }
      doc = applyOp(doc!, path!, OP_ADD, v);
    } else if (strEq(opName!, "test")) {
      const v = field(o, "value");
      const have = getAt(doc!, path!);
      if (v === null || have === null || compare(have!, v!) != 0) return 0;
    } else return 0;
  }
  return doc === null ? 0 : ptr(doc!);
}

function isProperPrefix(a: Array<Value>, b: Array<Value>): bool {
  if (a.length >= b.length) return false;
  for (let i = 0; i < a.length; i++) if (compare(unchecked(a[i]), unchecked(b[i])) != 0) return false;
  return true;
}
