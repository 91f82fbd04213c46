// Config problems: each has a code (spec sections 2 and 7), a config path, and a sentence.

export interface ConfigIssue {
  code: string;
  path: string;
  message: string;
  /** Where in the file, when the problem is the file's syntax (1-based). */
  line?: number;
  column?: number;
}

/** The config cannot be used: `errors` (and any `warnings`) say why, all together. */
export class ConfigError extends Error {
  readonly errors: ConfigIssue[];
  readonly warnings: ConfigIssue[];
  constructor(errors: ConfigIssue[], warnings: ConfigIssue[] = []) {
    super(`invalid gateway config:\n${errors.map((e) => `  ${e.code}: ${e.message}`).join("\n")}`);
    this.name = "ConfigError";
    this.errors = errors;
    this.warnings = warnings;
  }
}
