// The Rego abstract syntax tree, as the parser produces it and the compiler reads it.
import type { Location } from "./errors.js";

export type Term =
  | { type: "null"; loc: Location }
  | { type: "boolean"; value: boolean; loc: Location }
  | { type: "number"; text: string; loc: Location }
  | { type: "string"; value: string; loc: Location }
  | { type: "var"; name: string; loc: Location }
  /** head followed by path elements: `input.a[x]` is var(input) + [string(a), var(x)]. */
  | { type: "ref"; head: Term; path: Term[]; loc: Location }
  | { type: "array"; items: Term[]; loc: Location }
  | { type: "set"; items: Term[]; loc: Location }
  | { type: "object"; entries: [Term, Term][]; loc: Location }
  | { type: "arraycompr"; term: Term; body: Body; loc: Location }
  | { type: "setcompr"; term: Term; body: Body; loc: Location }
  | { type: "objectcompr"; key: Term; value: Term; body: Body; loc: Location }
  /** A builtin or function call; operators are calls too (`a + b` is plus(a, b)). */
  | { type: "call"; fn: string[]; fnLoc: Location; args: Term[]; loc: Location };

export type TermType = Term["type"];

export interface With { target: Term; value: Term; loc: Location }

export type Expr = (
  | { kind: "term"; term: Term }
  | { kind: "unify"; left: Term; right: Term }
  | { kind: "assign"; left: Term; right: Term }
  | { kind: "some"; vars: Term[] }
  | { kind: "somein"; key?: Term; value: Term; collection: Term }
  | { kind: "every"; key?: Term; value: Term; collection: Term; body: Body }
) & { negated: boolean; with: With[]; loc: Location };

export type Body = Expr[];

export interface RuleHead {
  /** The rule's reference: name then path terms (`p.q[x]` → [p, "q", x]). */
  name: string;
  path: Term[];
  args?: Term[];
  /** `contains` rules: the element added to the set. */
  contains?: Term;
  /** The value (`:=`/`=` term); absent means `true`. */
  value?: Term;
  loc: Location;
}

export interface Rule {
  head: RuleHead;
  body: Body;
  isDefault: boolean;
  /** The next `else` of a chain. */
  else?: Rule;
  loc: Location;
}

export interface Import { path: Term; alias?: string; loc: Location }

export interface Module {
  file: string;
  /** Package path below `data` (`package a.b` → ["a", "b"]). */
  pkg: string[];
  pkgLoc: Location;
  imports: Import[];
  rules: Rule[];
}
