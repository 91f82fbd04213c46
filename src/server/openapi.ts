// The service's OpenAPI document, built by @fastify/swagger on the first request for it: the
// routes are recorded as they are declared and replayed into a private Fastify instance with the
// plugin. The plugin and what it loads (yaml, json-schema-resolver) stay out of start-up (~50 ms).
import type { FastifyInstance, RouteOptions } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";

export const OPENAPI_INFO = { title: "trusted-proxy-engine decision service", version: "1" };

/** Records the app's routes from now on; the returned function builds (once) their document. */
export function openApiDocument(app: FastifyInstance): () => Promise<unknown> {
  const routes: RouteOptions[] = [];
  app.addHook("onRoute", (r) => {
    if (r.method !== "HEAD" && !(r.schema as { hide?: boolean } | undefined)?.hide) routes.push(r);
  });
  let doc: Promise<unknown> | undefined;
  const build = async () => {
    const [{ default: Fastify }, { default: swagger }] = await Promise.all([import("fastify"), import("@fastify/swagger")]);
    const docs = Fastify({ logger: false, exposeHeadRoutes: false });
    docs.setValidatorCompiler(validatorCompiler);
    docs.setSerializerCompiler(serializerCompiler);
    await docs.register(swagger, { openapi: { info: OPENAPI_INFO }, transform: jsonSchemaTransform });
    for (const r of routes) docs.route({ method: r.method, url: r.url, schema: r.schema, handler: async () => undefined });
    await docs.ready();
    const d = docs.swagger();
    await docs.close();
    return d;
  };
  return () => {
    doc ??= build().catch((e: unknown) => { doc = undefined; throw e; });
    return doc;
  };
}
