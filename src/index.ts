// trusted-proxy-engine's public API.
export { compile, type CompileInput, type CompileResult } from "./compiler/compile.js";
export { RegoError, type RegoErrorCode, type RegoErrorDetail, type Location } from "./rego/errors.js";
export { parseModule, parseQuery } from "./rego/parser.js";
export { loadPolicy, loadPolicySync, inputBuffer, type LoadedPolicy } from "./engine/load.js";
export { HOST_BUILTINS } from "./engine/host-builtins.js";
export { readBundle, writeBundle, type Bundle, type BundleManifest } from "./bundle/bundle.js";
export { createEngine, createEngineSync, loadConfigFile, DecisionError, DEFAULT_DECISION_CACHE, type Engine, type EngineOptions, type Decision, type Explanation } from "./engine/engine.js";
export type { DecisionCacheStats } from "./engine/decision-cache.js";
export { validateConfig, audit, type Finding } from "./engine/validate.js";
export { ConfigError, type ConfigIssue } from "./config/errors.js";
export { FactsError, type RequestFacts, type PolicyInput } from "./facts/facts.js";
export { hintFor, REASON_CODES } from "./engine/hints.js";
export { bundledPolicy, compilePolicy, ENTRYPOINTS, type PolicyInfo, type CompiledPolicy } from "./engine/policy.js";
export { DecisionDocument, DecisionAnswer, DECISION_METHODS, type DecisionMethod } from "./decision/document.js";
export { createDecisionClient, factsFromRequest, type DecisionClient, type ClientDecision, type DecisionClientOptions } from "./client/client.js";
export { buildApp, type AppOptions } from "./server/app.js";
export { EngineHolder } from "./server/holder.js";
export { serve } from "./server/serve.js";
