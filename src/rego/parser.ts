// Tokens → AST for Rego v1 (`if` and `contains` are keywords; `rego.v1` and `future.keywords`
// imports are accepted and change nothing).
import type { Body, Expr, Import, Module, Rule, RuleHead, Term, With } from "./ast.js";
import { RegoError, type Location, type RegoErrorDetail } from "./errors.js";
import { tokenize } from "./lexer.js";
import { KEYWORDS, type Token, type TokenKind } from "./tokens.js";

export function parseModule(source: string, file: string): Module {
  return new Parser(tokenize(source, file), file).module();
}

/** Parses a query (a body without braces), e.g. `data.x.p = y; z := 1`. */
export function parseQuery(source: string, file = "query"): Body {
  const p = new Parser(tokenize(source, file), file);
  return p.queryBody();
}

const INFIX: readonly { ops: TokenKind[]; names: Record<string, string> }[] = [
  { ops: ["==", "!=", "<", "<=", ">", ">="], names: { "==": "equal", "!=": "neq", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte" } },
  { ops: ["|"], names: { "|": "or" } },
  { ops: ["&"], names: { "&": "and" } },
  { ops: ["+", "-"], names: { "+": "plus", "-": "minus" } },
  { ops: ["*", "/", "%"], names: { "*": "mul", "/": "div", "%": "rem" } },
];

class Parser {
  private i = 0;
  /** > 0 inside (), [] and composite braces, where line breaks do not end expressions. */
  private nested = 0;
  /** False in a composite's first term, where `|` begins a comprehension body. */
  private pipeIsUnion = true;
  constructor(private toks: Token[], private file: string) {}

  private get tok(): Token { return this.toks[this.i]!; }
  private peekTok(n = 1): Token { return this.toks[Math.min(this.i + n, this.toks.length - 1)]!; }
  private loc(t: Token = this.tok): Location { return { file: this.file, row: t.row, col: t.col }; }
  private fail(message: string, t: Token = this.tok): never {
    const detail: RegoErrorDetail = { code: "rego_parse_error", message, location: this.loc(t) };
    throw new RegoError([detail]);
  }
  /** The keyword `word` here; a keyword directly followed by "." is a name (`as.foo := 1`). */
  private isKw(word: string, t: Token = this.tok): boolean {
    if (t.kind !== "ident" || t.text !== word) return false;
    const n = this.toks[t.index + 1];
    return !(n && n.kind === "." && n.start === t.end);
  }
  private keywordAsName(t: Token): boolean {
    const n = this.toks[t.index + 1];
    return !!n && n.kind === "." && n.start === t.end;
  }
  private at(kind: TokenKind): boolean { return this.tok.kind === kind; }
  private next(): Token { const t = this.tok; if (t.kind !== "eof") this.i++; return t; }
  private expect(kind: TokenKind, what?: string): Token {
    if (this.tok.kind !== kind) this.fail(`expected ${what ?? `"${kind}"`} but found ${this.describe(this.tok)}`);
    return this.next();
  }
  private expectKw(word: string): Token {
    if (!this.isKw(word)) this.fail(`expected "${word}" but found ${this.describe(this.tok)}`);
    return this.next();
  }
  private describe(t: Token): string {
    if (t.kind === "eof") return "end of file";
    if (t.kind === "string" || t.kind === "rawstring") return "string";
    return `"${t.text}"`;
  }
  /** The current token is adjacent to the previous one (no space: refs, calls). */
  private adjacent(): boolean { return this.i > 0 && this.toks[this.i - 1]!.end === this.tok.start; }
  /** The expression ends before the current token (a line break in a body). */
  private lineEnds(): boolean { return this.nested === 0 && this.tok.newlineBefore; }

  // ---- module ----------------------------------------------------------------------------------

  module(): Module {
    if (!this.isKw("package")) this.fail(`expected "package" but found ${this.describe(this.tok)}`);
    const pkgTok = this.next();
    const pkgRef = this.ref();
    const pkg = this.refToPath(pkgRef, "package");
    const mod: Module = { file: this.file, pkg, pkgLoc: this.loc(pkgTok), imports: [], rules: [] };
    while (this.isKw("import")) mod.imports.push(this.importDecl());
    while (!this.at("eof")) {
      if (this.isKw("import")) this.fail("imports must come before rules");
      if (this.isKw("package")) this.fail("only one package per file");
      mod.rules.push(this.rule());
    }
    return mod;
  }

  private refToPath(t: Term, what: string): string[] {
    const parts: string[] = [];
    if (t.type === "var") return [t.name];
    if (t.type !== "ref" || t.head.type !== "var") this.fail(`invalid ${what} path`);
    parts.push(t.head.name);
    for (const p of t.path) {
      if (p.type !== "string") this.fail(`invalid ${what} path: only names and strings are allowed`);
      parts.push(p.value);
    }
    return parts;
  }

  private importDecl(): Import {
    const t = this.next();
    const path = this.ref();
    const head = path.type === "var" ? path.name : path.type === "ref" && path.head.type === "var" ? path.head.name : "";
    if (!["data", "input", "future", "rego"].includes(head)) {
      this.fail(`invalid import path: must begin with input or data`, t);
    }
    let alias: string | undefined;
    if (this.isKw("as")) {
      this.next();
      alias = this.expect("ident", "an alias name").text;
    }
    return { path, alias, loc: this.loc(t) };
  }

  // ---- rules -----------------------------------------------------------------------------------

  private rule(): Rule {
    const start = this.tok;
    let isDefault = false;
    if (this.isKw("default")) { this.next(); isDefault = true; }
    const head = this.ruleHead();
    if (isDefault) {
      if (head.contains) this.fail("default rules cannot be partial set rules", start);
      if (head.value === undefined) this.fail("default rules must have a value (default p := <value>)", start);
      return { head, body: [], isDefault: true, loc: this.loc(start) };
    }
    const body = this.ruleBody(head);
    const rule: Rule = { head, body, isDefault, loc: this.loc(start) };
    let last = rule;
    while (this.isKw("else")) {
      const elseTok = this.next();
      if (head.contains) this.fail("else is not allowed on partial set rules", elseTok);
      let value: Term | undefined;
      if (this.at(":=") || this.at("=")) { this.next(); value = this.exprTerm(); }
      const elseHead: RuleHead = { ...head, value: value ?? (head.args ? head.value && { type: "boolean", value: true, loc: this.loc(elseTok) } : { type: "boolean", value: true, loc: this.loc(elseTok) }), loc: this.loc(elseTok) };
      if (value === undefined) elseHead.value = { type: "boolean", value: true, loc: this.loc(elseTok) };
      const elseBody = this.isKw("if") || this.at("{") ? this.ruleBody(elseHead) : [];
      last.else = { head: elseHead, body: elseBody, isDefault: false, loc: this.loc(elseTok) };
      last = last.else;
    }
    return rule;
  }

  private ruleHead(): RuleHead {
    const nameTok = this.expect("ident", "a rule name");
    if (KEYWORDS.has(nameTok.text) && !["contains", "if"].includes(nameTok.text) && !this.keywordAsName(nameTok)) {
      this.fail(`unexpected keyword "${nameTok.text}": expected a rule name`, nameTok);
    }
    const head: RuleHead = { name: nameTok.text, path: [], loc: this.loc(nameTok) };
    for (;;) {
      if (this.at(".") && this.adjacent()) {
        this.next();
        const t = this.expect("ident", "a name");
        head.path.push({ type: "string", value: t.text, loc: this.loc(t) });
      } else if (this.at("[") && this.adjacent()) {
        this.next();
        this.nested++;
        head.path.push(this.exprTerm());
        this.nested--;
        this.expect("]");
      } else break;
    }
    if (this.at("(") && this.adjacent()) {
      this.next();
      this.nested++;
      head.args = [];
      if (!this.at(")")) {
        do head.args.push(this.exprTerm()); while (this.at(",") && this.next());
      }
      this.nested--;
      this.expect(")");
    }
    if (this.isKw("contains")) {
      this.next();
      if (head.args) this.fail("functions cannot be partial set rules (contains)");
      head.contains = this.exprTerm();
    } else if (this.at(":=") || this.at("=")) {
      this.next();
      head.value = this.exprTerm();
    }
    return head;
  }

  private ruleBody(head: RuleHead): Body {
    if (this.isKw("if")) {
      this.next();
      if (this.at("{")) return this.braceBody();
      return [this.expr()];
    }
    if (this.at("{")) {
      if (head.value !== undefined || head.contains !== undefined) {
        this.fail(`rule body must follow "if" (Rego v1): write ${head.name} ... if { ... }`);
      }
      this.fail(`"if" is required before a rule body in Rego v1: write ${head.name} if { ... }`);
    }
    return [];
  }

  private braceBody(): Body {
    this.expect("{");
    const saved = this.nested;
    this.nested = 0;
    const body: Body = [];
    while (!this.at("}")) {
      if (this.at("eof")) this.fail(`expected "}" but found end of file`);
      if (this.at(";")) { this.next(); continue; }
      if (body.length > 0 && !this.tok.newlineBefore && this.toks[this.i - 1]!.kind !== ";") {
        this.fail(`unexpected ${this.describe(this.tok)}: expressions must be separated by a line break or ";"`);
      }
      body.push(this.expr());
    }
    this.next();
    this.nested = saved;
    if (body.length === 0) this.fail("found empty body", this.toks[this.i - 1]);
    return body;
  }

  queryBody(): Body {
    const body: Body = [];
    while (!this.at("eof")) {
      if (this.at(";")) { this.next(); continue; }
      body.push(this.expr());
    }
    if (body.length === 0) this.fail("empty query");
    return body;
  }

  // ---- expressions -----------------------------------------------------------------------------

  private expr(): Expr {
    const start = this.tok;
    const loc = this.loc(start);
    let e: Expr;
    if (this.isKw("not")) {
      this.next();
      const inner = this.expr();
      if (inner.negated) this.fail("double negation is not allowed (not not ...)", start);
      if (inner.kind === "some" || inner.kind === "somein" || inner.kind === "every") this.fail(`"not" cannot negate a ${inner.kind === "every" ? "every" : "some"} expression`, start);
      return { ...inner, negated: true, loc };
    }
    if (this.isKw("some")) e = this.someExpr(loc);
    else if (this.isKw("every")) e = this.everyExpr(loc);
    else e = this.infixExpr(loc);
    while (this.isKw("with")) {
      const wt = this.next();
      const target = this.ref();
      this.expectKw("as");
      const value = this.exprTerm();
      e.with.push({ target, value, loc: this.loc(wt) } as With);
    }
    return e;
  }

  private someExpr(loc: Location): Expr {
    this.next();
    const first = this.relationTerm0();
    if (this.at(",")) {
      const terms = [first];
      while (this.at(",")) { this.next(); terms.push(this.relationTerm0()); }
      if (this.isKw("in")) {
        this.next();
        if (terms.length !== 2) this.fail("some ... in takes at most two variables (key, value)");
        return { kind: "somein", key: terms[0], value: terms[1]!, collection: this.relationTerm(), negated: false, with: [], loc };
      }
      for (const t of terms) if (t.type !== "var") this.fail("some: expected variables");
      return { kind: "some", vars: terms, negated: false, with: [], loc };
    }
    if (this.isKw("in")) {
      this.next();
      return { kind: "somein", value: first, collection: this.relationTerm(), negated: false, with: [], loc };
    }
    // `some x in xs` parsed as a membership call by relationTerm
    if (first.type === "call" && first.fn.join(".") === "internal.member_2") {
      return { kind: "somein", value: first.args[0]!, collection: first.args[1]!, negated: false, with: [], loc };
    }
    if (first.type !== "var") this.fail("some: expected variables or `some x in xs`");
    return { kind: "some", vars: [first], negated: false, with: [], loc };
  }

  private everyExpr(loc: Location): Expr {
    this.next();
    const firstTok = this.tok;
    const first = this.arithTermOrBasic();
    let key: Term | undefined;
    let value = first;
    let valueTok = firstTok;
    if (this.at(",")) { this.next(); key = first; valueTok = this.tok; value = this.arithTermOrBasic(); }
    // As in OPA: a pattern here would skip the elements it does not match, not count them against `every`.
    if (key && key.type !== "var") this.fail("every: expected key to be a variable", firstTok);
    if (value.type !== "var") this.fail("every: expected value to be a variable", valueTok);
    this.expectKw("in");
    const collection = this.relationTerm();
    if (!this.at("{")) this.fail(`expected "{" to start the body of every`);
    const body = this.braceBody();
    return { kind: "every", key, value, collection, body, negated: false, with: [], loc };
  }

  private arithTermOrBasic(): Term { return this.orTerm(); }

  private infixExpr(loc: Location): Expr {
    const left = this.relationTerm();
    // k, v in xs
    if (this.at(",") && this.nested === 0) {
      this.next();
      const value = this.relationTerm0();
      this.expectKw("in");
      const coll = this.relationTerm0();
      return { kind: "term", term: { type: "call", fn: ["internal", "member_3"], fnLoc: loc, args: [left, value, coll], loc }, negated: false, with: [], loc };
    }
    if ((this.at(":=") || this.at("=")) && !this.lineEnds()) {
      const op = this.next().kind;
      const right = this.relationTerm();
      return { kind: op === ":=" ? "assign" : "unify", left, right, negated: false, with: [], loc };
    }
    return { kind: "term", term: left, negated: false, with: [], loc };
  }

  /** A full term inside brackets, arguments and values: membership and relations included. */
  private exprTerm(): Term { return this.relationTerm(); }

  /** Membership (`x in xs`) binds loosest among terms. */
  private relationTerm(): Term {
    let left = this.relationTerm0();
    while (this.isKw("in") && !this.lineEnds()) {
      const t = this.next();
      const right = this.relationTerm0();
      left = { type: "call", fn: ["internal", "member_2"], fnLoc: this.loc(t), args: [left, right], loc: left.loc };
    }
    return left;
  }

  private relationTerm0(): Term { return this.binary(0); }

  private orTerm(): Term { return this.binary(1); }

  private binary(level: number): Term {
    if (level >= INFIX.length) return this.unary();
    let left = this.binary(level + 1);
    const { ops, names } = INFIX[level]!;
    while (ops.includes(this.tok.kind) && !this.lineEnds() && (this.tok.kind !== "|" || this.pipeIsUnion)) {
      const t = this.next();
      const right = this.binary(level + 1);
      left = { type: "call", fn: [names[t.kind]!], fnLoc: this.loc(t), args: [left, right], loc: left.loc };
    }
    return left;
  }

  private unary(): Term {
    if (this.at("-")) {
      const t = this.next();
      if (this.at("number") && this.adjacent()) {
        const n = this.next();
        return this.postfix({ type: "number", text: "-" + n.text, loc: this.loc(t) });
      }
      const operand = this.unary();
      return { type: "call", fn: ["minus"], fnLoc: this.loc(t), args: [{ type: "number", text: "0", loc: this.loc(t) }, operand], loc: this.loc(t) };
    }
    return this.postfix(this.primary());
  }

  private ref(): Term {
    const t = this.expect("ident", "a reference");
    return this.postfix({ type: "var", name: t.text, loc: this.loc(t) }, true);
  }

  /** Ref segments and calls that follow a term directly (no space). */
  private postfix(term: Term, refOnly = false): Term {
    for (;;) {
      if (this.at(".") && this.adjacent()) {
        this.next();
        const t = this.expect("ident", "a name after '.'");
        term = appendRef(term, { type: "string", value: t.text, loc: this.loc(t) });
      } else if (this.at("[") && this.adjacent()) {
        this.next();
        this.nested++;
        const key = this.exprTerm();
        this.nested--;
        this.expect("]");
        term = appendRef(term, key);
      } else if (!refOnly && this.at("(") && this.adjacent() && isCallable(term)) {
        const open = this.next();
        this.nested++;
        const args: Term[] = [];
        while (!this.at(")")) {
          args.push(this.exprTerm());
          if (!this.at(",")) break;
          this.next(); // a trailing comma is allowed
        }
        this.nested--;
        this.expect(")");
        term = { type: "call", fn: callName(term), fnLoc: term.loc, args, loc: term.loc };
        void open;
      } else return term;
    }
  }

  private primary(): Term {
    const t = this.tok;
    const loc = this.loc(t);
    switch (t.kind) {
      case "number": this.next(); return { type: "number", text: t.text, loc };
      case "string": case "rawstring": this.next(); return { type: "string", value: t.text, loc };
      case "(": {
        this.next();
        this.nested++;
        const savedPipe = this.pipeIsUnion;
        this.pipeIsUnion = true; // a parenthesised `|` is a union again
        let inner = this.exprTerm();
        if (this.at(",")) { // (k, v in xs)
          this.next();
          const value = this.relationTerm0();
          const inTok = this.expectKw("in");
          const coll = this.relationTerm0();
          inner = { type: "call", fn: ["internal", "member_3"], fnLoc: this.loc(inTok), args: [inner, value, coll], loc };
        }
        this.pipeIsUnion = savedPipe;
        this.nested--;
        this.expect(")");
        return inner;
      }
      case "[": return this.arrayOrCompr();
      case "{": return this.braceTerm();
      case "ident": {
        const asName = this.keywordAsName(t);
        if (!asName && (t.text === "true" || t.text === "false")) { this.next(); return { type: "boolean", value: t.text === "true", loc }; }
        if (!asName && t.text === "null") { this.next(); return { type: "null", loc }; }
        if (t.text === "set" && this.peekTok().kind === "(" && this.peekTok(2).kind === ")") {
          this.next(); this.next(); this.next();
          return { type: "set", items: [], loc };
        }
        if (KEYWORDS.has(t.text) && !["contains", "if"].includes(t.text) && !asName) {
          this.fail(`unexpected keyword "${t.text}"`);
        }
        this.next();
        return { type: "var", name: t.text, loc };
      }
      default: return this.fail(`unexpected ${this.describe(t)}`);
    }
  }

  private arrayOrCompr(): Term {
    const open = this.next();
    const loc = this.loc(open);
    this.nested++;
    if (this.at("]")) { this.nested--; this.next(); return { type: "array", items: [], loc }; }
    const first = this.orTermNoPipe();
    if (this.at("|")) return { type: "arraycompr", term: first, body: this.comprehensionRest("]"), loc };
    return { type: "array", items: this.itemsRest(first, "]"), loc };
  }

  private braceTerm(): Term {
    const open = this.next();
    const loc = this.loc(open);
    this.nested++;
    if (this.at("}")) { this.nested--; this.next(); return { type: "object", entries: [], loc }; }
    const first = this.orTermNoPipe();
    if (this.at(":")) {
      this.next();
      const value = this.orTermNoPipe();
      if (this.at("|")) return { type: "objectcompr", key: first, value, body: this.comprehensionRest("}"), loc };
      const entries: [Term, Term][] = [[first, value]];
      while (this.at(",")) {
        this.next();
        if (this.at("}")) break;
        const k = this.exprTerm();
        this.expect(":");
        entries.push([k, this.exprTerm()]);
      }
      this.nested--;
      this.expect("}");
      return { type: "object", entries, loc };
    }
    if (this.at("|")) return { type: "setcompr", term: first, body: this.comprehensionRest("}"), loc };
    return { type: "set", items: this.itemsRest(first, "}"), loc };
  }

  /** After the head of a comprehension, at `|`: its body up to `close`, leaving the composite. */
  private comprehensionRest(close: "]" | "}"): Body {
    this.next();
    const body = this.comprBody(close);
    this.nested--;
    return body;
  }

  /** After the first item of an array or set: the rest of the items (trailing comma allowed) and
   *  `close`, leaving the composite. */
  private itemsRest(first: Term, close: "]" | "}"): Term[] {
    const items = [first];
    while (this.at(",")) { this.next(); if (this.at(close)) break; items.push(this.exprTerm()); }
    this.nested--;
    this.expect(close);
    return items;
  }

  /** A term in a composite where `|` starts a comprehension body instead of a set union. */
  private orTermNoPipe(): Term {
    const saved = this.pipeIsUnion;
    this.pipeIsUnion = false;
    try { return this.relationTerm(); } finally { this.pipeIsUnion = saved; }
  }

  private comprBody(close: "]" | "}"): Body {
    const saved = this.nested;
    this.nested = 0;
    const body: Body = [];
    while (!this.at(close)) {
      if (this.at("eof")) this.fail(`expected "${close}" but found end of file`);
      if (this.at(";")) { this.next(); continue; }
      body.push(this.expr());
    }
    this.next();
    this.nested = saved;
    if (body.length === 0) this.fail("empty comprehension body");
    return body;
  }
}

function appendRef(term: Term, seg: Term): Term {
  if (term.type === "ref") return { ...term, path: [...term.path, seg] };
  return { type: "ref", head: term, path: [seg], loc: term.loc };
}

function isCallable(t: Term): boolean {
  if (t.type === "var") return true;
  return t.type === "ref" && t.head.type === "var" && t.path.every((p) => p.type === "string");
}

function callName(t: Term): string[] {
  if (t.type === "var") return [t.name];
  if (t.type === "ref" && t.head.type === "var") return [t.head.name, ...t.path.map((p) => (p as { value: string }).value)];
  return [];
}
