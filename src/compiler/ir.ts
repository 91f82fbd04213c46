// The planner's output and the code generator's input: a policy as constants plus functions made
// of blocks of statements. A statement that fails ends its innermost block (OPA's IR semantics);
// `break n` leaves the n+1-th enclosing block. Locals hold value addresses (0 = undefined).

export type Const =
  | { kind: "null" }
  | { kind: "bool"; value: boolean }
  | { kind: "num"; text: string }
  | { kind: "str"; value: string }
  | { kind: "arr"; items: number[] }
  | { kind: "set"; items: number[] }
  | { kind: "obj"; entries: [number, number][] };

export type Operand =
  | { kind: "local"; index: number }
  | { kind: "const"; index: number }
  | { kind: "int"; value: number };

export interface Block { stmts: Stmt[] }

export type Stmt =
  /** A runtime helper; `check` says when the statement fails: result 0 ("defined") or nothing. */
  | { op: "call"; fn: string; args: Operand[]; target?: number; check?: "defined" | "true"; abort?: string }
  /** A generated function (a rule, function, or comprehension); fails when it returns 0. */
  | { op: "callfn"; func: number; args: Operand[]; target: number; check?: "defined" | "none" }
  /** A builtin supplied by the host through opa_builtinN; fails on undefined. */
  | { op: "host"; id: number; args: Operand[]; target: number }
  | { op: "assign"; source: Operand; target: number }
  | { op: "scan"; source: number; key: number; value: number; block: Block }
  | { op: "block"; blocks: Block[] }
  | { op: "not"; block: Block }
  | { op: "break"; index: number }
  | { op: "defined"; local: number }
  | { op: "undefined"; local: number }
  | { op: "return"; source: Operand }
  | { op: "abort"; message: string }
  /** OPA's AssignVarOnce: set target, or abort with `message` when it holds a different value. */
  | { op: "assign_once"; source: Operand; target: number; message: string }
  /** Rule prologue: return the memoised value of `slot` if this evaluation computed it already. */
  | { op: "memo_get"; slot: number }
  /** Rule prologue: return the `with data.…` override covering the rule's path (a const array). */
  | { op: "with_check"; path: number };

export interface Func {
  name: string;
  /** Parameters are locals 0..params-1 (input, data, then arguments). */
  params: number;
  /** Total value locals including parameters. */
  locals: number;
  body: Block;
  /** Returned after the body completes (0 when the body's result was never set). */
  result: number;
}

export interface Policy {
  consts: Const[];
  funcs: Func[];
  /** Entrypoint name → index into funcs; each returns the result set. */
  entrypoints: { name: string; func: number }[];
  /** Host builtins by id (the module's builtins() map). */
  hostBuiltins: string[];
  memoSlots: number;
}
