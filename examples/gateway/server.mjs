// A small example gateway (HTTP + WebSocket) that asks the decision service for every request and
// every WebSocket upgrade, before routing: 401 on deny, and a denied WebSocket on a WebSocket route
// is opened and closed with 1008 (policy violation) and the reason (browsers cannot read a refused
// handshake). Safe to copy:
// - the surface is the route's (`config.surface`), never the client's: /whoami and /ws are `api`,
//   /control-ui/... is `control-ui` (its WebSocket gets the Origin check), /plugins/... is `plugin`;
//   unknown paths are decided as `api` (and then 404);
// - `ws` only for a real upgrade (factsFromRequest): a plain request that carries `Upgrade:
//   websocket` is decided as HTTP like any other;
// - handlers run only after an allow and read the identity from `req.decision`; if the service is
//   down or answers anything else, the client's decision is a deny (decision_service_unavailable).
//   node examples/gateway/server.mjs --port 18789 --decision-url http://127.0.0.1:8181
import Fastify from "fastify";
import websocket from "@fastify/websocket";
import { createDecisionClient, factsFromRequest } from "trusted-proxy-engine";

const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : dflt; };
const port = Number(arg("--port", "18789"));
const host = arg("--host", "127.0.0.1");
const client = createDecisionClient({ url: arg("--decision-url", "http://127.0.0.1:8181"), timeoutMs: Number(arg("--timeout-ms", "1000")) });

const app = Fastify({ logger: false });
await app.register(websocket);
app.decorateRequest("decision", null);

// Every request and every upgrade: facts from the socket and headers, surface from the route.
app.addHook("onRequest", async (req, reply) => {
  const { surface = "api", websocket: wsRoute = false } = req.routeOptions.config ?? {};
  const facts = factsFromRequest(req.raw, { surface });
  const d = await client.decide(facts);
  req.decision = d;
  if (d.allow) return;
  if (facts.transport === "ws" && wsRoute) return; // the route closes it with 1008 (see wsRoute)
  return reply.code(401).send({ error: "unauthorized", reason: d.reason });
});

const identity = (d, surface) => ({ user: d.user, method: d.method, scopes: d.scopes, surface });

/** An HTTP route on a surface; the handler gets the allowed decision. */
function httpRoute(path, surface, handler) {
  app.get(path, { config: { surface } }, async (req) => handler(req, req.decision));
}

/** A WebSocket route on a surface: a denied upgrade is closed with 1008 before the handler runs. */
function wsRoute(path, surface, onOpen) {
  app.get(path, { websocket: true, config: { surface, websocket: true } }, (socket, req) => {
    const d = req.decision;
    if (!d?.allow) { socket.close(1008, String(d?.reason ?? "unauthorized").slice(0, 120)); return; }
    onOpen(socket, d);
  });
}

const echo = (surface) => (socket, d) => {
  socket.send(JSON.stringify({ user: d.user, method: d.method, surface }));
  socket.on("message", (m) => socket.send(m.toString()));
};

httpRoute("/whoami", "api", (_req, d) => identity(d, "api"));
wsRoute("/ws", "api", echo("api"));
httpRoute("/control-ui/whoami", "control-ui", (_req, d) => identity(d, "control-ui"));
wsRoute("/control-ui/ws", "control-ui", echo("control-ui"));
httpRoute("/plugins/:plugin/whoami", "plugin", (req, d) => ({ ...identity(d, "plugin"), plugin: req.params.plugin }));
wsRoute("/plugins/:plugin/ws", "plugin", echo("plugin"));

await app.listen({ host, port });
console.log(`example gateway on http://${host}:${port} (decision service ${arg("--decision-url", "http://127.0.0.1:8181")})`);
const stop = async () => { await app.close(); await client.close(); process.exit(0); };
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
