// The only imports the module has: exactly what @open-policy-agent/opa-wasm provides in `env`.
// @ts-ignore: decorator
@external("env", "opa_abort") export declare function opa_abort(addr: usize): void;
// @ts-ignore: decorator
@external("env", "opa_println") export declare function opa_println(addr: usize): void;
// @ts-ignore: decorator
@external("env", "opa_builtin0") export declare function opa_builtin0(id: i32, ctx: i32): usize;
// @ts-ignore: decorator
@external("env", "opa_builtin1") export declare function opa_builtin1(id: i32, ctx: i32, a: usize): usize;
// @ts-ignore: decorator
@external("env", "opa_builtin2") export declare function opa_builtin2(id: i32, ctx: i32, a: usize, b: usize): usize;
// @ts-ignore: decorator
@external("env", "opa_builtin3") export declare function opa_builtin3(id: i32, ctx: i32, a: usize, b: usize, c: usize): usize;
// @ts-ignore: decorator
@external("env", "opa_builtin4") export declare function opa_builtin4(id: i32, ctx: i32, a: usize, b: usize, c: usize, d: usize): usize;
