// Every worked case of the spec (test/fixtures/scenarios) through the library API.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { audit, ConfigError, createEngine } from "../../src/index.js";

interface Scenario {
  id: string;
  title: string;
  config: { env?: Record<string, string> } & Record<string, unknown>;
  env?: Record<string, string>;
  request?: unknown;
  expect: Record<string, unknown> & { phase?: string; errors?: string[]; warnings?: string[]; findings?: { checkId: string; severity: string }[] };
}

const load = (f: string) => (JSON.parse(readFileSync(`test/fixtures/scenarios/${f}`, "utf8")) as { cases: Scenario[] }).cases;
const split = (c: Scenario) => { const { env, ...config } = c.config; return { config, env: c.env ?? env ?? {} }; };
const distinct = (xs: string[]) => [...new Set(xs)];

describe("scenarios (spec section 9)", () => {
  for (const c of load("visible.json")) {
    it(`${c.id}: ${c.title}`, async () => {
      const { config, env } = split(c);
      const e = c.expect;
      if (e.phase === "startup") {
        const err = await createEngine({ config, env }).then(() => undefined, (x: unknown) => x);
        expect(err).toBeInstanceOf(ConfigError);
        const ce = err as ConfigError;
        expect(distinct(ce.errors.map((x) => x.code))).toEqual(e.errors);
        if (e.warnings) expect(distinct(ce.warnings.map((x) => x.code))).toEqual(e.warnings);
        for (const x of ce.errors) { expect(x.path).toBeTypeOf("string"); expect(x.message.length).toBeGreaterThan(10); }
        return;
      }
      const engine = await createEngine({ config, env });
      const d = engine.decide(c.request);
      for (const k of ["allow", "reason", "user", "method", "scopes"] as const) {
        if (k in e) expect(d[k], k).toEqual(e[k]);
      }
      if (e.warnings) expect(distinct(engine.warnings.map((w) => w.code))).toEqual(e.warnings);
    });
  }
});

describe("audit scenarios (spec section 8)", () => {
  for (const c of load("audit-visible.json")) {
    it(`${c.id}: ${c.title}`, () => {
      const { config, env } = split(c);
      const got = audit(config, env);
      const set = (xs: { checkId: string; severity: string }[]) => distinct(xs.map((f) => `${f.checkId}/${f.severity}`)).sort();
      expect(set(got)).toEqual(set(c.expect.findings!));
      for (const f of got) for (const k of ["title", "detail", "fix"] as const) expect(f[k].length).toBeGreaterThan(5);
    });
  }
});
