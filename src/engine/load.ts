// Loads a compiled module with the unmodified @open-policy-agent/opa-wasm SDK, supplying the host
// builtins the module needs.
import * as opaModule from "@open-policy-agent/opa-wasm";
import { hostBuiltinsFor } from "./host-builtins.js";

export interface LoadedPolicy {
  evaluate(input?: unknown, entrypoint?: string | number): { result?: unknown; [k: string]: unknown }[];
  setData(data: unknown): void;
  /** The module's entrypoints: name → the id evaluate() takes. */
  readonly entrypoints: Record<string, number>;
}

// The ESM entry's typings declare only loadPolicy; loadPolicySync lives on the default export.
const sdk = ((opaModule as unknown as { default?: unknown }).default ?? opaModule) as unknown as {
  loadPolicy(wasm: BufferSource | WebAssembly.Module, memory?: number | WebAssembly.MemoryDescriptor,
    builtins?: Record<string, (...a: unknown[]) => unknown>): Promise<LoadedPolicy>;
  loadPolicySync(wasm: BufferSource | WebAssembly.Module, memory?: number | WebAssembly.MemoryDescriptor,
    builtins?: Record<string, (...a: unknown[]) => unknown>): LoadedPolicy;
};

export function loadPolicy(wasm: Uint8Array, hostBuiltins: string[] = []): Promise<LoadedPolicy> {
  return sdk.loadPolicy(wasm, undefined, hostBuiltinsFor(hostBuiltins));
}

export function loadPolicySync(wasm: Uint8Array, hostBuiltins: string[] = []): LoadedPolicy {
  return sdk.loadPolicySync(wasm, undefined, hostBuiltinsFor(hostBuiltins));
}

/** Input as JSON text in an ArrayBuffer: the SDK passes it through untouched, so falsy inputs
 *  (false, 0, "", null) are not mistaken for "no input". */
export function inputBuffer(input: unknown): ArrayBuffer | undefined {
  if (input === undefined) return undefined;
  const bytes = new TextEncoder().encode(JSON.stringify(input));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
