// AST → Rego v1 source. Parsing the output gives the same AST (up to positions).
import type { Body, Expr, Module, Rule, Term } from "./ast.js";

const INFIX: Record<string, string> = {
  equal: "==", neq: "!=", lt: "<", lte: "<=", gt: ">", gte: ">=", plus: "+", minus: "-", mul: "*",
  div: "/", rem: "%", and: "&", or: "|",
};

export function formatTerm(t: Term): string {
  switch (t.type) {
    case "null": return "null";
    case "boolean": return String(t.value);
    case "number": return t.text;
    case "string": return JSON.stringify(t.value);
    case "var": return t.name;
    case "ref": {
      const head = t.head.type === "var" || t.head.type === "ref" ? formatTerm(t.head) : `(${formatTerm(t.head)})`;
      return head + t.path.map((p) =>
        p.type === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(p.value) ? `.${p.value}` : `[${formatTerm(p)}]`).join("");
    }
    case "array": return `[${t.items.map(formatTerm).join(", ")}]`;
    case "set": return t.items.length ? `{${t.items.map(formatTerm).join(", ")}}` : "set()";
    case "object": return `{${t.entries.map(([k, v]) => `${formatTerm(k)}: ${formatTerm(v)}`).join(", ")}}`;
    case "arraycompr": return `[${formatTerm(t.term)} | ${formatInlineBody(t.body)}]`;
    case "setcompr": return `{${formatTerm(t.term)} | ${formatInlineBody(t.body)}}`;
    case "objectcompr": return `{${formatTerm(t.key)}: ${formatTerm(t.value)} | ${formatInlineBody(t.body)}}`;
    case "call": {
      const name = t.fn.join(".");
      const op = INFIX[name];
      if (op && t.args.length === 2) return `(${formatTerm(t.args[0]!)} ${op} ${formatTerm(t.args[1]!)})`;
      if (name === "internal.member_2" && t.args.length === 2) return `(${formatTerm(t.args[0]!)} in ${formatTerm(t.args[1]!)})`;
      if (name === "internal.member_3" && t.args.length === 3) {
        return `(${formatTerm(t.args[0]!)}, ${formatTerm(t.args[1]!)} in ${formatTerm(t.args[2]!)})`;
      }
      return `${name}(${t.args.map(formatTerm).join(", ")})`;
    }
  }
}

function formatInlineBody(b: Body): string { return b.map((e) => formatExpr(e, "")).join("; "); }

export function formatExpr(e: Expr, indent: string): string {
  let s: string;
  switch (e.kind) {
    case "term": s = formatTerm(e.term); break;
    case "unify": s = `${formatTerm(e.left)} = ${formatTerm(e.right)}`; break;
    case "assign": s = `${formatTerm(e.left)} := ${formatTerm(e.right)}`; break;
    case "some": s = `some ${e.vars.map(formatTerm).join(", ")}`; break;
    case "somein": s = `some ${e.key ? `${formatTerm(e.key)}, ` : ""}${formatTerm(e.value)} in ${formatTerm(e.collection)}`; break;
    case "every":
      s = `every ${e.key ? `${formatTerm(e.key)}, ` : ""}${formatTerm(e.value)} in ${formatTerm(e.collection)} {\n` +
        e.body.map((x) => `${indent}\t${formatExpr(x, indent + "\t")}\n`).join("") + `${indent}}`;
      break;
  }
  if (e.negated) s = `not ${s}`;
  for (const w of e.with) s += ` with ${formatTerm(w.target)} as ${formatTerm(w.value)}`;
  return s;
}

function formatHead(r: Rule, isElse: boolean): string {
  const h = r.head;
  let s = isElse ? "else" : h.name + h.path.map((p) =>
    p.type === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(p.value) ? `.${p.value}` : `[${formatTerm(p)}]`).join("");
  if (!isElse && h.args) s += `(${h.args.map(formatTerm).join(", ")})`;
  if (h.contains) s += ` contains ${formatTerm(h.contains)}`;
  else if (h.value) s += ` := ${formatTerm(h.value)}`;
  return s;
}

function formatBody(b: Body): string {
  if (b.length === 0) return "";
  return ` if {\n${b.map((e) => `\t${formatExpr(e, "\t")}\n`).join("")}}`;
}

export function formatRule(r: Rule): string {
  if (r.isDefault) return `default ${formatHead(r, false)}`;
  let s = formatHead(r, false) + formatBody(r.body);
  let e = r.else;
  while (e) {
    s += ` ${formatHead(e, true)}${formatBody(e.body)}`;
    e = e.else;
  }
  return s;
}

export function formatModule(m: Module): string {
  const lines = [`package ${m.pkg.map((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? p : JSON.stringify(p)).join(".").replace(/\."/g, '["').replace(/"(?=\.|$)/g, '"]')}`, ""];
  for (const i of m.imports) lines.push(`import ${formatTerm(i.path)}${i.alias ? ` as ${i.alias}` : ""}`);
  if (m.imports.length) lines.push("");
  for (const r of m.rules) { lines.push(formatRule(r)); lines.push(""); }
  return lines.join("\n");
}
