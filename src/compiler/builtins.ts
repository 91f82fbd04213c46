// The builtins the compiler knows: arity, and whether the wasm runtime implements them natively
// (an `rt_b_*` export) or the host supplies them through opa_builtinN. Every builtin supported here
// is deterministic (same arguments, same result); the engine's decision cache relies on that, so
// one that reads the clock, randomness or the network (time.now_ns, rand.intn, http.send, ...)
// needs the cache turned off for policies that call it.

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

/** Builtins the host provides: the SDK itself (sprintf, regex.split, yaml.*) or this project's
 *  loader (src/engine/host-builtins.ts; a test checks that every one here is implemented). */
const HOST: Record<string, number> = {
  sprintf: 2, "regex.split": 2, "yaml.marshal": 1, "yaml.unmarshal": 1, "yaml.is_valid": 1,
  "regex.match": 2, "regex.is_valid": 1, "regex.find_n": 3, "regex.replace": 3, "glob.match": 3,
  "glob.quote_meta": 1, "json.marshal_with_options": 2, "base64.encode": 1, "base64.decode": 1,
  "base64url.encode": 1, "base64url.decode": 1, "base64url.encode_no_pad": 1, "hex.encode": 1,
  "hex.decode": 1, "urlquery.encode": 1, "urlquery.decode": 1,
};

/** Builtins provided by the SDK rather than this project. */
export const SDK_HOST_BUILTINS = ["sprintf", "regex.split", "yaml.marshal", "yaml.unmarshal", "yaml.is_valid"];

/** OPA builtins this compiler does not implement yet: calling one is a clear `unsupported` error. */
const UNSUPPORTED = new Set([
  "base64.is_valid", "bits.and", "bits.lsh", "bits.negate", "bits.or", "bits.rsh", "bits.xor",
  "crypto.hmac.equal", "crypto.hmac.md5", "crypto.hmac.sha1", "crypto.hmac.sha256", "crypto.hmac.sha512",
  "crypto.md5", "crypto.sha1", "crypto.sha256", "crypto.x509.parse_certificates", "graph.reachable",
  "graph.reachable_paths", "http.send", "io.jwt.decode", "io.jwt.decode_verify", "io.jwt.verify_rs256",
  "json.match_schema", "json.verify_schema", "net.cidr_expand", "net.cidr_merge", "net.lookup_ip_addr",
  "numbers.range", "numbers.range_step", "object.union_n_deep", "opa.runtime", "print", "rand.intn",
  "regex.find_all_string_submatch_n", "regex.globs_match", "regex.template_match", "semver.compare",
  "semver.is_valid", "strings.render_template", "time.add_date", "time.clock", "time.date", "time.diff",
  "time.format", "time.now_ns", "time.parse_duration_ns", "time.parse_ns", "time.parse_rfc3339_ns",
  "time.weekday", "trace", "units.parse", "units.parse_bytes", "uri.parse", "uuid.parse", "uuid.rfc4122",
  "walk", "providers.aws.sign_req", "rego.metadata.chain", "rego.metadata.rule", "rego.parse_module",
  "strings.trim", "array.flatten_deep", "cast_array", "cast_set", "cast_string", "cast_boolean",
  "cast_null", "cast_object", "any", "all", "net.cidr_overlap", "set_diff", "re_match",
]);

export function isUnsupportedBuiltin(name: string): boolean { return UNSUPPORTED.has(name); }

/** Names of all host builtins (for the loader's completeness test). */
export function hostBuiltinNames(): string[] { return Object.keys(HOST); }

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
