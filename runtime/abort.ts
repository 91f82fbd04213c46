// Aborts surface in JS as a thrown string (the SDK decodes it byte-wise, so messages stay ASCII).
import { opa_abort } from "./host";
import { cString } from "./buffer";

/** Target of `--use abort=…`: AssemblyScript's own assertion failures end up here. */
export function runtimeAbort(message: string | null, file: string | null, line: u32, column: u32): void {
  opa_abort(cString("internal runtime error: " + (message === null ? "abort" : message!)));
  unreachable();
}

export function abortWith(message: string): void {
  opa_abort(cString(message));
  unreachable();
}
