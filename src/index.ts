// trusted-proxy-engine's public API.
export { compile, type CompileInput, type CompileResult } from "./compiler/compile.js";
export { RegoError, type RegoErrorCode, type RegoErrorDetail, type Location } from "./rego/errors.js";
export { parseModule, parseQuery } from "./rego/parser.js";
export { loadPolicy, loadPolicySync, inputBuffer, type LoadedPolicy } from "./engine/load.js";
export { HOST_BUILTINS } from "./engine/host-builtins.js";
export { readBundle, writeBundle, type Bundle, type BundleManifest } from "./bundle/bundle.js";
