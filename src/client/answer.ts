// What the gateway client takes as the decision service's answer: a JSON content type, strict
// JSON (no duplicate keys) and exactly the decision document of src/decision. Anything else is a
// reason to fail closed, said in a sentence.
import { DecisionAnswer } from "../decision/document.js";
import { parseStrictJson, StrictJsonError } from "./strict-json.js";

export type AnswerCheck = { ok: true; answer: DecisionAnswer } | { ok: false; error: string };

/** Why a Content-Type header is not `application/json` (parameters allowed, a charset only
 *  utf-8), or undefined when it is. */
export function contentTypeProblem(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return "the answer has no content type (expected application/json)";
  if (typeof header !== "string") return "the answer has several content-type headers";
  const [type = "", ...params] = header.split(";");
  if (type.trim().toLowerCase() !== "application/json") return `the answer's content type is ${JSON.stringify(header)} (expected application/json)`;
  for (const p of params) {
    const eq = p.indexOf("=");
    if (eq < 0 || p.slice(0, eq).trim().toLowerCase() !== "charset") continue;
    const charset = p.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1").toLowerCase();
    if (charset !== "utf-8") return `the answer's charset is ${JSON.stringify(charset)} (expected utf-8)`;
  }
  return undefined;
}

/** The answer in a body's text, or what is wrong with it. */
export function checkAnswer(text: string): AnswerCheck {
  let body: unknown;
  try { body = parseStrictJson(text); }
  catch (e) {
    if (e instanceof StrictJsonError) return { ok: false, error: `the answer is ${e.message}` };
    throw e;
  }
  const r = DecisionAnswer.safeParse(body);
  if (r.success) return { ok: true, answer: r.data };
  const issues = r.error.issues.map((i) => `${i.path.length ? i.path.join(".") : "body"}: ${i.message}`);
  return { ok: false, error: `the answer is not a decision: ${issues.join("; ")}` };
}
