import { describe, expect, it } from "vitest";
import { hostBuiltinNames, SDK_HOST_BUILTINS } from "../../src/compiler/builtins.js";
import { HOST_BUILTINS, globToRegex } from "../../src/engine/host-builtins.js";
import { value } from "../helpers.js";

describe("host builtins", () => {
  it("implements every host builtin the compiler emits (here or in the SDK)", () => {
    const missing = hostBuiltinNames().filter((n) => !HOST_BUILTINS[n] && !SDK_HOST_BUILTINS.includes(n));
    expect(missing).toEqual([]);
  });

  it("matches globs with delimiters like OPA", () => {
    expect(globToRegex("*.example.com", ["."])!.test("api.example.com")).toBe(true);
    expect(globToRegex("*.example.com", ["."])!.test("a.b.example.com")).toBe(false);
    expect(globToRegex("**.example.com", ["."])!.test("a.b.example.com")).toBe(true);
    expect(globToRegex("{api,www}.x", ["."])!.test("www.x")).toBe(true);
    expect(value('x := glob.match("a?c", [], "abc")')).toBe(true);
  });

  it("evaluates regex.match and sprintf through the module", () => {
    expect(value('x := regex.match("^[a-z]+@example\\\\.com$", "nick@example.com")')).toBe(true);
    expect(value('x := sprintf("%s has %d", ["nick", 3])')).toBe("nick has 3");
  });
});
