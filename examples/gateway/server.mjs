// A small example gateway (HTTP + WebSocket) that asks the decision service for every request:
// 401 on deny, and WebSockets closed with 1008 (policy violation).
//   node examples/gateway/server.mjs --port 18789 --decision-url http://127.0.0.1:8181
import Fastify from "fastify";
import websocket from "@fastify/websocket";
import { createDecisionClient } from "trusted-proxy-engine";

const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : dflt; };
const port = Number(arg("--port", "18789"));
const host = arg("--host", "127.0.0.1");
const client = createDecisionClient({ url: arg("--decision-url", "http://127.0.0.1:8181"), timeoutMs: Number(arg("--timeout-ms", "1000")) });

const app = Fastify({ logger: false });
await app.register(websocket);

// HTTP: decide before routing.
app.addHook("onRequest", async (req, reply) => {
  if (req.headers.upgrade?.toLowerCase() === "websocket") return; // decided in the socket handler
  const d = await client.decide(req.raw);
  if (!d.allow) return reply.code(401).send({ error: "unauthorized", reason: d.reason });
  req.identity = d;
});

app.get("/whoami", async (req) => ({ user: req.identity.user, method: req.identity.method, scopes: req.identity.scopes }));

app.get("/ws", { websocket: true }, async (socket, req) => {
  const d = await client.decide(req.raw, { surface: req.query?.surface === "control-ui" ? "control-ui" : "api" });
  if (!d.allow) { socket.close(1008, String(d.reason).slice(0, 120)); return; }
  socket.send(JSON.stringify({ user: d.user, method: d.method }));
  socket.on("message", (m) => socket.send(m.toString()));
});

await app.listen({ host, port });
console.log(`example gateway on http://${host}:${port} (decision service ${arg("--decision-url", "http://127.0.0.1:8181")})`);
const stop = async () => { await app.close(); await client.close(); process.exit(0); };
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
