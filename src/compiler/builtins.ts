// The builtins the compiler knows: arity, and whether the wasm runtime implements them natively
// (an `rt_b_*` export) or the host supplies them through opa_builtinN.

export interface BuiltinInfo {
  name: string;
  arity: number;
  /** Runtime export implementing it; absent for host builtins. */
  native?: string;
}

const NATIVE: Record<string, number> = {
  equal: 2, neq: 2, lt: 2, lte: 2, gt: 2, gte: 2,
  plus: 2, minus: 2, mul: 2, div: 2, rem: 2, abs: 1, ceil: 1, floor: 1, round: 1,
  and: 2, or: 2, intersection: 1, union: 1, "internal.member_2": 2, "internal.member_3": 3,
  count: 1, sum: 1, product: 1, max: 1, min: 1, sort: 1,
  startswith: 2, endswith: 2, contains: 2, lower: 1, upper: 1, trim: 2, trim_left: 2, trim_right: 2,
  trim_space: 1, trim_prefix: 2, trim_suffix: 2, split: 2, replace: 3, "strings.replace_n": 2,
  concat: 2, substring: 3, indexof: 2, indexof_n: 2, "strings.reverse": 1, "strings.count": 2,
  "strings.any_prefix_match": 2, "strings.any_suffix_match": 2, format_int: 2,
  is_null: 1, is_boolean: 1, is_number: 1, is_string: 1, is_array: 1, is_object: 1, is_set: 1, type_name: 1,
  "object.get": 3, "object.keys": 1, "object.remove": 2, "object.filter": 2, "object.union": 2,
  "object.union_n": 1, "object.subset": 2, "json.filter": 2, "json.remove": 2,
  "array.concat": 2, "array.slice": 3, "array.reverse": 1, "array.flatten": 1,
  "strings.split_n": 3, to_number: 1, "json.marshal": 1, "json.unmarshal": 1, "json.is_valid": 1,
  "net.cidr_contains": 2, "net.cidr_intersects": 2, "net.cidr_is_valid": 1, "net.cidr_contains_matches": 2, "json.patch": 2,
};

/** Builtins the host provides (src/engine/host-builtins.ts, or the SDK itself for sprintf). */
const HOST: Record<string, number> = {
  sprintf: 2, "regex.match": 2, "regex.is_valid": 1, "regex.split": 2, "regex.find_n": 3,
  "regex.replace": 3, "glob.match": 3, "json.marshal_with_options": 2, "json.patch": 2,
  "net.cidr_contains_matches": 2, "base64.encode": 1, "base64.decode": 1, "base64url.encode": 1,
  "base64url.decode": 1, "base64url.encode_no_pad": 1, "hex.encode": 1, "hex.decode": 1,
  "urlquery.encode": 1, "urlquery.decode": 1, "strings.render_template": 2,
  "time.now_ns": 0, "crypto.sha256": 1, "crypto.md5": 1, "crypto.sha1": 1, "units.parse": 1,
  "units.parse_bytes": 1, "semver.compare": 2, "semver.is_valid": 1, "numbers.range": 2,
  "base64.is_valid": 1, "uuid.rfc4122": 1, "net.cidr_merge": 1, "net.cidr_expand": 1,
  "object.union_n_deep": 1, "regex.template_match": 4, "regex.globs_match": 2,
  "glob.quote_meta": 1, "yaml.marshal": 1, "yaml.unmarshal": 1, "yaml.is_valid": 1,
  "json.verify_schema": 1, "json.match_schema": 2, "bits.or": 2, "bits.and": 2, "bits.negate": 1,
  "bits.xor": 2, "bits.lsh": 2, "bits.rsh": 2, "time.parse_rfc3339_ns": 1, "time.date": 1,
  "time.clock": 1, "time.weekday": 1, "time.add_date": 4, "time.diff": 2, "time.parse_ns": 2,
  "time.parse_duration_ns": 1, "time.format": 1, "uri.parse": 1, "print": 1, "trace": 1,
  "strings.trim": 2, "opa.runtime": 0, "rand.intn": 2, "walk": 1, "any": 1, "all": 1,
  "cast_array": 1, "cast_set": 1, "cast_string": 1, "cast_boolean": 1, "cast_null": 1, "cast_object": 1,
  "array.flatten_deep": 1,
};

export function lookupBuiltin(name: string): BuiltinInfo | undefined {
  const n = NATIVE[name];
  if (n !== undefined) return { name, arity: n, native: `rt_b_${name.replace(/\./g, "_")}` };
  const h = HOST[name];
  if (h !== undefined) return { name, arity: h };
  return undefined;
}

/** Printable operator for error messages. */
export const OPERATOR_NAMES: Record<string, string> = {
  equal: "==", neq: "!=", lt: "<", lte: "<=", gt: ">", gte: ">=", plus: "+", minus: "-", mul: "*",
  div: "/", rem: "%", and: "&", or: "|", "internal.member_2": "in", "internal.member_3": "in",
};
