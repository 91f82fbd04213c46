// The reference for the http benchmark: a Fastify hello-world route that parses the same JSON body.
import Fastify from "fastify";
const port = Number(process.argv[2] ?? 8282);
const app = Fastify({ logger: false });
app.post("/hello", async (req) => ({ hello: "world", n: Object.keys(req.body ?? {}).length }));
await app.listen({ host: "127.0.0.1", port });
console.log(`hello-world on ${port}`);
process.once("SIGTERM", () => app.close().then(() => process.exit(0)));
