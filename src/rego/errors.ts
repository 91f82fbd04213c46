// Errors a policy author can cause, in OPA's shape: a code, a message, and file:row:col.

export type RegoErrorCode =
  | "rego_parse_error"
  | "rego_compile_error"
  | "rego_unsafe_var_error"
  | "rego_recursion_error"
  | "rego_type_error";

export interface Location { file: string; row: number; col: number }

export interface RegoErrorDetail { code: RegoErrorCode; message: string; location?: Location }

export function formatErrorDetail(e: RegoErrorDetail): string {
  const where = e.location ? `${e.location.file}:${e.location.row}:${e.location.col}: ` : "";
  return `${where}${e.code}: ${e.message}`;
}

/** One or more errors from parsing or compiling; `message` lists them all, one per line. */
export class RegoError extends Error {
  readonly errors: RegoErrorDetail[];
  constructor(errors: RegoErrorDetail[]) {
    const lines = errors.map(formatErrorDetail);
    super(errors.length === 1 ? lines[0]! : `${errors.length} errors occurred:\n${lines.join("\n")}`);
    this.name = "RegoError";
    this.errors = errors;
  }
  get code(): RegoErrorCode { return this.errors[0]!.code; }
  get location(): Location | undefined { return this.errors[0]!.location; }
}
