// The audit as SARIF 2.1.0, for code-scanning UIs: one rule per check, one result per finding
// with the region of the config key it is about, security-severity and tags on the rules, stable
// partial fingerprints (check id + config path: they survive edits that move lines), artifact URIs
// relative to the repository root, baseline suppressions as SARIF suppressions, and a config that
// does not parse as a result of its own.
import { createHash } from "node:crypto";
import type { Region } from "../config/positions.js";
import type { Finding } from "../engine/validate.js";
import { packageVersion } from "../package.js";
import type { Suppression } from "./baseline.js";

export interface LocatedFinding extends Finding {
  region: Region;
  /** The baseline entry that accepts it, if any. */
  suppressedBy?: Suppression;
}

export interface SarifInput {
  /** The config file relative to the repository root, with forward slashes. */
  uri: string;
  /** The repository root as a file: URI ending in "/". */
  rootUri: string;
  findings: LocatedFinding[];
  /** The config's syntax error, when it does not parse (then there are no findings). */
  parseError?: { message: string; region: Region };
}

const LEVEL = { critical: "error", warn: "warning", info: "note" } as const;
/** GitHub's scale: ≥ 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, < 4.0 low. */
const SECURITY_SEVERITY = { critical: "9.0", warn: "5.0", info: "2.0" } as const;
const PARSE_RULE = "config.parse_error";

function tagsOf(checkId: string): string[] {
  const tags = ["security", "trusted-proxy", "configuration"];
  if (checkId.includes("control_ui")) tags.push("browser-origin");
  if (checkId.includes("trusted_proxies")) tags.push("network");
  return tags;
}

function fingerprint(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);
}

export function toSarif(input: SarifInput): unknown {
  const ruleIds = [...new Set(input.findings.map((f) => f.checkId))].sort();
  const rules: unknown[] = ruleIds.map((id) => {
    const f = input.findings.find((x) => x.checkId === id)!;
    return {
      id,
      name: id.replace(/^gateway\./, "").replace(/[._]([a-z])/g, (_, c: string) => c.toUpperCase()),
      shortDescription: { text: f.title },
      fullDescription: { text: f.title },
      help: { text: f.fix, markdown: f.fix },
      defaultConfiguration: { level: LEVEL[f.severity] },
      properties: { "security-severity": SECURITY_SEVERITY[f.severity], tags: tagsOf(id), precision: "very-high", "problem.severity": LEVEL[f.severity] === "note" ? "recommendation" : LEVEL[f.severity] },
    };
  });
  const location = (region: Region) => [{ physicalLocation: { artifactLocation: { uri: input.uri, uriBaseId: "%SRCROOT%", index: 0 }, region } }];
  const results: unknown[] = input.findings.map((f) => ({
    ruleId: f.checkId,
    ruleIndex: ruleIds.indexOf(f.checkId),
    level: LEVEL[f.severity],
    message: { text: `${f.title}: ${f.detail} Fix: ${f.fix}` },
    locations: location(f.region),
    partialFingerprints: { "tpeFinding/v1": fingerprint(input.uri, f.checkId, f.path) },
    properties: { configPath: f.path, severity: f.severity },
    ...(f.suppressedBy ? { suppressions: [{ kind: "external", status: "accepted", justification: f.suppressedBy.reason }] } : {}),
  }));
  if (input.parseError) {
    rules.push({
      id: PARSE_RULE,
      name: "configParseError",
      shortDescription: { text: "The config file does not parse as JSON5" },
      help: { text: "Fix the syntax error at the reported line and column." },
      defaultConfiguration: { level: "error" },
      properties: { "security-severity": "9.0", tags: ["security", "configuration"], precision: "very-high", "problem.severity": "error" },
    });
    results.push({
      ruleId: PARSE_RULE,
      ruleIndex: rules.length - 1,
      level: "error",
      message: { text: `The config does not parse, so it cannot be audited: ${input.parseError.message}` },
      locations: location(input.parseError.region),
      partialFingerprints: { "tpeFinding/v1": fingerprint(input.uri, PARSE_RULE) },
    });
  }
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [{
      tool: { driver: { name: "tpe audit", fullName: "trusted-proxy-engine security audit", version: packageVersion(), semanticVersion: packageVersion(), rules } },
      originalUriBaseIds: { "%SRCROOT%": { uri: input.rootUri } },
      artifacts: [{ location: { uri: input.uri, uriBaseId: "%SRCROOT%" } }],
      results,
      invocations: [{ executionSuccessful: true }],
      columnKind: "utf16CodeUnits",
    }],
  };
}
