// Graceful shutdown within a deadline: stop accepting, answer the requests already received, close
// keep-alive connections as they fall idle, and at the deadline close whatever is still open (slow
// and idle clients never hold the process).
import type { Server, IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { FastifyInstance } from "fastify";

export interface ShutdownResult {
  /** Milliseconds from the start of the shutdown until everything was closed. */
  ms: number;
  /** Connections still open at the deadline, closed then. */
  forcedConnections: number;
  /** Requests received in full but not yet answered at the deadline (cut off). A shutdown without
   *  any is clean; requests still arriving (a slow upload) are not counted: they were never received. */
  cutOffRequests: number;
}

/** How often idle connections are closed while draining: a keep-alive connection whose last
 *  response finished after the shutdown began falls idle then. */
const REAP_INTERVAL_MS = 50;

/** Keeps count of the server's connections and of the requests in progress. Call before listening. */
export class ConnectionTracker {
  private readonly sockets = new Set<Socket>();
  private readonly requests = new Set<IncomingMessage>();

  constructor(server: Server) {
    server.on("connection", (s: Socket) => {
      this.sockets.add(s);
      s.once("close", () => this.sockets.delete(s));
    });
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      this.requests.add(req);
      res.once("close", () => this.requests.delete(req));
    });
  }

  get openConnections(): number { return this.sockets.size; }

  /** Requests whose message has fully arrived and whose response has not finished. */
  get unanswered(): number {
    let n = 0;
    for (const r of this.requests) if (r.complete) n++;
    return n;
  }

  destroyAll(): void { for (const s of this.sockets) s.destroy(); }
}

/** Closes the app within `timeoutMs`; resolves once every connection is closed. */
export async function shutdown(app: FastifyInstance, tracker: ConnectionTracker, timeoutMs: number): Promise<ShutdownResult> {
  const t0 = performance.now();
  const server = app.server;
  let forcedConnections = 0, cutOffRequests = 0;
  const reaper = setInterval(() => server.closeIdleConnections(), REAP_INTERVAL_MS);
  let deadline: NodeJS.Timeout | undefined;
  const forced = new Promise<void>((resolve) => {
    deadline = setTimeout(() => {
      forcedConnections = tracker.openConnections;
      cutOffRequests = tracker.unanswered;
      server.closeAllConnections();
      tracker.destroyAll();
      resolve();
    }, timeoutMs);
  });
  try {
    // Fastify stops accepting, closes idle connections and answers requests arriving on open
    // connections with `Connection: close`; it resolves when the server has no connection left.
    const closed = app.close();
    await Promise.race([closed, forced]);
    // After a forced close the sockets are gone; the server's close follows at once. (Bounded, in
    // case an onClose hook hangs: the deadline is the deadline.)
    await Promise.race([closed, new Promise((r) => setTimeout(r, 250).unref())]);
  } finally {
    clearInterval(reaper);
    clearTimeout(deadline);
  }
  return { ms: performance.now() - t0, forcedConnections, cutOffRequests };
}
