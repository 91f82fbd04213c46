// ${NAME} substitution from the environment in every string under `gateway`.

export interface EnvIssue { path: string; name: string }

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * A copy of `value` with variables replaced. Unset variables are reported (and, with
 * `keepUnset`, left as written — what the audit reads).
 */
export function substituteEnv(value: unknown, env: Record<string, string | undefined>, path: string, issues: EnvIssue[], keepUnset = false): unknown {
  if (typeof value === "string") {
    return value.replace(VAR, (whole, name: string) => {
      const v = env[name];
      if (v === undefined) { issues.push({ path, name }); return keepUnset ? whole : ""; }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, `${path}.${i}`, issues, keepUnset));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substituteEnv(v, env, `${path}.${k}`, issues, keepUnset);
    return out;
  }
  return value;
}
