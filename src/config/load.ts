// Reading a JSON5 config file.
import { readFileSync } from "node:fs";
import JSON5 from "json5";
import { ConfigError } from "./errors.js";

export function parseConfigText(text: string, file: string): unknown {
  try {
    return JSON5.parse(text);
  } catch (e) {
    const err = e as { lineNumber?: number; columnNumber?: number; message: string };
    const where = err.lineNumber ? `${file}:${err.lineNumber}:${err.columnNumber ?? 1}` : file;
    const message = err.message.replace(/^JSON5: /, "").replace(/ at \d+:\d+$/, "");
    const at = err.lineNumber ? { line: err.lineNumber, column: err.columnNumber ?? 1 } : {};
    throw new ConfigError([{ code: "config_invalid", path: file, message: `${where}: ${message}`, ...at }]);
  }
}

export function readConfigFile(file: string): unknown {
  let text: string;
  try { text = readFileSync(file, "utf8"); }
  catch (e) { throw new ConfigError([{ code: "config_invalid", path: file, message: `${file}: cannot read the config file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` }]); }
  return parseConfigText(text, file);
}
