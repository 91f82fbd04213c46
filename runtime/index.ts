// The runtime's entry: everything exported here is a wasm export that the ABI or generated code uses.
export * from "./abi";
export * from "./evalstate";
export * from "./access";
export * from "./construct";
export { rt_with_lookup, rt_with_patch, rt_upsert } from "./paths";
export * from "./builtins/comparison";
export * from "./builtins/arithmetic";
export * from "./builtins/strings";
export * from "./builtins/aggregates";
export * from "./builtins/types";
export * from "./builtins/sets";
export * from "./builtins/objects";
export * from "./builtins/arrays";
export * from "./builtins/casts";
export * from "./builtins/cidr";
export * from "./builtins/host";
export * from "./builtins/jsonpatch";
