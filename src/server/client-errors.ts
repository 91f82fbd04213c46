// Answers to clients whose request never became one (Node's 'clientError': too slow, headers too
// large, not HTTP): a JSON 4xx naming the limit, then the connection is closed.
import type { Socket } from "node:net";
import type { ServiceLimits } from "./limits.js";

export function clientErrorHandler(limits: ServiceLimits): (err: NodeJS.ErrnoException, socket: Socket) => void {
  const timeout = `the request did not arrive in time: its headers within ${limits.headersTimeoutMs} ms (tpe serve --headers-timeout), the whole request within ${limits.requestTimeoutMs} ms (--request-timeout)`;
  return (err, socket) => {
    // A reset connection, or one already closed: nobody to answer.
    if (err.code === "ECONNRESET" || socket.destroyed) return;
    const [status, text, code, message] =
      err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? [408, "Request Timeout", "request_timeout", timeout]
      : err.code === "HPE_HEADER_OVERFLOW" ? [431, "Request Header Fields Too Large", "headers_too_large", "the request's headers are over Node's header size limit (16 KiB unless node runs with --max-http-header-size)"]
      : [400, "Bad Request", "bad_request", "not a valid HTTP/1.1 request"];
    if (socket.writable) {
      const body = JSON.stringify({ error: code, message });
      socket.write(`HTTP/1.1 ${status} ${text}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`);
    }
    socket.destroy();
  };
}
